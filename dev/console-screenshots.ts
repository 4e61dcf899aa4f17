// `npm run console:screenshots`: pictures of the console's main screens for docs/console.md, taken
// in Debian's Chromium at a commune office's 1366×768. It runs `npm start` on a data folder of its
// own (its own PostgreSQL and Temporal, the sample catalogue, the local sign-in), puts a few
// dossiers in different states through the API, signs in on the sign-in screen as each role and
// writes docs/console/<screen>.png. Each screen is taken on its own: one that fails is reported and
// the others are still taken. Nothing is downloaded: the browser is /usr/bin/chromium or MOTCUA_CHROMIUM.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort } from './free-port.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const OUT = path.join(root, 'docs', 'console');
const CHROMIUM = process.env.MOTCUA_CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1366, height: 768 };
const CENTRE = '000.01.01.H99';
const ECONOMY = '000.03.01.H99';
const LAND_OFFICE = '000.20.99.H99';
const LAND_PROCEDURE = '1.004227';
const HOUSEHOLD_BUSINESS = '2.000720';
const LAND_COMPONENTS = [
  { componentId: 'application', form: 'original' },
  { componentId: 'land-use-papers', form: 'certified-copy' },
  { componentId: 'tax-declaration', form: 'original' },
  { componentId: 'identity', form: 'photocopy' },
];

type Role = 'reception' | 'officer' | 'head' | 'auditor';
interface Person {
  readonly role: Role;
  readonly agency: string;
  readonly user: string;
  readonly name: string;
}

const desk: Person = { role: 'reception', agency: CENTRE, user: 'letan.an', name: 'Lễ tân An' };
const economyOfficer: Person = { role: 'officer', agency: ECONOMY, user: 'kinhte.binh', name: 'Chuyên viên Bình' };
const landOfficer: Person = { role: 'officer', agency: LAND_OFFICE, user: 'vpdk.dung', name: 'Chuyên viên Dũng' };
const centreHead: Person = { role: 'head', agency: CENTRE, user: 'lanhdao.cuong', name: 'Lãnh đạo Cường' };
const auditor: Person = { role: 'auditor', agency: CENTRE, user: 'thanhtra.em', name: 'Thanh tra Em' };

/** `npm start` on a data folder of its own, until it prints its address. */
async function startEngine(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, MOTCUA_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  // Its own PostgreSQL and Temporal, whatever the shell points at.
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'MOTCUA_OIDC_AUTHORITY', 'MOTCUA_OIDC_CLIENT_ID', 'MOTCUA_JWKS_URL']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'dev', 'start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 4 minutes:\n${output.join('').slice(-4000)}`)), 240_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('motcua is running')) {
        clearTimeout(timer);
        child.stdout!.removeListener('data', onData);
        child.stderr!.removeListener('data', onData);
        // Keep reading so a full pipe never blocks it.
        child.stdout!.resume();
        child.stderr!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output.join('').slice(-4000)}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stopEngine(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** The API as the seed talks to it: tokens from the local sign-in, commands with an idempotency key. */
function apiOf(url: string) {
  const tokens = new Map<string, string>();
  const token = async (who: Person) => {
    const known = tokens.get(who.user);
    if (known) return known;
    const answer = await fetch(`${url}/auth/local-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    if (answer.status !== 200) throw new Error(`local sign-in as ${who.role} at ${who.agency} answered ${answer.status}: ${await answer.text()}`);
    const { token: minted } = (await answer.json()) as { token: string };
    tokens.set(who.user, minted);
    return minted;
  };
  const post = async (who: Person, route: string, body: unknown): Promise<{ dossierCode?: string }> => {
    const answer = await fetch(`${url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${await token(who)}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) });
    if (answer.status >= 300) throw new Error(`POST ${route} answered ${answer.status}: ${await answer.text()}`);
    return (await answer.json()) as { dossierCode?: string };
  };
  const receive = async (procedureCode: string, fullName: string, identityNumber: string) =>
    (await post(desk, '/dossiers', { agencyCode: CENTRE, procedureCode, channel: 'counter', locality: '99001', applicant: { kind: 'citizen', fullName, identityNumber, phone: '0912 345 678', address: 'Thôn Đông, xã Hòa Bình' } })).dossierCode!;
  return { post, receive };
}

interface Seeded {
  /** A land dossier in the land office's hands (commune verification done). */
  landInProcessing?: string;
  /** A land dossier waiting for the commune's verification. */
  landAccepted?: string;
  received: string[];
}

/** A few dossiers in different states, each step on its own so one refusal does not stop the rest. */
async function seed(url: string, log: (line: string) => void): Promise<Seeded> {
  const api = apiOf(url);
  const seeded: Seeded = { received: [] };
  const step = async (what: string, run: () => Promise<void>) => {
    try {
      await run();
      log(`  seeded: ${what}`);
    } catch (error) {
      log(`  NOT seeded: ${what}: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  await step('two dossiers received at the counter, waiting for the check', async () => {
    seeded.received.push(await api.receive(HOUSEHOLD_BUSINESS, 'Nguyễn Thị Hoa', '001190000123'));
    seeded.received.push(await api.receive(LAND_PROCEDURE, 'Trần Văn Minh', '001085000456'));
  });
  await step('a land dossier accepted (form 01), at the commune verification', async () => {
    const code = await api.receive(LAND_PROCEDURE, 'Lê Thị Lan', '001192000789');
    await api.post(desk, `/dossiers/${code}/accept`, { components: LAND_COMPONENTS });
    seeded.landAccepted = code;
  });
  await step("a land dossier at the land office (commune verification done)", async () => {
    const code = await api.receive(LAND_PROCEDURE, 'Phạm Văn Nam', '001080000321');
    await api.post(desk, `/dossiers/${code}/accept`, { components: LAND_COMPONENTS });
    await api.post(economyOfficer, `/dossiers/${code}/complete-step`, { stepId: 'commune-verification', outcome: 'approved' });
    seeded.landInProcessing = code;
  });
  await step('a dossier asked for a supplement at reception (form 02)', async () => {
    const code = await api.receive(HOUSEHOLD_BUSINESS, 'Đỗ Thị Mai', '001195000654');
    await api.post(desk, `/dossiers/${code}/request-supplement-at-reception`, { missing: [{ componentId: 'application', description: 'Giấy đề nghị đăng ký hộ kinh doanh', reason: 'Chưa có chữ ký của chủ hộ' }] });
  });
  return seeded;
}

async function signIn(page: Page, url: string, who: Person): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Vai trò').selectOption(who.role);
  await page.getByLabel('Đơn vị').selectOption(who.agency);
  await page.getByLabel('Tên đăng nhập').fill(who.user);
  await page.getByLabel('Họ và tên').fill(who.name);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

interface Shot {
  readonly file: string;
  readonly what: string;
  /** Who is signed in; none for the sign-in screen. */
  readonly as?: Person;
  /** Brings the page to the screen, ready to be taken. */
  readonly show: (page: Page) => Promise<void>;
}

async function settle(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
  // Fonts and the last paint.
  await page.evaluate('document.fonts ? document.fonts.ready.then(() => true) : true');
}

async function take(browser: Browser, url: string, shot: Shot): Promise<string> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    if (shot.as) await signIn(page, url, shot.as);
    await shot.show(page);
    const file = path.join(OUT, shot.file);
    await page.screenshot({ path: file, fullPage: false });
    return file;
  } finally {
    await context.close();
  }
}

function shots(url: string, seeded: Seeded): Shot[] {
  const go = (address: string) => async (page: Page) => {
    await page.goto(`${url}/console${address}`);
    await settle(page);
  };
  const dossier = seeded.landInProcessing;
  const needs = (code: string | undefined, what: string) => {
    if (!code) throw new Error(`no ${what} was seeded`);
    return code;
  };
  return [
    { file: 'sign-in.png', what: 'the sign-in screen (local sign-in of npm start)', show: go('/') },
    { file: 'reception-queue.png', what: "reception's queue", as: desk, show: go('/reception') },
    { file: 'receive-form.png', what: 'receiving a dossier at the counter', as: desk, show: go('/reception/new') },
    { file: 'search.png', what: 'looking a dossier up', as: desk, show: go('/search') },
    { file: 'officer-queue.png', what: "the land office's queue", as: landOfficer, show: go('/queue') },
    {
      file: 'dossier.png',
      what: 'a dossier with the actions the officer may take',
      as: landOfficer,
      show: async (page) => {
        await go(`/dossiers/${needs(dossier, 'dossier at the land office')}`)(page);
        await page.getByRole('button', { name: 'Hoàn thành bước xử lý' }).waitFor();
      },
    },
    {
      file: 'dossier-action-form.png',
      what: "an action's form (completing a step)",
      as: landOfficer,
      show: async (page) => {
        await go(`/dossiers/${needs(dossier, 'dossier at the land office')}`)(page);
        await page.getByRole('button', { name: 'Hoàn thành bước xử lý' }).click();
        await page.getByRole('dialog').getByRole('heading', { name: 'Hoàn thành bước xử lý' }).waitFor();
      },
    },
    { file: 'dashboard.png', what: "the head's Decision 766 dashboard", as: centreHead, show: go('/dashboard') },
    { file: 'register.png', what: 'the register (form 07)', as: centreHead, show: go('/register') },
    { file: 'audit.png', what: "the auditor's start screen", as: auditor, show: go('/audit') },
    { file: 'audit-dossier.png', what: "a dossier's timeline for the auditor", as: auditor, show: go(`/audit/${needs(seeded.landInProcessing ?? seeded.landAccepted, 'accepted dossier')}`) },
  ];
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set MOTCUA_CHROMIUM to its path.`);
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-screenshots-'));
  // The postgres user must reach the cluster inside it (dev/postgres-server.ts).
  chmodSync(dataDir, 0o755);
  console.log(`starting npm start on ${dataDir} (it builds the console when needed)…`);
  const engine = await startEngine(dataDir);
  let browser: Browser | undefined;
  const written: string[] = [];
  const failed: string[] = [];
  try {
    console.log(`engine at ${engine.url}; seeding…`);
    const seeded = await seed(engine.url, (line) => console.log(line));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars'] });
    for (const shot of shots(engine.url, seeded)) {
      try {
        const file = await take(browser, engine.url, shot);
        written.push(file);
        console.log(`wrote ${path.relative(root, file)}: ${shot.what}`);
      } catch (error) {
        failed.push(shot.file);
        console.log(`NOT written ${shot.file} (${shot.what}): ${(error as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await browser?.close();
    await stopEngine(engine.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\n${written.length} screenshots in ${path.relative(root, OUT)}/${failed.length > 0 ? `; not taken: ${failed.join(', ')}` : ''}`);
  if (failed.length > 0) process.exitCode = 1;
}

await main();
