// The lookup secret printed on the receipt lets a citizen check their dossier without an account.
// It is derived, not stored: an HMAC of the dossier code under a server key, written in Crockford's
// base32 (no I, L, O, U to misread), so the receipt can be printed again at any time and nothing
// secret sits in the event log. Rotating the key invalidates the secrets already printed.
import { createHmac, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const LOOKUP_SECRET_LENGTH = 10;

export function lookupSecretFor(key: string, dossierCode: string): string {
  const digest = createHmac('sha256', key).update(dossierCode).digest();
  let secret = '';
  for (let index = 0; index < LOOKUP_SECRET_LENGTH; index += 1) secret += ALPHABET[digest[index]! % 32];
  return secret;
}

/** Compares in constant time, ignoring case, spaces and dashes as a citizen may type them. */
export function isLookupSecret(key: string, dossierCode: string, typed: string): boolean {
  const normalised = typed.toUpperCase().replace(/[\s-]/g, '');
  const expected = lookupSecretFor(key, dossierCode);
  return normalised.length === expected.length && timingSafeEqual(Buffer.from(normalised), Buffer.from(expected));
}
