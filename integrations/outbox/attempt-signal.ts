// An attempt's end, as every adapter's HTTP call honours it (docs/decisions/0018): the delivery
// activity runs the adapter under a signal that aborts before Temporal would give up on the attempt
// (or when Temporal cancels it), so no call of an abandoned attempt is still going out while the
// retry runs and the lane moves on; a late send could otherwise overtake the next delivery. Carried
// in async context, so adapters need no parameter for it: their HTTP helpers ask `callSignal`.
import { AsyncLocalStorage } from 'node:async_hooks';

const attempt = new AsyncLocalStorage<AbortSignal>();

/** Runs an adapter under its attempt's signal. */
export function withAttemptSignal<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  return attempt.run(signal, run);
}

/** The signal of one call: its own timeout, and the attempt's end when it runs within one. */
export function callSignal(timeoutMs: number): AbortSignal {
  const own = AbortSignal.timeout(timeoutMs);
  const ofAttempt = attempt.getStore();
  return ofAttempt ? AbortSignal.any([own, ofAttempt]) : own;
}
