// What the SMS and ZNS channels share: the message a trigger renders to, what to do when it renders
// to nothing, the request id derived from the delivery key, one HTTP call with a deadline, and the
// classification of what the transport (rather than the gateway) answered.
import { sha256Hex } from '../outbox/mask.js';
import { callSignal } from '../outbox/attempt-signal.js';
import type { DeliveryContext, DeliveryResult, Exchange } from '../outbox/delivery-channel.js';

/** An SMS: a rendered text (ASCII unless the gateway is set to Unicode), or a registered template and its parameters in order. */
export type SmsMessage =
  | { readonly text: string; /** Named values, for a VNPT template configured per trigger (sms-config.ts `templates`). */ readonly values?: Readonly<Record<string, string>> }
  | { readonly templateId: string; readonly params: readonly string[] };

/** A Zalo ZNS message: an approved template and its named parameters. */
export interface ZnsMessage {
  readonly templateId: string;
  readonly templateData: Readonly<Record<string, string>>;
}

/** Renders a delivery's message; undefined when the trigger has nothing to say on this channel. */
export type Render<M> = (context: DeliveryContext) => M | undefined | Promise<M | undefined>;

/**
 * When `render` gives nothing for a trigger (the lead decides, per channel):
 * - `refuse`: failed, not retryable, reason "no template for this trigger": the delivery is
 *   dead-lettered at once and an operator sees that a template is missing (the default);
 * - `skip`: delivered with no exchange with the gateway (reference `nothing-sent`): a trigger
 *   the deployment chose not to send on this channel.
 */
export type NoMessagePolicy = 'refuse' | 'skip';
export const NO_MESSAGE_REASON = 'no template for this trigger';

export function noMessageResult(policy: NoMessagePolicy): DeliveryResult {
  if (policy === 'refuse') return { outcome: 'failed', retryable: false, reason: NO_MESSAGE_REASON };
  return { outcome: 'delivered', reference: 'nothing-sent', exchange: { request: null, requestSha256: sha256Hex(''), response: `nothing sent: ${NO_MESSAGE_REASON}` } };
}

/** A request id the gateway can store: the delivery key's SHA-256 in hex, cut to `length`; a resend derives the same. */
export function requestIdOf(key: string, length: number): string {
  return sha256Hex(key).slice(0, length);
}

/** What the wire gave back. */
export type WireAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network' };

/** POSTs `body`, reading the whole answer within `timeoutMs`. */
export async function postWithDeadline(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WireAnswer> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: callSignal(timeoutMs) });
    return { kind: 'answer', status: response.status, body: await response.text() };
  } catch (error) {
    const name = (error as { name?: string }).name;
    return name === 'TimeoutError' || name === 'AbortError' ? { kind: 'timeout' } : { kind: 'network' };
  }
}

/**
 * The transport's verdict, or undefined when the gateway answered 2xx and its body decides.
 * No answer or a dropped connection is retried: the gateway may or may not have acted, and a
 * resend carries the same request id, which it recognises. 5xx, 408 and 429 are "later";
 * 401/403 are credentials a retry will not fix; any other 4xx is a request it will never take.
 */
export function transportFailure(answer: WireAnswer, exchange: (response: string) => Exchange, timeoutMs: number): DeliveryResult | undefined {
  if (answer.kind === 'timeout') return { outcome: 'failed', retryable: true, reason: `no answer within ${timeoutMs} ms`, exchange: exchange('') };
  if (answer.kind === 'network') return { outcome: 'failed', retryable: true, reason: 'the connection failed or was dropped before the answer', exchange: exchange('') };
  if (answer.status >= 200 && answer.status < 300) return undefined;
  const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429;
  const why = answer.status === 401 || answer.status === 403 ? 'credentials refused' : retryable ? 'gateway unavailable' : 'request refused';
  return { outcome: 'failed', retryable, reason: `HTTP ${answer.status} (${why})`, exchange: exchange(answer.body) };
}

/** A message's content in the attempt's record: its length only (it may name the citizen; the body's digest proves it). */
export function maskedContent(text: string): string {
  return `*** (${[...text].length} characters)`;
}

/** Printable ASCII and line breaks: what DATACODING "0" / ContentType "0" carry. */
export function isPlainAscii(text: string): boolean {
  return /^[\x20-\x7E\r\n]*$/.test(text);
}

/** A gateway's own words, short and without line breaks, for a reason. */
export function quoted(text: string | undefined, max = 120): string {
  return JSON.stringify((text ?? '').replace(/\s+/g, ' ').slice(0, max));
}
