// Screen under construction in issue 19's branch; replaced before it lands.
export default function RegisterPage() {
  return <h1>RegisterPage</h1>;
}
