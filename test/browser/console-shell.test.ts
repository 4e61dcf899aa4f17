// The console's shell in a real browser: served under /console/ beside an API whose own answers are
// unchanged, the local sign-in marked as local, each role's start screen, the language switch, and
// the shell accessible by axe's checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authAs } from '../support/engine.js';
import { type ConsoleStack, expectAccessible, SAMPLE, startConsoleStack } from '../support/console-stack.js';

let stack: ConsoleStack;
beforeAll(async () => {
  stack = await startConsoleStack('console-shell');
});
afterAll(async () => {
  await stack?.close();
});

describe('the console beside the API', () => {
  it('answers the app under /console/ only, and the API keeps its 404s and 405s', async () => {
    const base = stack.engine.url;
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    const screen = await fetch(`${base}/console/dossiers/000.01.01.H99-261202-0001`);
    expect(screen.status).toBe(200);
    expect(screen.headers.get('content-type')).toMatch(/text\/html/);
    expect(screen.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await screen.text()).toContain('<div id="root">');
    const missingAsset = await fetch(`${base}/console/assets/nothing-here.js`);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const unknownApiRoute = await fetch(`${base}/dossierz`);
    expect(unknownApiRoute.status).toBe(404);
    expect(unknownApiRoute.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const wrongMethod = await fetch(`${base}/dossiers`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
  });

  it('serves its scripts compressed and cached for good', async () => {
    const html = await (await fetch(stack.url)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const answer = await fetch(`${stack.engine.url}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).toBe('br');
    expect(answer.headers.get('cache-control')).toContain('immutable');
  });
});

describe('signing in', () => {
  it('offers the sample roles and agencies, says it is local, and lands each role on its screen', async () => {
    const page = await stack.newPage();
    await page.goto(stack.url);
    await expect.poll(() => page.getByRole('note').textContent()).toContain('Đăng nhập cục bộ');
    await expectAccessible(page, 'the sign-in screen');
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
    expect(new URL(page.url()).pathname).toBe('/console/reception');
    await expect.poll(() => page.getByText('Đăng nhập: Lễ tân An — Bộ phận Một cửa, 000.01.01.H99').count()).toBe(1);
    expect(await page.getByText('Đăng nhập cục bộ', { exact: true }).count()).toBe(1);
    await expectAccessible(page, 'the reception start screen');

    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
  });

  it('leaves nothing of the last person on a shared computer: no token stored, no screen of theirs from memory', async () => {
    // A dossier waiting at the centre, so the first person's queue shows it.
    const reception = await authAs({ userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre });
    const received = await fetch(`${stack.engine.url}/dossiers`, {
      method: 'POST',
      headers: { ...reception, 'content-type': 'application/json' },
      body: JSON.stringify({ agencyCode: SAMPLE.centre, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Trần Thị Bình', identityNumber: '001190012346' } }),
    });
    expect(received.status).toBe(201);
    const { dossierCode } = (await received.json()) as { dossierCode: string };
    const page = await stack.newPage();
    await stack.signIn(page, { role: 'reception', agency: SAMPLE.centre, user: 'letan.an', name: 'Lễ tân An' });
    await page.getByRole('link', { name: dossierCode }).waitFor();

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    const stored = await page.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as { sessionStorage: Record<string, unknown>; localStorage: Record<string, unknown> };
      return [...Object.keys(sessionStorage), ...Object.keys(localStorage)].filter((key) => !key.startsWith('motcua.language'));
    });
    expect(stored).toEqual([]);

    // The next person signs in on the same tab, without a reload, while the API is slow to answer
    // their queue: they see it loading, never the last person's dossiers kept in memory.
    await page.route(/\/(agencies|dossiers)(\/|\?)/, () => {});
    await page.getByLabel('Vai trò').selectOption('reception');
    await page.getByLabel('Đơn vị').selectOption(SAMPLE.centre);
    await page.getByLabel('Tên đăng nhập').fill('letan.binh');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    await page.getByText('Đang tải…').first().waitFor();
    expect(await page.getByRole('link', { name: dossierCode }).count()).toBe(0);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  it('names the agency a local sign-in cannot act for', async () => {
    const answer = await fetch(`${stack.engine.url}/auth/local-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'reception', agency: '999.99.99.H99' }) });
    expect(answer.status).toBe(422);
    const problem = (await answer.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('UNKNOWN_AGENCY');
    expect(problem.errors[0]?.field).toBe('agency');
  });
});

describe("the trial's signed sample decision", () => {
  it('is signed for the competent body only, once the dossier is accepted, and verifies as its agency', async () => {
    const base = stack.engine.url;
    const reception = await authAs({ userId: 'letan.an', role: 'reception', agencyCode: SAMPLE.centre });
    const received = await fetch(`${base}/dossiers`, {
      method: 'POST',
      headers: { ...reception, 'content-type': 'application/json' },
      body: JSON.stringify({ agencyCode: SAMPLE.centre, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345' } }),
    });
    expect(received.status).toBe(201);
    const { dossierCode } = (await received.json()) as { dossierCode: string };
    const competentHead = await authAs({ userId: 'lanhdao.kt', role: 'head', agencyCode: SAMPLE.economy });
    const trialResult = (headers: Record<string, string>) => fetch(`${base}/dossiers/${dossierCode}/trial-result`, { method: 'POST', headers });

    const beforeAcceptance = await trialResult(competentHead);
    expect(beforeAcceptance.status).toBe(422);
    expect(((await beforeAcceptance.json()) as { code: string }).code).toBe('COMMAND_OUT_OF_ORDER');

    const accepted = await fetch(`${base}/dossiers/${dossierCode}/accept`, {
      method: 'POST',
      headers: { ...reception, 'content-type': 'application/json' },
      body: JSON.stringify({ components: [{ componentId: 'application', form: 'original' }, { componentId: 'owner-identity', form: 'photocopy' }] }),
    });
    expect(accepted.status).toBe(200);

    const officer = await trialResult(await authAs({ userId: 'chuyenvien.kt', role: 'officer', agencyCode: SAMPLE.economy }));
    expect(officer.status).toBe(403);
    const otherHead = await trialResult(await authAs({ userId: 'lanhdao.tp', role: 'head', agencyCode: SAMPLE.justice }));
    expect(otherHead.status).toBe(403);
    expect(((await otherHead.json()) as { code: string }).code).toBe('NOT_THE_COMPETENT_AGENCY');

    const signed = await trialResult(competentHead);
    expect(signed.status).toBe(200);
    expect(signed.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await signed.arrayBuffer());
    const verified = await fetch(`${base}/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf });
    const report = (await verified.json()) as { valid: boolean; signedByAgency: { agencyCode: string } | null };
    expect(report.valid).toBe(true);
    expect(report.signedByAgency?.agencyCode).toBe(SAMPLE.economy);
  });
});

