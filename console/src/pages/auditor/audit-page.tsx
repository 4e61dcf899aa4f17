// Screen under construction in issue 19's branch; replaced before it lands.
export default function AuditPage() {
  return <h1>AuditPage</h1>;
}
