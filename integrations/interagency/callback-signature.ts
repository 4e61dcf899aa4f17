// How a system signs its answers' callbacks (docs/integrations.md#answers-from-the-systems), as
// webhooks commonly are: `X-Motcua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
// The signature covers the exact bytes sent (the raw body, before any JSON parsing) and the time,
// so a body cannot be altered, and a captured request cannot be replayed past the tolerance.
// The doubles sign with signAnswerCallback; the API checks with verifyAnswerCallback.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-motcua-signature';
/** How far a signature's time may be from the engine's, either way (seconds). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function mac(secret: string, t: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
}

/** The header value for a body sent at `t` (unix seconds). */
export function signAnswerCallback(secret: string, rawBody: Buffer | string, t: number = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${mac(secret, String(t), rawBody).toString('hex')}`;
}

export type SignatureVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/** At most this many `v1=` values in one header (a system signing with its current and previous secret sends two). */
const MAX_SIGNATURES = 4;

/**
 * Whether the header signs this raw body with one of the secrets, within the tolerance of
 * `nowSeconds`. The header may carry several `v1=` values (`t=…,v1=…,v1=…`, as Stripe's webhooks
 * do), so a system can sign with its new and old secret while the engine is switched over; the
 * engine accepts a match of any value with any secret configured (the current, and the previous one
 * during a rotation: docs/integrations.md#rotating-a-callback-secret). Every pair is compared, in
 * constant time; the reasons are for the log and the answer, never the expected value.
 */
export function verifyAnswerCallback(secrets: string | readonly string[], header: string | undefined, rawBody: Buffer, nowSeconds: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): SignatureVerdict {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const parts = new Map<string, string>();
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return { ok: false, reason: 'malformed' };
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 'v1') {
      signatures.push(value);
      continue;
    }
    if (parts.has(name)) return { ok: false, reason: 'malformed' };
    parts.set(name, value);
  }
  const t = parts.get('t');
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0 || signatures.length > MAX_SIGNATURES || !signatures.every((v1) => /^[0-9a-f]{64}$/i.test(v1))) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const keys = (typeof secrets === 'string' ? [secrets] : secrets).filter((secret) => secret !== '');
  let matched = false;
  for (const secret of keys) {
    const expected = mac(secret, t, rawBody);
    // No early exit: the time taken does not tell which value or secret matched.
    for (const v1 of signatures) matched = timingSafeEqual(Buffer.from(v1, 'hex'), expected) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
