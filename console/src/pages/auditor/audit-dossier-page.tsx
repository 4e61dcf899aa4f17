// Screen under construction in issue 19's branch; replaced before it lands.
export default function AuditDossierPage() {
  return <h1>AuditDossierPage</h1>;
}
