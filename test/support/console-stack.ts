// The staff console as a person meets it: the engine as `npm start` runs it (API, worker, the real
// PostgreSQL and Temporal of the suite) on a database of its own with the sample catalogue, serving
// the built console, and Debian's Chromium driven by Playwright (docs/testing.md#browser-tests).
// Nothing is downloaded: Playwright drives the machine's Chromium (/usr/bin/chromium, or
// MOTCUA_CHROMIUM), which .ci/run installs.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../../dev/free-port.js';
import { locateTemporalCli } from '../../dev/temporal-cli.js';
import { startTemporalServer } from '../../dev/temporal-server.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../db/database.js';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { consoleBuildNeeded } from '../../dev/console-build.js';
import type { TokenSettings } from '../../api/auth/token-verifier.js';
import type { IdentityProviderSettings } from '../../api/routes/console-sign-in.js';
import type { InteragencyInbound } from '../../integrations/interagency/inbound-config.js';
import { postCommand, receiveDossier, startTestEngine, type TestEngine, type TestPayment } from './engine.js';
import { databaseOfItsOwn } from './time-skipping-engine.js';

export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'console', 'dist');
const CHROMIUM = process.env.MOTCUA_CHROMIUM ?? '/usr/bin/chromium';

/** The sample catalogue's desks (catalogue/sample-catalogue.json). */
export const SAMPLE = {
  centre: '000.01.01.H99',
  economy: '000.03.01.H99',
  justice: '000.02.01.H99',
  landOffice: '000.20.99.H99',
  taxOffice: '000.30.99.H99',
} as const;

export type ConsoleRole = 'reception' | 'officer' | 'head' | 'auditor' | 'admin';

export interface ConsoleStack {
  readonly engine: TestEngine;
  /** The console's address: <api>/console/. */
  readonly url: string;
  readonly browser: Browser;
  /** A fresh browser context (its own session storage) and page, at a commune office's screen size. */
  newPage(options?: { readonly viewport?: { width: number; height: number } }): Promise<Page>;
  /** Signs in on `page` through the local sign-in screen, as a person would. */
  signIn(page: Page, as: { readonly role: ConsoleRole; readonly agency: string; readonly user?: string; readonly name?: string }): Promise<void>;
  close(): Promise<void>;
}

export function chromiumHelp(): string {
  return `No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) or set MOTCUA_CHROMIUM to its path. Playwright never downloads a browser here.`;
}

/**
 * How the stack's engine signs people in. By default the local sign-in of `npm start` with the
 * suite's HS256 secret; with `identityProvider` the console sends people there and `auth` says how
 * the API verifies its tokens (the provider's JWKS).
 */
export interface ConsoleStackOptions {
  readonly auth?: TokenSettings;
  readonly identityProvider?: IdentityProviderSettings;
  /** The outside systems whose signed answers the API takes (docs/integrations.md#answers-from-the-systems); none by default. */
  readonly interagency?: InteragencyInbound;
  /** The national payment platform's loopback double the engine starts payments with and is called back by; none by default. */
  readonly payment?: TestPayment;
}

export async function startConsoleStack(name: string, options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  if (!existsSync(CHROMIUM)) throw new Error(chromiumHelp());
  // test/browser-setup.ts builds it before the browser tests when it is missing or stale.
  const stale = consoleBuildNeeded(CONSOLE_DIR);
  if (stale === 'no build yet') throw new Error(`No console build in ${CONSOLE_DIR}: run npm run console:build.`);
  const databaseUrl = await databaseOfItsOwn();
  const db = createDatabase({ connectionString: databaseUrl, poolSize: 1, applicationName: 'motcua-test-console' });
  await loadCatalogue(db, readCatalogueFile(SAMPLE_CATALOGUE_FILE));
  await db.destroy();
  // A document directory as `npm start` has one: scans uploaded on the screens are staged there.
  const documentDirectory = mkdtempSync(path.join(tmpdir(), `motcua-console-${name}-documents-`));
  // A Temporal server of its own as well (in memory, as `npm start` has one): every stack's first
  // dossier at the sample centre has the same code, so the same workflow id, which must never meet
  // another stack's workflow or its worker.
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'console-stack' });
  const temporalServer = await startTemporalServer({ cli: await locateTemporalCli(logger, process.env.TEMPORAL_CLI), port: await freePort(), namespace: 'default' }, logger);
  let engine: TestEngine;
  try {
    engine = await startTestEngine({ name, databaseUrl, documentDirectory, temporalAddress: temporalServer.address, console: { directory: CONSOLE_DIR, ...(options.identityProvider ? { identityProvider: options.identityProvider } : {}) }, ...(options.auth ? { auth: options.auth } : {}), ...(options.interagency ? { interagency: options.interagency } : {}), ...(options.payment ? { payment: options.payment } : {}) });
  } catch (error) {
    await temporalServer.stop();
    throw error;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium's own calls home are refused on these machines' closed network; keep it quiet.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const contexts: BrowserContext[] = [];
  const url = `${engine.url}/console/`;
  return {
    engine,
    url,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async signIn(page, as) {
      await page.goto(url);
      await page.getByLabel('Vai trò').selectOption(as.role);
      await page.getByLabel('Đơn vị').selectOption(as.agency);
      if (as.user) await page.getByLabel('Tên đăng nhập').fill(as.user);
      if (as.name) await page.getByLabel('Họ và tên').fill(as.name);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await engine.close();
      await temporalServer.stop();
    },
  };
}

/** A set-up command's answer, or the test stops there with what the API said. */
export async function taken(answer: Promise<{ status: number; json: any }>): Promise<any> {
  const { status, json } = await answer;
  if (status !== 200) throw new Error(`the set-up command answered ${status}: ${JSON.stringify(json)}`);
  return json;
}

/** A household business dossier (2.000720) received and accepted by the sample centre's `desk` through the API: its code and lookup secret. */
export async function acceptedHouseholdBusiness(engineUrl: string, desk: { readonly userId: string; readonly role: 'reception'; readonly agencyCode: string }): Promise<{ code: string; secret: string }> {
  const code = await receiveDossier(engineUrl, desk, SAMPLE.centre, '2.000720');
  const accepted = await taken(postCommand(`${engineUrl}/dossiers/${code}/accept`, desk, { components: [{ componentId: 'application', form: 'original' }, { componentId: 'owner-identity', form: 'photocopy' }] }));
  return { code, secret: accepted.lookupSecret };
}

/**
 * Axe's accessibility check of what the page shows now (WCAG 2.1 A and AA): no violation, each
 * named with its nodes when there is one.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(' ')).join('\n  ')}`);
  expect(violations, `accessibility of ${what}`).toEqual([]);
}
