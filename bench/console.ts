// The staff console's speed, measured in Debian's Chromium against the engine as production runs it
// (the API serving console/dist and the worker, each a process of its own, on the throw-away
// PostgreSQL and Temporal of bench/run.ts), each figure beside a baseline measured in the same run:
// - the first load's compressed script: the Brotli bytes of the scripts index.html loads up front
//   (goal under 300 KB) beside the whole build's, and what Chromium actually fetched (encoded bytes)
//   on a cold first load of the sign-in screen and of a signed-in officer's queue;
// - a queue of BENCH_QUEUE_ROWS dossiers (default 1,000) for one agency, its read-model rows
//   (work_queue, dossier_summary) inserted straight into the bench's own database: the time from
//   navigation to the first row on screen, then the frame times while scrolling to the bottom
//   (requestAnimationFrame deltas, BENCH_SCROLL_STEP pixels a frame, default 100), beside the same
//   scroll over a static HTML table of as many rows in the same browser;
// - action latency: from the click on "Gửi" to the confirmation on screen (as Playwright sees it), for commands on the
//   dossier page (BENCH_CONSOLE_RUNS each, default 5), beside the same command sent to the API
//   alone, while BENCH_CONSOLE_LOAD concurrent receptions (default 4) keep the engine busy.
// No figure is asserted; a screen that is not there fails its part clearly, the others still run.
import { type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { mintToken } from '../api/auth/token-verifier.js';
import { connectAndMigrate } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { ensureConsoleBuilt } from '../dev/console-build.js';
import { freePort } from '../dev/free-port.js';
import { startProcess } from './engine-load.js';

export const CONSOLE_DIST = fileURLToPath(new URL('../console/dist/', import.meta.url));
const CHROMIUM = process.env.MOTCUA_CHROMIUM ?? '/usr/bin/chromium';
const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const CENTRE = '000.01.01.H99';
const ECONOMY = '000.03.01.H99';
const LAND_OFFICE = '000.20.99.H99';
const LAND_PROCEDURE = '1.004227';
const FRAME_MS = 1000 / 60;
/** How long a screen may take to show what the bench waits for before its part fails. */
const SCREEN_TIMEOUT_MS = 30_000;

export interface ScriptFile {
  readonly file: string;
  readonly bytes: number;
  readonly brotliBytes: number;
}

export interface BundleFigures {
  /** The scripts index.html loads up front (its module entry and modulepreloads). */
  readonly upFront: readonly ScriptFile[];
  readonly upFrontBrotliBytes: number;
  readonly wholeBuildBrotliBytes: number;
  readonly wholeBuildBytes: number;
  readonly scripts: number;
  readonly goalBytes: number;
  /** What Chromium fetched on a cold load (encoded body bytes of scripts, as Resource Timing reports them). */
  readonly browser: readonly { readonly screen: string; readonly scripts: number; readonly encodedBytes: number; readonly decodedBytes: number }[];
}

export interface FrameFigures {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Frames a 60 Hz display would have shown without a new picture: Σ max(0, round(Δ / 16.7 ms) − 1). */
  readonly dropped: number;
  readonly seconds: number;
  readonly scrolledPx: number;
}

export interface QueueFigures {
  readonly rows: number;
  readonly seededBy: 'database';
  /** Navigation start → the first row's link in the page, painted. */
  readonly firstRowMs: number;
  /** The API's own read of the whole queue (500 a page), from the bench. */
  readonly apiReadMs: number;
  readonly rowsInDomAtEnd: number;
  readonly lastRowShown: boolean;
  readonly scroll: FrameFigures;
  readonly baseline: FrameFigures;
}

export interface ActionFigure {
  readonly command: string;
  readonly runs: number;
  readonly uiP50Ms: number;
  readonly uiMaxMs: number;
  readonly apiP50Ms: number;
  readonly apiMaxMs: number;
}

export interface ActionFigures {
  readonly load: { readonly concurrency: number; readonly receptions: number; readonly perSecond: number };
  readonly commands: readonly ActionFigure[];
  readonly failures: readonly string[];
}

export interface ConsoleFigures {
  readonly bundle: BundleFigures;
  readonly queue: QueueFigures | { readonly error: string };
  readonly actions: ActionFigures | { readonly error: string };
}

const brotli = (bytes: Buffer) => brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The Brotli size the server sends: the build's .br beside the file, or the file compressed now. */
function scriptFile(file: string): ScriptFile {
  const bytes = readFileSync(file);
  return { file: path.relative(CONSOLE_DIST, file), bytes: bytes.length, brotliBytes: existsSync(`${file}.br`) ? statSync(`${file}.br`).size : brotli(bytes) };
}

/** The build's scripts: those index.html loads up front, and all of them. */
export function bundleOfBuild(directory = CONSOLE_DIST): Omit<BundleFigures, 'browser'> {
  const html = readFileSync(path.join(directory, 'index.html'), 'utf8');
  const upFrontUrls = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((match) => match[1]!);
  const upFront = [...new Set(upFrontUrls)].map((url) => scriptFile(path.join(directory, url.replace(/^\/console\//, ''))));
  const assets = path.join(directory, 'assets');
  const all = readdirSync(assets).filter((name) => name.endsWith('.js')).map((name) => scriptFile(path.join(assets, name)));
  return {
    upFront,
    upFrontBrotliBytes: upFront.reduce((sum, file) => sum + file.brotliBytes, 0),
    wholeBuildBrotliBytes: all.reduce((sum, file) => sum + file.brotliBytes, 0),
    wholeBuildBytes: all.reduce((sum, file) => sum + file.bytes, 0),
    scripts: all.length,
    goalBytes: 300 * 1024,
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function frameFigures(deltas: readonly number[], scrolledPx: number): FrameFigures {
  return {
    frames: deltas.length,
    p50Ms: percentile(deltas, 50),
    p95Ms: percentile(deltas, 95),
    maxMs: Math.max(...deltas),
    dropped: deltas.reduce((sum, delta) => sum + Math.max(0, Math.round(delta / FRAME_MS) - 1), 0),
    seconds: deltas.reduce((sum, delta) => sum + delta, 0) / 1000,
    scrolledPx,
  };
}

// The scripts below run in the page, written as text: the bench's own types know no DOM.

/** Records when the first dossier link appears in the page's main region, at the next frame (painted). */
const FIRST_ROW_WATCH = `(() => {
  window.__firstRowAt = null;
  const found = () => document.querySelector('main a[href^="/console/dossiers/"]');
  const observer = new MutationObserver(() => {
    if (window.__firstRowAt !== null || !found()) return;
    window.__firstRowAt = -1;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstRowAt = performance.now(); });
  });
  const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();`;

/**
 * Scrolls the scrolling box that holds the first dossier link (or the document) to its bottom,
 * `step` pixels a frame, and answers the frame deltas, the distance, and the rows then in the DOM.
 */
const SCROLL_TO_BOTTOM = `async (step) => {
  const link = document.querySelector('main a[href^="/console/dossiers/"], a[href^="/console/dossiers/"]');
  let box = link ? link.parentElement : null;
  while (box && box !== document.body) {
    const style = getComputedStyle(box);
    if (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight) break;
    box = box.parentElement;
  }
  const scroller = box && box !== document.body ? box : document.scrollingElement;
  scroller.scrollTop = 0;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return await new Promise((resolve) => {
    const deltas = [];
    let last = 0;
    let atBottomFor = 0;
    const frame = (now) => {
      if (last) deltas.push(now - last);
      last = now;
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) atBottomFor += 1;
      if (atBottomFor > 10 || deltas.length > 20000) {
        const links = [...document.querySelectorAll('a[href^="/console/dossiers/"]')].map((a) => a.textContent.trim());
        resolve({ deltas, scrolledPx: scroller.scrollTop, viewportPx: scroller.clientHeight, links });
        return;
      }
      scroller.scrollTop += step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}`;

/** A static table of the same rows, in a scrolling box as tall as the queue's: the baseline. */
function staticTable(codes: readonly string[], heightPx: number): string {
  const rows = codes
    .map((code, index) => `<tr><td><a href="/console/dossiers/${code}">${code}</a></td><td>Kiểm tra hồ sơ, đo đạc</td><td>${String(1 + (index % 28)).padStart(2, '0')}/12/2026 17:00</td><td>Trong hạn</td><td>Chưa phân công</td><td>01/12/2026 08:00</td></tr>`)
    .join('');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>baseline</title><style>body{font:16px system-ui;margin:0}main{padding:16px}.box{height:${heightPx}px;overflow-y:auto}table{border-collapse:collapse;width:100%}td,th{padding:12px 8px;border-bottom:1px solid #ccc;text-align:left}</style></head><body><main><h1>Hồ sơ cần xử lý</h1><div class="box"><table><thead><tr><th>Mã hồ sơ</th><th>Việc cần làm</th><th>Hạn xử lý</th><th>Tình trạng hạn</th><th>Người xử lý</th><th>Nhận từ</th></tr></thead><tbody>${rows}</tbody></table></div></main></body></html>`;
}

interface Session {
  readonly token: string;
  readonly user: string;
  readonly name: string;
  readonly role: string;
  readonly agency: string;
  readonly expiresAt: number;
  readonly local: boolean;
}

async function sessionFor(role: 'reception' | 'officer' | 'head', agency: string, user: string): Promise<Session> {
  const name = `Bench ${role}`;
  const token = await mintToken(JWT_SECRET, { sub: user, name, role, agency }, { audience: 'motcua', hours: 2 });
  return { token, user, name, role, agency, expiresAt: Date.now() + 2 * 3_600_000, local: false };
}

/** A cold page (own context: no cache) already signed in as `session`, as the console keeps it (console/src/auth/session.tsx). */
async function signedInPage(browser: Browser, session: Session | null): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  if (session) await context.addInitScript(`sessionStorage.setItem('motcua.session', ${JSON.stringify(JSON.stringify(session))});`);
  const page = await context.newPage();
  page.setDefaultTimeout(SCREEN_TIMEOUT_MS);
  return page;
}

/** The encoded and decoded bytes of the scripts the page fetched so far. */
async function scriptBytes(page: Page): Promise<{ scripts: number; encodedBytes: number; decodedBytes: number }> {
  return page.evaluate(`(() => {
    const scripts = performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.endsWith('.js'));
    return { scripts: scripts.length, encodedBytes: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0), decodedBytes: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0) };
  })()`);
}

async function firstLoads(browser: Browser, url: string, officer: Session): Promise<BundleFigures['browser']> {
  const figures = [];
  const signIn = await signedInPage(browser, null);
  await signIn.goto(`${url}/console/`);
  await signIn.getByRole('heading', { level: 1 }).first().waitFor();
  await signIn.waitForLoadState('networkidle');
  figures.push({ screen: 'sign-in (/console/)', ...(await scriptBytes(signIn)) });
  await signIn.context().close();
  const queue = await signedInPage(browser, officer);
  await queue.goto(`${url}/console/queue`);
  await queue.getByRole('heading', { level: 1 }).first().waitFor();
  await queue.waitForLoadState('networkidle');
  figures.push({ screen: "an officer's queue (/console/queue)", ...(await scriptBytes(queue)) });
  await queue.context().close();
  return figures;
}

/** 1,000 queue rows of land registration at the land office, and their dossiers' summaries, inserted directly. */
async function seedQueue(db: Kysely<Database>, rows: number): Promise<string[]> {
  const now = Date.now();
  const day = 86_400_000;
  const codes = Array.from({ length: rows }, (_, index) => `${CENTRE}-261101-${String(index + 1).padStart(4, '0')}`);
  const at = (ms: number) => new Date(ms).toISOString();
  for (let start = 0; start < rows; start += 500) {
    const slice = codes.slice(start, start + 500);
    await db
      .insertInto('dossier_summary')
      .values(
        slice.map((code, offset) => ({
          dossier_code: code,
          agency_code: CENTRE,
          procedure_code: LAND_PROCEDURE,
          channel: 'counter',
          status: 'in-processing',
          portal_status: 4,
          applicant_kind: 'citizen',
          applicant_name: `Người thử ${start + offset + 1}`,
          received_at: at(now - 10 * day),
          stream_version: 4,
          last_global_position: 0,
          updated_at: at(now - day),
          current_agencies: [LAND_OFFICE],
        })),
      )
      .execute();
    await db
      .insertInto('work_queue')
      .values(
        slice.map((code, offset) => {
          const index = start + offset;
          // A spread of due times: a tenth overdue, a tenth due soon, the rest within the month.
          const due = index % 10 === 0 ? now - (1 + (index % 5)) * day : index % 10 === 1 ? now + day / 2 : now + (2 + (index % 25)) * day;
          return { dossier_code: code, item: 'step:land-registration#1', agency_code: LAND_OFFICE, kind: 'step', task: 'Kiểm tra hồ sơ, đo đạc', since: at(now - 5 * day), due_at: at(due), handler_user_id: index % 3 === 0 ? 'vpdk.dung' : null, due_soon: index % 10 === 1, overdue: index % 10 === 0 };
        }),
      )
      .execute();
  }
  return codes;
}

async function benchQueue(browser: Browser, url: string, db: Kysely<Database>, rows: number, step: number): Promise<QueueFigures> {
  await seedQueue(db, rows);
  const officer = await sessionFor('officer', LAND_OFFICE, 'vpdk.dung');
  const read = performance.now();
  let cursor: string | null = null;
  const ordered: string[] = [];
  do {
    const answer = await fetch(`${url}/agencies/${LAND_OFFICE}/queue?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${officer.token}` } });
    if (answer.status !== 200) throw new Error(`GET /agencies/${LAND_OFFICE}/queue answered ${answer.status}: ${await answer.text()}`);
    const page = (await answer.json()) as { items: { dossierCode: string }[]; nextCursor: string | null };
    ordered.push(...page.items.map((item) => item.dossierCode));
    cursor = page.nextCursor;
  } while (cursor);
  const apiReadMs = performance.now() - read;

  const page = await signedInPage(browser, officer);
  await page.addInitScript(FIRST_ROW_WATCH);
  await page.goto(`${url}/console/queue`);
  const firstRow = page.locator('main a[href^="/console/dossiers/"]').first();
  try {
    await firstRow.waitFor({ timeout: SCREEN_TIMEOUT_MS });
  } catch {
    const heading = await page.getByRole('heading', { level: 1 }).first().textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`/console/queue showed no dossier row (a link to /console/dossiers/…) within ${SCREEN_TIMEOUT_MS / 1000} s; the page's heading is ${heading === null ? 'missing' : `"${heading}"`}. The officer's queue is console/src/pages/officer/officer-queue-page.tsx (issue 19's dossier helper): is it merged and built?`);
  }
  await page.waitForFunction('window.__firstRowAt > 0', undefined, { timeout: SCREEN_TIMEOUT_MS });
  const firstRowMs = (await page.evaluate('window.__firstRowAt')) as number;
  // The queue's whole read settles (the count says all rows) before the scroll is measured.
  await page.waitForLoadState('networkidle');
  const scrolled = (await page.evaluate(`(${SCROLL_TO_BOTTOM})(${step})`)) as { deltas: number[]; scrolledPx: number; viewportPx: number; links: string[] };
  const lastCode = ordered[ordered.length - 1];
  await page.context().close();

  const baselinePage = await signedInPage(browser, null);
  await baselinePage.setContent(staticTable(ordered, scrolled.viewportPx));
  const baseline = (await baselinePage.evaluate(`(${SCROLL_TO_BOTTOM})(${step})`)) as { deltas: number[]; scrolledPx: number };
  await baselinePage.context().close();

  return {
    rows: ordered.length,
    seededBy: 'database',
    firstRowMs,
    apiReadMs,
    rowsInDomAtEnd: scrolled.links.length,
    lastRowShown: lastCode !== undefined && scrolled.links.includes(lastCode),
    scroll: frameFigures(scrolled.deltas, scrolled.scrolledPx),
    baseline: frameFigures(baseline.deltas, baseline.scrolledPx),
  };
}

interface Command {
  /** The action's button and form title on the dossier page. */
  readonly action: string;
  readonly who: Session;
  readonly fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>;
  readonly api: (code: string) => { path: string; body: unknown };
}

/** Click on "Gửi" → the confirmation painted, in ms, for `command` on the dossier `code`. */
async function actOnScreen(browser: Browser, url: string, code: string, command: Command): Promise<number> {
  const page = await signedInPage(browser, command.who);
  try {
    await page.goto(`${url}/console/dossiers/${code}`);
    const screen = 'console/src/pages/dossier/ (issue 19\'s dossier helper, with the actions API of GET /dossiers/{code}/actions): is it merged and built?';
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${code}` }).waitFor().catch(async () => {
      const heading = await page.getByRole('heading', { level: 1 }).first().textContent({ timeout: 1000 }).catch(() => null);
      throw new Error(`/console/dossiers/${code} showed no heading "Hồ sơ ${code}" within ${SCREEN_TIMEOUT_MS / 1000} s (its heading: ${heading === null ? 'none' : `"${heading}"`}); the dossier page is ${screen}`);
    });
    await page.getByRole('button', { name: command.action }).click().catch(async () => {
      const buttons = await page.getByRole('button').allTextContents().catch(() => []);
      const alerts = await page.getByRole('alert').allTextContents().catch(() => []);
      throw new Error(`the dossier page offered no button "${command.action}" within ${SCREEN_TIMEOUT_MS / 1000} s (its buttons: ${buttons.map((text) => `"${text.trim()}"`).join(', ') || 'none'}${alerts.length ? `; it says: ${alerts.join(' / ')}` : ''}); the actions panel is ${screen}`);
    });
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: command.action }).waitFor();
    await command.fill(dialog);
    // From the click to the confirmation on screen, as Playwright sees them (it watches the page
    // for the text at each frame, so the figure is within a frame of what the person sees).
    const confirmation = page.getByRole('status').filter({ hasText: `Đã thực hiện: ${command.action}.` });
    const clicked = performance.now();
    await dialog.getByRole('button', { name: 'Gửi' }).click();
    await confirmation.waitFor({ timeout: SCREEN_TIMEOUT_MS }).catch(async () => {
      const said = [...(await page.getByRole('alert').allTextContents().catch(() => [])), ...(await page.getByRole('status').allTextContents().catch(() => []))];
      const picture = path.join(os.tmpdir(), `motcua-bench-console-${command.api(code).path.split('/').pop()}-${Date.now()}.png`);
      await page.screenshot({ path: picture }).catch(() => {});
      throw new Error(`no confirmation "Đã thực hiện: ${command.action}." within ${SCREEN_TIMEOUT_MS / 1000} s${said.length ? `; the page says: ${said.join(' / ')}` : ''} (the page then: ${picture})`);
    });
    const elapsed = performance.now() - clicked;
    return elapsed;
  } finally {
    await page.context().close();
  }
}

async function benchActions(browser: Browser, url: string, runs: number, loadConcurrency: number): Promise<ActionFigures> {
  const desk = await sessionFor('reception', CENTRE, 'bench.letan');
  const economy = await sessionFor('officer', ECONOMY, 'bench.kinhte');
  const landHead = await sessionFor('head', LAND_OFFICE, 'bench.vpdk.truong');
  const post = async (who: Session, route: string, body: unknown): Promise<{ dossierCode?: string }> => {
    const answer = await fetch(`${url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) });
    if (answer.status >= 300) throw new Error(`${route} answered ${answer.status}: ${await answer.text()}`);
    return (await answer.json()) as { dossierCode?: string };
  };
  const receive = async () => (await post(desk, '/dossiers', { agencyCode: CENTRE, procedureCode: LAND_PROCEDURE, channel: 'counter', locality: '99001', applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' } })).dossierCode!;
  /** A land dossier accepted at the centre: the economy office's commune verification in hand. */
  const accepted = async () => {
    const code = await receive();
    await post(desk, `/dossiers/${code}/accept`, {
      components: [
        { componentId: 'application', form: 'original' },
        { componentId: 'land-use-papers', form: 'certified-copy' },
        { componentId: 'tax-declaration', form: 'original' },
        { componentId: 'identity', form: 'photocopy' },
      ],
    });
    return code;
  };

  const commands: Command[] = [
    {
      action: 'Hoàn thành bước xử lý',
      who: economy,
      fill: async (dialog) => {
        await dialog.getByLabel('Kết quả thẩm định').selectOption('approved');
      },
      api: (code) => ({ path: `/dossiers/${code}/complete-step`, body: { stepId: 'commune-verification', outcome: 'approved' } }),
    },
    {
      action: 'Phân công xử lý',
      who: landHead,
      fill: async (dialog) => {
        await dialog.getByLabel('Tên đăng nhập của người xử lý').fill('vpdk.dung');
      },
      api: (code) => ({ path: `/dossiers/${code}/assign-handler`, body: { stepId: 'land-registration', handlerUserId: 'vpdk.dung' } }),
    },
  ];

  // The load: receptions at the counter, back to back, for as long as the commands are measured.
  let loading = true;
  let receptions = 0;
  const loadStarted = performance.now();
  const loaders = Array.from({ length: loadConcurrency }, async () => {
    while (loading) {
      await receive();
      receptions += 1;
    }
  });
  const figures: ActionFigure[] = [];
  const failures: string[] = [];
  try {
    // Each run: a dossier on screen and one through the API alone, each taken through the commands in order.
    const ui: number[][] = commands.map(() => []);
    const alone: number[][] = commands.map(() => []);
    const broken = new Set<number>();
    for (let run = 0; run < runs; run += 1) {
      const onScreen = await accepted();
      const viaApi = await accepted();
      for (const [index, command] of commands.entries()) {
        if (!broken.has(index)) {
          try {
            ui[index]!.push(await actOnScreen(browser, url, onScreen, command));
          } catch (error) {
            broken.add(index);
            failures.push(`${command.action} on screen: ${(error as Error).message.split('\n')[0]}`);
            // The next command needs this one done: do it through the API so it can still be measured.
            const { path: route, body } = command.api(onScreen);
            await post(command.who, route, body).catch(() => {});
          }
        } else {
          const { path: route, body } = command.api(onScreen);
          await post(command.who, route, body).catch(() => {});
        }
        const { path: route, body } = command.api(viaApi);
        const started = performance.now();
        await post(command.who, route, body);
        alone[index]!.push(performance.now() - started);
      }
    }
    for (const [index, command] of commands.entries()) {
      figures.push({ command: command.action, runs: ui[index]!.length, uiP50Ms: percentile(ui[index]!, 50), uiMaxMs: ui[index]!.length ? Math.max(...ui[index]!) : Number.NaN, apiP50Ms: percentile(alone[index]!, 50), apiMaxMs: Math.max(...alone[index]!) });
    }
  } finally {
    loading = false;
    await Promise.allSettled(loaders);
  }
  const seconds = (performance.now() - loadStarted) / 1000;
  return { load: { concurrency: loadConcurrency, receptions, perSecond: receptions / seconds }, commands: figures, failures };
}

export async function benchConsole(
  stack: { databaseUrl: string; temporalAddress: string; keystoreDir: string; passphrase: string; workflowBundle: string; documentDir: string },
  logger: Logger,
  options: { queueRows: number; scrollStep: number; runs: number; loadConcurrency: number; log: (line: string) => void },
): Promise<ConsoleFigures> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set MOTCUA_CHROMIUM.`);
  await ensureConsoleBuilt(CONSOLE_DIST, logger);
  const build = bundleOfBuild();

  const taskQueue = `bench-console-${process.pid}`;
  const port = await freePort();
  const common = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, MOTCUA_KEYSTORE_DIR: stack.keystoreDir, MOTCUA_KEYSTORE_PASSPHRASE: stack.passphrase, MOTCUA_TRUST_ANCHORS: `${stack.keystoreDir}/ca.pem`, MOTCUA_LOCAL_PKI: 'true', MOTCUA_WORKFLOW_BUNDLE: stack.workflowBundle, MOTCUA_PAYLOAD_KEYS: `bench-1:${Buffer.alloc(32, 1).toString('base64')}`, MOTCUA_APPLICANT_KEY: 'bench-applicant-key-of-at-least-thirty-two-chars', MOTCUA_DOCUMENT_DIR: stack.documentDir };
  const processes: ChildProcess[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  const db = await connectAndMigrate({ connectionString: stack.databaseUrl, poolSize: 2, applicationName: 'bench-console' }, logger);
  try {
    processes.push(await startProcess('worker/main.ts', common, 'worker running'));
    processes.push(await startProcess('api/main.ts', { ...common, HOST: '127.0.0.1', PORT: String(port), MOTCUA_JWT_SECRET: JWT_SECRET, MOTCUA_LOOKUP_KEY: 'bench-lookup-key-of-at-least-thirty-two-chars', MOTCUA_RATE_LIMIT_PER_MINUTE: '100000000', MOTCUA_CONSOLE_DIR: CONSOLE_DIST }, 'Server listening'));
    const url = `http://127.0.0.1:${port}`;

    options.log('first loads in Chromium…');
    const bundle: BundleFigures = { ...build, browser: await firstLoads(browser, url, await sessionFor('officer', LAND_OFFICE, 'vpdk.dung')) };

    options.log(`a queue of ${options.queueRows} dossiers…`);
    const queue = await benchQueue(browser, url, db, options.queueRows, options.scrollStep).catch((error: Error) => ({ error: error.message }));

    options.log(`actions on the dossier page, ${options.runs} runs each, under ${options.loadConcurrency} concurrent receptions…`);
    const actions = await benchActions(browser, url, options.runs, options.loadConcurrency).catch((error: Error) => ({ error: error.message }));
    return { bundle, queue, actions };
  } finally {
    await db.destroy();
    await browser.close();
    for (const child of processes.reverse()) child.kill('SIGTERM');
  }
}

/** Reads the figures' scripts table for printing. */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
