// A payment request's attempts with the platform (docs/integrations.md#transactions-and-the-query-sweep).
// Each INIT is an attempt with a MaThamChieu of its own, as the contract wants it unique (TH adds a
// timestamp per INIT): the first attempt's is the request's reference, the n-th's that reference and
// `x<n>`, which no request's reference ends with (those end with `v<version>`). The citizen's start
// reuses the latest attempt's page while it is young and waiting, and starts a new attempt once it
// failed, has no page, or is older than the page's validity. Pure: the time is passed in.
import { referenceSchema } from './platform-contract.js';

/** How long a payment page is offered again before a new INIT (MOTCUA_PAYMENT_PAGE_MINUTES). */
export const DEFAULT_PAGE_VALIDITY_MS = 15 * 60_000;

/** MaThamChieu of attempt `attempt` (1, 2, …) of the request `requestReference`. */
export function attemptReference(requestReference: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be a whole number from 1, not ${attempt}`);
  const reference = attempt === 1 ? requestReference : `${requestReference}x${attempt}`;
  if (!referenceSchema.safeParse(reference).success) throw new Error(`MaThamChieu ${reference} of attempt ${attempt} is not 1 to 50 letters and digits`);
  return reference;
}

/** The latest attempt of a request, as the transactions table keeps it. */
export interface LatestAttempt {
  readonly attempt: number;
  readonly state: 'khoi-tao' | 'thanh-cong' | 'that-bai';
  readonly paymentUrl: string | null;
  readonly initiatedAt: Date;
}

export type StartDecision =
  /** The request was paid through this attempt. */
  | { readonly kind: 'paid' }
  /** Its page is still good: send the citizen there again, no INIT. */
  | { readonly kind: 'same-page'; readonly paymentUrl: string }
  /** INIT a new attempt. */
  | { readonly kind: 'new-attempt'; readonly attempt: number };

export function nextPaymentStart(latest: LatestAttempt | undefined, now: Date, pageValidityMs: number): StartDecision {
  if (!latest) return { kind: 'new-attempt', attempt: 1 };
  if (latest.state === 'thanh-cong') return { kind: 'paid' };
  const young = now.getTime() - latest.initiatedAt.getTime() < pageValidityMs;
  if (latest.state === 'khoi-tao' && latest.paymentUrl && young) return { kind: 'same-page', paymentUrl: latest.paymentUrl };
  return { kind: 'new-attempt', attempt: latest.attempt + 1 };
}

/** The page an attempt still offers the citizen: its own while it waits and is young; none once older than the validity (a start then makes a new attempt). */
export function offeredPage(attempt: LatestAttempt, now: Date, pageValidityMs: number): string | null {
  const decision = nextPaymentStart(attempt, now, pageValidityMs);
  return decision.kind === 'same-page' ? decision.paymentUrl : null;
}
