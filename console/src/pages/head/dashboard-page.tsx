// Screen under construction in issue 19's branch; replaced before it lands.
export default function DashboardPage() {
  return <h1>DashboardPage</h1>;
}
