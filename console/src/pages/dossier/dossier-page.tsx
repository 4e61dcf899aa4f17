// Screen under construction in issue 19's branch; replaced before it lands.
export default function DossierPage() {
  return <h1>DossierPage</h1>;
}
