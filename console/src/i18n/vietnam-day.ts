// The day in Vietnam: a module of its own, with no import, so the pages' pure helpers and their unit
// tests (run by Node, not Vite) can use it too.

/**
 * The civil day (YYYY-MM-DD) an instant falls on in Vietnam, the day the API's dates name. Vietnam
 * keeps UTC+7 all year (no daylight saving), so the offset is fixed.
 */
export function vietnamDay(instant: Date | string = new Date()): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

