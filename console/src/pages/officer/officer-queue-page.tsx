// Screen under construction in issue 19's branch; replaced before it lands.
export default function OfficerQueuePage() {
  return <h1>OfficerQueuePage</h1>;
}
