// The portal's file links (api/portal-file-links.ts): a link verifies under its key, for its
// dossier, until its expiry, and names the file it was made for; anything altered, forged,
// truncated, padded, moved to another dossier or signed with another key does not, and hostile
// input never throws.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { portalFileLink, portalFileToken, PORTAL_FILE_TOKEN_LENGTH, verifyPortalFileToken } from '../../api/portal-file-links.js';

const KEY = 'portal-file-link-key-of-at-least-thirty-two-characters';
const CODE = '000.01.01.H99-261202-0001';
const OTHER = '000.01.01.H99-261202-0002';
const SHA = 'ab'.repeat(32);
const EXPIRES = new Date('2026-12-09T00:00:00Z');
const BEFORE = new Date('2026-12-08T23:59:59Z');

describe('portal file links', () => {
  it('makes a link under the base URL that verifies until its expiry, naming the dossier and the file', () => {
    const link = portalFileLink('https://motcua.example.gov.vn/api/', KEY, CODE, SHA, EXPIRES);
    expect(link).toMatch(/^https:\/\/motcua\.example\.gov\.vn\/api\/portal-files\/000\.01\.01\.H99-261202-0001\/v1\.[A-Za-z0-9_-]{48}\.[A-Za-z0-9_-]{22}$/);
    const token = link.split('/').pop()!;
    expect(token).toHaveLength(PORTAL_FILE_TOKEN_LENGTH);
    expect(verifyPortalFileToken(KEY, CODE, token, BEFORE)).toEqual({ ok: true, dossierCode: CODE, sha256: SHA, expiresAt: EXPIRES });
    expect(verifyPortalFileToken(KEY, CODE, token, EXPIRES)).toEqual({ ok: false, reason: 'expired' });
    expect(portalFileToken(KEY, CODE, SHA, EXPIRES)).toBe(token);
  });

  it('refuses a token moved to another dossier, signed with another key, or altered anywhere', () => {
    const token = portalFileToken(KEY, CODE, SHA, EXPIRES);
    expect(verifyPortalFileToken(KEY, OTHER, token, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyPortalFileToken(`${KEY}-other`, CODE, token, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
    const [version, body, mac] = token.split('.') as [string, string, string];
    const later = Buffer.from(body, 'base64url');
    later.writeUInt32BE(later.readUInt32BE(32) + 86_400, 32);
    const flipped = (text: string, index: number) => text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);
    for (const forged of [
      `${version}.${later.toString('base64url')}.${mac}`,
      `${version}.${body}.${flipped(mac, 5)}`,
      `${version}.${flipped(body, 3)}.${mac}`,
      // The last character's spare bits: the same bytes, another spelling.
      `${version}.${body}.${mac.slice(0, -1)}${mac.at(-1) === 'A' ? 'B' : String.fromCharCode(mac.charCodeAt(mac.length - 1) ^ 1)}`,
      `v2.${body}.${mac}`,
      `${version}.${body}.${mac.slice(0, -1)}`,
      `${version}.${body}`,
      `${token}.extra`,
    ]) {
      expect(verifyPortalFileToken(KEY, CODE, forged, BEFORE), forged).toEqual({ ok: false, reason: 'invalid' });
    }
    // A full-length MAC without the context string (the key used for something else) does not verify.
    const bare = createHmac('sha256', KEY).update(`${CODE}|${SHA}|${EXPIRES.getTime() / 1000}`).digest().subarray(0, 16).toString('base64url');
    expect(verifyPortalFileToken(KEY, CODE, `${version}.${body}.${bare}`, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses hostile input without throwing', () => {
    const token = portalFileToken(KEY, CODE, SHA, EXPIRES);
    for (const code of ['', '../etc', `${CODE}/..`, 'x'.repeat(10_000), '\u0000']) expect(verifyPortalFileToken(KEY, code, token, BEFORE), code).toEqual({ ok: false, reason: 'invalid' });
    for (const hostile of ['', '.', '..', 'v1..', 'v1.%00.x', 'v1.a.b', 'x'.repeat(10_000), `v1.${'A'.repeat(48)}.${'A'.repeat(22)}`, '\u0000', 'v1.🙂.🙂', `v1.${'/'.repeat(48)}.${'+'.repeat(22)}`]) {
      expect(verifyPortalFileToken(KEY, CODE, hostile, BEFORE), hostile.slice(0, 20)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyPortalFileToken(KEY, CODE, undefined as unknown as string, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyPortalFileToken(KEY, undefined as unknown as string, token, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses to make a link for what is not a dossier code, a digest or an instant, or with a short key', () => {
    expect(() => portalFileToken(KEY, 'x|y', SHA, EXPIRES)).toThrow(RangeError);
    expect(() => portalFileToken(KEY, CODE, 'AB'.repeat(32), EXPIRES)).toThrow(RangeError);
    expect(() => portalFileToken(KEY, CODE, SHA, 'not a date')).toThrow(RangeError);
    expect(() => portalFileToken(KEY, CODE, SHA, new Date('2200-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => portalFileToken('short', CODE, SHA, EXPIRES)).toThrow(RangeError);
  });
});
