/** Minutes, days and rates as readings and reports show them: two decimals. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
