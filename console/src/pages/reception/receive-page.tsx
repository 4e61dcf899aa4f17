// Screen under construction in issue 19's branch; replaced before it lands.
export default function ReceivePage() {
  return <h1>ReceivePage</h1>;
}
