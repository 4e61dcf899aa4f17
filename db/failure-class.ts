// Which database failures a retry can cure, decided once for every caller. A lost connection, a
// server restarting, a serialization failure or a deadlock pass: try again. A value PostgreSQL
// cannot hold (class 22, data exception: NUL in jsonb is 22P05) or a constraint it will never
// accept (class 23) fails the same way on every try, so retrying it only wedges the caller.
// SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html

/** What a failure says about the request that met it. */
export type FailureClass =
  /** Try again: the database was unreachable, busy, or lost a race. */
  | { readonly retryable: true }
  /** Never passes: `inputAtFault` when the data itself was refused (class 22), not the engine's own state. */
  | { readonly retryable: false; readonly sqlState: string; readonly inputAtFault: boolean };

const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

/** Classes where the statement itself is wrong and will be wrong again: data, integrity. */
const NEVER_PASSES = { '22': { inputAtFault: true }, '23': { inputAtFault: false } } as const;

/** The class of a failure: anything this function does not know is retried, as before. */
export function classifyFailure(error: unknown): FailureClass {
  const sqlState = sqlStateOf(error);
  if (sqlState === undefined || RETRYABLE_SQLSTATES.has(sqlState)) return { retryable: true };
  const never = NEVER_PASSES[sqlState.slice(0, 2) as keyof typeof NEVER_PASSES];
  return never ? { retryable: false, sqlState, inputAtFault: never.inputAtFault } : { retryable: true };
}

export function isRetryable(error: unknown): boolean {
  return classifyFailure(error).retryable;
}

/** The SQLSTATE of a PostgreSQL error (pg sets `code`); undefined for anything else (a socket error). */
function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9][0-9A-Z]{4}$/.test(code) ? code : undefined;
}
