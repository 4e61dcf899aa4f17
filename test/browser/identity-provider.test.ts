// Signing in to the console through the agency's identity provider, as in production: the engine's
// API verifies tokens by the provider's JWKS and has no local sign-in; the console sends the person
// to the provider (OpenID Connect, authorization code with PKCE, by oidc-client-ts) and back. The
// provider is the double of doubles/identity-provider-double.ts, which holds the console to the
// protocol (a wrong verifier, a reused code or another redirect URI would be refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receptionBody, tokenFor } from '../support/engine.js';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';
import { type IdentityProviderDouble, startIdentityProviderDouble } from '../../doubles/identity-provider-double.js';

const CLIENT_ID = 'motcua-console';
const receptionist = { sub: 'motcua.letan.hoa', name: 'Phạm Thị Hoa', role: 'reception', agency: SAMPLE.centre };

/** The page's storages, as the scripts evaluated in it see them (the suite's types have no DOM). */
interface BrowserStorage {
  readonly sessionStorage: { getItem(key: string): string | null };
  readonly localStorage: object;
}

let idp: IdentityProviderDouble;
let stack: ConsoleStack;

beforeAll(async () => {
  idp = await startIdentityProviderDouble({ clientId: CLIENT_ID, audience: 'motcua', user: receptionist });
  stack = await startConsoleStack('identity-provider', {
    auth: { jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: 'motcua' },
    identityProvider: { authority: idp.issuer, clientId: CLIENT_ID, scope: 'openid profile' },
  });
  // The console's return address is known once the engine listens, as an operator registers it.
  idp.addRedirectUri(`${stack.engine.url}/console/signed-in`);
});
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

describe('signing in through the identity provider', () => {
  it('offers only the agency sign-in, the API knowing no local one', async () => {
    const options = (await (await fetch(`${stack.engine.url}/auth/sign-in-options`)).json()) as Record<string, unknown>;
    expect(options).toEqual({ mode: 'identity-provider', identityProvider: { authority: idp.issuer, clientId: CLIENT_ID, scope: 'openid profile' } });
    const local = await fetch(`${stack.engine.url}/auth/local-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'reception', agency: SAMPLE.centre }) });
    expect(local.status).toBe(404);
    // A token with the suite's HS256 secret is not one this API accepts.
    const hs256 = await fetch(`${stack.engine.url}/dossiers`, { headers: { authorization: `Bearer ${await tokenFor({ userId: 'x', role: 'reception', agencyCode: SAMPLE.centre })}` } });
    expect(hs256.status).toBe(401);
  });

  it('brings the person back signed in as the provider says, with a token the API accepts', async () => {
    // A dossier at the person's centre, received by a colleague with the provider's token.
    const colleague = await idp.accessToken({ sub: 'motcua.letan.an', name: 'Lễ tân An', role: 'reception', agency: SAMPLE.centre });
    const received = await fetch(`${stack.engine.url}/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' }, body: JSON.stringify(receptionBody(SAMPLE.centre)) });
    expect(received.status).toBe(201);
    const { dossierCode } = (await received.json()) as { dossierCode: string };

    const page = await stack.newPage();
    await page.goto(stack.url);
    const button = page.getByRole('button', { name: 'Đăng nhập bằng tài khoản của cơ quan' });
    await button.waitFor();
    expect(await page.getByRole('note').count()).toBe(0);
    expect(await page.getByLabel('Vai trò').count()).toBe(0);
    await expectAccessible(page, 'the sign-in screen with an identity provider');
    const callsBefore = idp.calls.length;
    await button.click();

    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/reception');
    await expect.poll(() => page.getByText(`Đăng nhập: ${receptionist.name} — Bộ phận Một cửa, ${SAMPLE.centre}`).count()).toBe(1);
    expect(await page.getByText('local', { exact: true }).count()).toBe(0);
    // It went through the provider: one authorization, one exchange, both granted.
    expect(idp.calls.slice(callsBefore).map((call) => `${call.endpoint} ${call.status}`)).toEqual(['authorize 302', 'token 200']);
    // The code and state do not stay in the address bar or the history.
    expect(new URL(page.url()).search).toBe('');

    // The session holds the provider's access token (and nothing else of the sign-in stays), and the API reads with it.
    const stored = await page.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as BrowserStorage;
      return [...Object.keys(sessionStorage), ...Object.keys(localStorage)].filter((key) => !key.startsWith('motcua.language'));
    });
    expect(stored).toEqual(['motcua.session']);
    const token = await page.evaluate(() => (JSON.parse((globalThis as unknown as BrowserStorage).sessionStorage.getItem('motcua.session') ?? '{}') as { token?: string }).token ?? '');
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('RS256');
    const read = await page.evaluate(async ({ code, bearer }) => {
      const answer = await fetch(`/dossiers/${code}`, { headers: { authorization: `Bearer ${bearer}` } });
      return { status: answer.status, body: (await answer.json()) as { dossierCode?: string; status?: string } };
    }, { code: dossierCode, bearer: token });
    expect(read.status).toBe(200);
    expect(read.body.dossierCode).toBe(dossierCode);
    await expectAccessible(page, 'the reception start screen after the identity provider');
  });

  it('tells the person when the provider refused, and offers the way back', async () => {
    idp.fail({ mode: 'deny', times: 1 });
    const page = await stack.newPage();
    await page.goto(stack.url);
    await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản của cơ quan' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('the person refused');
    expect(await page.getByRole('button', { name: 'Đăng xuất' }).count()).toBe(0);
    await expectAccessible(page, 'a refused sign-in');
    await page.getByRole('link', { name: 'Về trang chính' }).click();
    await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản của cơ quan' }).waitFor();
  });
});
