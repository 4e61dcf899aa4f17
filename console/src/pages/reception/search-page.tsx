// Screen under construction in issue 19's branch; replaced before it lands.
export default function SearchPage() {
  return <h1>SearchPage</h1>;
}
