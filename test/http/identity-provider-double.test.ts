// The identity provider's double (doubles/identity-provider-double.ts) holds the console to the
// OpenID Connect contract, and its access tokens are ones the API's verifier accepts by the JWKS.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../api/auth/token-verifier.js';
import { type IdentityProviderDouble, s256, startIdentityProviderDouble } from '../../doubles/identity-provider-double.js';

const REDIRECT = 'http://127.0.0.1:1/console/signed-in';
const person = { sub: 'chuyenvien.binh', name: 'Trần Văn Bình', role: 'officer', agency: '000.20.99.H99' };
let idp: IdentityProviderDouble;

beforeAll(async () => {
  idp = await startIdentityProviderDouble({ clientId: 'motcua-console', redirectUris: [REDIRECT], audience: 'motcua', user: person });
});
afterAll(async () => {
  await idp?.close();
});

function authorizeUrl(overrides: Record<string, string | undefined> = {}, verifier = newVerifier()): string {
  const url = new URL(`${idp.issuer}/authorize`);
  const params: Record<string, string | undefined> = { response_type: 'code', client_id: 'motcua-console', redirect_uri: REDIRECT, scope: 'openid profile', state: 'st-1', code_challenge: s256(verifier), code_challenge_method: 'S256', ...overrides };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

function newVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The redirect the browser would follow, as a URL. */
async function authorize(overrides: Record<string, string | undefined> = {}, verifier = newVerifier()): Promise<{ status: number; location: URL | null; text: string }> {
  const answer = await fetch(authorizeUrl(overrides, verifier), { redirect: 'manual' });
  const location = answer.headers.get('location');
  return { status: answer.status, location: location ? new URL(location) : null, text: await answer.text() };
}

async function exchange(fields: Record<string, string | undefined>): Promise<{ status: number; json: Record<string, string> }> {
  const body = new URLSearchParams(Object.entries({ grant_type: 'authorization_code', client_id: 'motcua-console', redirect_uri: REDIRECT, ...fields }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const answer = await fetch(`${idp.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:1' }, body });
  return { status: answer.status, json: (await answer.json()) as Record<string, string> };
}

describe('the identity provider double', () => {
  it('publishes its discovery document and its key', async () => {
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: idp.issuer, jwks_uri: idp.jwksUrl, code_challenge_methods_supported: ['S256'], response_types_supported: ['code'] });
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: { kty: string; alg: string; kid: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('signs the configured person in: a code for the state, tokens the API accepts by the JWKS', async () => {
    const verifier = newVerifier();
    const back = await authorize({ nonce: 'n-1' }, verifier);
    expect(back.status).toBe(302);
    expect(back.location?.origin + back.location!.pathname).toBe(REDIRECT);
    expect(back.location?.searchParams.get('state')).toBe('st-1');
    expect(back.location?.searchParams.get('iss')).toBe(idp.issuer);
    const code = back.location?.searchParams.get('code') ?? '';
    const tokens = await exchange({ code, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    expect(tokens.json.token_type).toBe('Bearer');
    const verify = createTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: 'motcua' });
    expect(await verify(tokens.json.access_token!)).toEqual({ actor: { userId: person.sub, role: 'officer', agencyCode: person.agency }, displayName: person.name });
    const idClaims = JSON.parse(Buffer.from(tokens.json.id_token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(idClaims).toMatchObject({ sub: person.sub, aud: 'motcua-console', iss: idp.issuer, nonce: 'n-1' });
    // The id token is for the console, not the API.
    await expect(verify(tokens.json.id_token!)).rejects.toThrow(/aud/);
  });

  it('refuses a wrong verifier, a reused code and another redirect URI', async () => {
    const verifier = newVerifier();
    const wrong = await exchange({ code: (await authorize({}, verifier)).location?.searchParams.get('code') ?? '', code_verifier: newVerifier() });
    expect(wrong).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(wrong.json.error_description).toMatch(/code_verifier/);

    const code = (await authorize({}, verifier)).location?.searchParams.get('code') ?? '';
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
    const again = await exchange({ code, code_verifier: verifier });
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(again.json.error_description).toMatch(/exchanged already/);

    const other = await exchange({ code: (await authorize({}, verifier)).location?.searchParams.get('code') ?? '', code_verifier: verifier, redirect_uri: 'http://127.0.0.1:1/elsewhere' });
    expect(other).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(other.json.error_description).toMatch(/redirect_uri/);
  });

  it('sends no browser to an unregistered address, and asks for PKCE S256', async () => {
    const unregistered = await authorize({ redirect_uri: 'http://attacker.example/cb' });
    expect(unregistered.status).toBe(400);
    expect(unregistered.location).toBeNull();
    expect(unregistered.text).toMatch(/not registered/);
    const plain = await authorize({ code_challenge_method: 'plain' });
    expect(plain.status).toBe(302);
    expect(plain.location?.searchParams.get('error')).toBe('invalid_request');
    expect(plain.location?.searchParams.get('code')).toBeNull();
  });

  it('switches faults on and off: a refusal by the person, an unavailable token endpoint', async () => {
    idp.fail({ mode: 'deny', times: 1 });
    expect((await authorize()).location?.searchParams.get('error')).toBe('access_denied');
    const verifier = newVerifier();
    const code = (await authorize({}, verifier)).location?.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    idp.fail({ mode: '5xx', times: 1 });
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(503);
    idp.fail({ mode: 'none' });
    expect(idp.calls.some((call) => call.endpoint === 'token' && call.status === 503)).toBe(true);
  });
});
