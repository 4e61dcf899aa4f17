// The public links the national portal downloads a dossier's files from (docs/integrations/national-portal.md#file-links-for-the-portal:
// file links must be downloadable by the portal; TH refuses to sync without its download URL, and
// the portal's generation B fetches every DuongDanTaiTepTin and DuongDanTepTinKetQua). The portal
// has no account on the engine, so the link itself is the credential: a token that names one file
// of one dossier (its SHA-256) until an instant, signed with HMAC-SHA-256 under the deployment's
// key. Nothing personal is in it: a dossier code, a digest and a time.
//
//   <base>/portal-files/<dossierCode>/v1.<base64url(sha256 (32 bytes) ‖ expiry (uint32, epoch seconds))>.<base64url(mac, 16 bytes)>
//
// The dossier code is a path segment of its own and the token stays short (74 characters): a path
// parameter is at most 100 characters (Fastify's router). The MAC (HMAC-SHA-256 truncated to 128
// bits) covers the dossier code, the digest and the expiry.
// The MAC covers a context string first, so the key, were it shared with another use, could not
// sign something that verifies here. Verification is in constant time and refuses anything longer
// than a link this module writes. A link is not revocable before it expires: keep expiries short
// (the sync's retry ceiling plus a margin) and rotate the key to end them all.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DOSSIER_CODE_PATTERN } from './request-schemas.js';

const VERSION = 'v1';
const CONTEXT = 'motcua/portal-file-link/v1\n';
const MAC_BYTES = 16;
/** The length of every token this module writes. */
export const PORTAL_FILE_TOKEN_LENGTH = 74;
export const PORTAL_FILE_TOKEN_PATTERN = /^v1\.[A-Za-z0-9_-]{48}\.[A-Za-z0-9_-]{22}$/;

export type PortalFileTokenCheck =
  | { readonly ok: true; readonly dossierCode: string; readonly sha256: string; readonly expiresAt: Date }
  /** `invalid`: not a token, or not one this key signed for this dossier (the two are told apart to no one); `expired`: signed, and past its time. */
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

function mac(key: string, dossierCode: string, sha256: string, expiry: number): Buffer {
  if (key.length < 32) throw new RangeError('the portal file link key must be at least 32 characters');
  return createHmac('sha256', key).update(CONTEXT).update(`${dossierCode}|${sha256}|${expiry}`).digest().subarray(0, MAC_BYTES);
}

/** The token of a link to one file of one dossier, valid until `expiresAt` (the dossier code goes in the path beside it). */
export function portalFileToken(key: string, dossierCode: string, sha256: string, expiresAt: Date | string): string {
  if (!DOSSIER_CODE_PATTERN.test(dossierCode)) throw new RangeError(`not a dossier code: ${dossierCode}`);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError('not a lower-case hex SHA-256 digest');
  const expiry = Math.floor(new Date(expiresAt).getTime() / 1000);
  if (!Number.isSafeInteger(expiry) || expiry <= 0 || expiry > 0xffffffff) throw new RangeError(`not an instant a link can expire at: ${String(expiresAt)}`);
  const body = Buffer.alloc(36);
  Buffer.from(sha256, 'hex').copy(body, 0);
  body.writeUInt32BE(expiry, 32);
  return `${VERSION}.${body.toString('base64url')}.${mac(key, dossierCode, sha256, expiry).toString('base64url')}`;
}

/** The public link (`<baseUrl>/portal-files/<dossierCode>/<token>`) the sync sends as DuongDanTaiTepTin or DuongDanTepTinKetQua. */
export function portalFileLink(baseUrl: string, key: string, dossierCode: string, sha256: string, expiresAt: Date | string): string {
  return `${baseUrl.replace(/\/+$/, '')}/portal-files/${dossierCode}/${portalFileToken(key, dossierCode, sha256, expiresAt)}`;
}

/** What a token names for this dossier, if this key signed it and it has not expired at `now`. */
export function verifyPortalFileToken(key: string, dossierCode: string, token: string, now: Date = new Date()): PortalFileTokenCheck {
  const invalid = { ok: false, reason: 'invalid' } as const;
  if (typeof dossierCode !== 'string' || !DOSSIER_CODE_PATTERN.test(dossierCode)) return invalid;
  if (typeof token !== 'string' || token.length !== PORTAL_FILE_TOKEN_LENGTH || !PORTAL_FILE_TOKEN_PATTERN.test(token)) return invalid;
  const [, encodedBody, encodedMac] = token.split('.') as [string, string, string];
  const body = Buffer.from(encodedBody, 'base64url');
  const given = Buffer.from(encodedMac, 'base64url');
  // base64url decoding ignores stray bits of the last character: one payload, exactly one token.
  if (body.length !== 36 || body.toString('base64url') !== encodedBody || given.length !== MAC_BYTES || given.toString('base64url') !== encodedMac) return invalid;
  const sha256 = body.subarray(0, 32).toString('hex');
  const expiry = body.readUInt32BE(32);
  if (!timingSafeEqual(given, mac(key, dossierCode, sha256, expiry))) return invalid;
  const expiresAt = new Date(expiry * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, dossierCode, sha256, expiresAt };
}
