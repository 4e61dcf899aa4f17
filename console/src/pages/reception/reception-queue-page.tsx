// Screen under construction in issue 19's branch; replaced before it lands.
export default function ReceptionQueuePage() {
  return <h1>ReceptionQueuePage</h1>;
}
