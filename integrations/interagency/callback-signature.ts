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

/**
 * Whether the header signs this raw body with this secret, within the tolerance of `nowSeconds`.
 * Compared in constant time; the reasons are for the log and the answer, never the expected value.
 */
export function verifyAnswerCallback(secret: string, header: string | undefined, rawBody: Buffer, nowSeconds: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): SignatureVerdict {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return { ok: false, reason: 'malformed' };
    const name = part.slice(0, at).trim();
    if (parts.has(name)) return { ok: false, reason: 'malformed' };
    parts.set(name, part.slice(at + 1).trim());
  }
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/i.test(v1)) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const given = Buffer.from(v1, 'hex');
  return timingSafeEqual(given, mac(secret, t, rawBody)) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
