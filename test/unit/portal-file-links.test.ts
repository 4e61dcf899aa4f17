// The portal's file links (api/portal-file-links.ts): a link verifies under its key until its
// expiry and names what it was made for; anything altered, forged, truncated, padded or signed
// with another key does not, and hostile input never throws.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { portalFileLink, portalFileToken, PORTAL_FILE_TOKEN_MAX_LENGTH, verifyPortalFileToken } from '../../api/portal-file-links.js';

const KEY = 'portal-file-link-key-of-at-least-thirty-two-characters';
const CODE = '000.01.01.H99-261202-0001';
const SHA = 'ab'.repeat(32);
const EXPIRES = new Date('2026-12-09T00:00:00Z');
const BEFORE = new Date('2026-12-08T23:59:59Z');

describe('portal file links', () => {
  it('makes a link under the base URL that verifies until its expiry, naming the dossier and the file', () => {
    const link = portalFileLink('https://motcua.example.gov.vn/api/', KEY, CODE, SHA, EXPIRES);
    expect(link).toMatch(/^https:\/\/motcua\.example\.gov\.vn\/api\/portal-files\/v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const token = link.split('/').pop()!;
    expect(verifyPortalFileToken(KEY, token, BEFORE)).toEqual({ ok: true, dossierCode: CODE, sha256: SHA, expiresAt: EXPIRES });
    expect(verifyPortalFileToken(KEY, token, EXPIRES)).toEqual({ ok: false, reason: 'expired' });
    expect(portalFileToken(KEY, CODE, SHA, EXPIRES)).toBe(token);
    expect(token.length).toBeLessThan(PORTAL_FILE_TOKEN_MAX_LENGTH);
  });

  it('refuses a token signed with another key, or altered anywhere', () => {
    const token = portalFileToken(KEY, CODE, SHA, EXPIRES);
    expect(verifyPortalFileToken(`${KEY}-other`, token, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const otherDossier = Buffer.from(`000.01.01.H99-261202-0002|${SHA}|${EXPIRES.getTime() / 1000}`).toString('base64url');
    const later = Buffer.from(`${CODE}|${SHA}|${EXPIRES.getTime() / 1000 + 86_400}`).toString('base64url');
    const flipped = (text: string, index: number) => text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);
    for (const forged of [
      `${version}.${otherDossier}.${mac}`,
      `${version}.${later}.${mac}`,
      `${version}.${payload}.${flipped(mac, 5)}`,
      `${version}.${flipped(payload, 3)}.${mac}`,
      `v2.${payload}.${mac}`,
      `${version}.${payload}.${mac.slice(0, -1)}`,
      `${version}.${payload}=.${mac}`,
      `${version}.${payload}`,
      `${token}.extra`,
    ]) {
      expect(verifyPortalFileToken(KEY, forged, BEFORE), forged).toEqual({ ok: false, reason: 'invalid' });
    }
    // A MAC of the payload without the context string (the key used for something else) does not verify.
    const bare = createHmac('sha256', KEY).update(Buffer.from(payload, 'base64url').toString()).digest('base64url');
    expect(verifyPortalFileToken(KEY, `${version}.${payload}.${bare}`, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a signed payload that does not name a dossier and a digest, and hostile input, without throwing', () => {
    const signed = (payload: string) => {
      const mac = createHmac('sha256', KEY).update('motcua/portal-file-link/v1\n').update(payload).digest('base64url');
      return `v1.${Buffer.from(payload).toString('base64url')}.${mac}`;
    };
    expect(verifyPortalFileToken(KEY, signed(`${CODE}|${SHA}|${EXPIRES.getTime() / 1000}`), BEFORE)).toMatchObject({ ok: true });
    for (const payload of [`../etc/passwd|${SHA}|1999999999`, `${CODE}|${SHA.toUpperCase()}|1999999999`, `${CODE}|${SHA}|1999999999|x`, `${CODE}|${SHA}|-1`, `${CODE}|${SHA}|1e10`, `${CODE}|${SHA}`, '']) {
      expect(verifyPortalFileToken(KEY, signed(payload), BEFORE), payload).toEqual({ ok: false, reason: 'invalid' });
    }
    for (const hostile of ['', '.', '..', 'v1..', 'v1.%00.x', 'v1.a.b', 'x'.repeat(10_000), 'v1.' + 'A'.repeat(300) + '.' + 'A'.repeat(43), '\u0000', 'v1.🙂.🙂', 'v1.YQ.' + 'A'.repeat(43)]) {
      expect(verifyPortalFileToken(KEY, hostile, BEFORE), hostile.slice(0, 20)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyPortalFileToken(KEY, undefined as unknown as string, BEFORE)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses to make a link for what is not a dossier code, a digest or an instant, or with a short key', () => {
    expect(() => portalFileToken(KEY, 'x|y', SHA, EXPIRES)).toThrow(RangeError);
    expect(() => portalFileToken(KEY, CODE, 'AB'.repeat(32), EXPIRES)).toThrow(RangeError);
    expect(() => portalFileToken(KEY, CODE, SHA, 'not a date')).toThrow(RangeError);
    expect(() => portalFileToken('short', CODE, SHA, EXPIRES)).toThrow(RangeError);
  });
});
