// The public links the national portal downloads a dossier's files from (integrations.md §1.3:
// "File links must be downloadable by the portal"; TH refuses to sync without its download URL, and
// the portal's generation B fetches every DuongDanTaiTepTin and DuongDanTepTinKetQua). The portal
// has no account on the engine, so the link itself is the credential: a token that names one file
// of one dossier (its SHA-256) until an instant, signed with HMAC-SHA-256 under the deployment's
// key. Nothing personal is in it: a dossier code, a digest and a time.
//
//   <base>/portal-files/v1.<base64url(dossierCode "|" sha256 "|" expiry in epoch seconds)>.<base64url(mac)>
//
// The MAC covers a context string first, so the key, were it shared with another use, could not
// sign something that verifies here. Verification is in constant time and refuses anything longer
// than a link this module writes. A link is not revocable before it expires: keep expiries short
// (the sync's retry ceiling plus a margin) and rotate the key to end them all.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DOSSIER_CODE_PATTERN } from './request-schemas.js';

const VERSION = 'v1';
const CONTEXT = 'motcua/portal-file-link/v1\n';
/** Longer than any token this module writes (a dossier code is at most ~40 characters). */
export const PORTAL_FILE_TOKEN_MAX_LENGTH = 400;
export const PORTAL_FILE_TOKEN_PATTERN = /^v1\.[A-Za-z0-9_-]{1,300}\.[A-Za-z0-9_-]{43}$/;

export type PortalFileTokenCheck =
  | { readonly ok: true; readonly dossierCode: string; readonly sha256: string; readonly expiresAt: Date }
  /** `invalid`: not a token, or not one this key signed (the two are told apart to no one); `expired`: signed, and past its time. */
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

function mac(key: string, payload: string): Buffer {
  if (key.length < 32) throw new RangeError('the portal file link key must be at least 32 characters');
  return createHmac('sha256', key).update(CONTEXT).update(payload).digest();
}

/** The token of a link to one file of one dossier, valid until `expiresAt`. */
export function portalFileToken(key: string, dossierCode: string, sha256: string, expiresAt: Date | string): string {
  if (!DOSSIER_CODE_PATTERN.test(dossierCode)) throw new RangeError(`not a dossier code: ${dossierCode}`);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError('not a lower-case hex SHA-256 digest');
  const expiry = Math.floor(new Date(expiresAt).getTime() / 1000);
  if (!Number.isSafeInteger(expiry) || expiry <= 0) throw new RangeError(`not an instant: ${String(expiresAt)}`);
  const payload = `${dossierCode}|${sha256}|${expiry}`;
  return `${VERSION}.${Buffer.from(payload, 'utf8').toString('base64url')}.${mac(key, payload).toString('base64url')}`;
}

/** The public link (`<baseUrl>/portal-files/<token>`) the sync sends as DuongDanTaiTepTin or DuongDanTepTinKetQua. */
export function portalFileLink(baseUrl: string, key: string, dossierCode: string, sha256: string, expiresAt: Date | string): string {
  return `${baseUrl.replace(/\/+$/, '')}/portal-files/${portalFileToken(key, dossierCode, sha256, expiresAt)}`;
}

/** What a token names, if this key signed it and it has not expired at `now`. */
export function verifyPortalFileToken(key: string, token: string, now: Date = new Date()): PortalFileTokenCheck {
  const invalid = { ok: false, reason: 'invalid' } as const;
  if (typeof token !== 'string' || token.length > PORTAL_FILE_TOKEN_MAX_LENGTH || !PORTAL_FILE_TOKEN_PATTERN.test(token)) return invalid;
  const [, encodedPayload, encodedMac] = token.split('.') as [string, string, string];
  const payload = Buffer.from(encodedPayload, 'base64url').toString('utf8');
  // base64url decoding is lenient (it ignores what does not decode): the token must be the
  // canonical encoding of what it decodes to, so one payload has exactly one token.
  if (Buffer.from(payload, 'utf8').toString('base64url') !== encodedPayload) return invalid;
  const given = Buffer.from(encodedMac, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== encodedMac) return invalid;
  const [dossierCode, sha256, expiry, ...rest] = payload.split('|');
  if (rest.length > 0 || !dossierCode || !DOSSIER_CODE_PATTERN.test(dossierCode) || !sha256 || !/^[0-9a-f]{64}$/.test(sha256) || !expiry || !/^[1-9]\d{0,11}$/.test(expiry)) return invalid;
  const expiresAt = new Date(Number(expiry) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, dossierCode, sha256, expiresAt };
}
