import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { TestProject } from 'vitest/node';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { connectAndMigrate } from '../../db/connect.js';
import { ensureLocalPki } from '../../documents/signing/local-pki.js';
import { createLogger } from '../../platform/logger.js';
import { workflowsEntryPath } from '../../worker/dossier-worker.js';
import { TEST_PKI_PASSPHRASE } from './test-pki.js';

// What every project on real servers provides its test files (test/global-setup.ts on the dev
// server, test/cluster-setup.ts on the production server on PostgreSQL): the stack, the workflow
// bundle, a migrated database with the sample catalogue, and the run's local CA.

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
    scratchDir: string;
  }
}

export interface SuiteStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  /** Where each part came from, for the log line. */
  readonly origins: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts `startStack` in a scratch folder beside the bundle and the database set-up; returns the teardown. */
export async function setUpSuite(
  project: TestProject,
  startStack: (scratchDir: string, logger: Logger) => Promise<SuiteStack>,
): Promise<() => Promise<void>> {
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-test-'));
  // Under root, PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(scratchDir, 0o755);
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', pretty: false, name: 'test-stack' });
  const started = Date.now();
  const [stackResult, bundleResult] = await Promise.allSettled([
    startStack(scratchDir, logger),
    bundleWorkflowCode({ workflowsPath: workflowsEntryPath(), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } }),
  ]);
  const stack = stackResult.status === 'fulfilled' ? stackResult.value : undefined;
  const workflowBundlePath = path.join(scratchDir, 'workflow-bundle.js');
  try {
    if (stackResult.status === 'rejected') throw stackResult.reason;
    if (bundleResult.status === 'rejected') throw bundleResult.reason;
    const db = await connectAndMigrate({ connectionString: stackResult.value.databaseUrl, poolSize: 2, applicationName: 'motcua-test-setup' }, logger);
    await loadCatalogue(db, readCatalogueFile(SAMPLE_CATALOGUE_FILE)).finally(() => db.destroy());
    // One local CA for the run, with the sample agencies' keystores made before test files race
    // to use them; each file's own agencies get theirs on first use.
    const catalogue = readCatalogueFile(SAMPLE_CATALOGUE_FILE);
    ensureLocalPki({ dir: path.join(scratchDir, 'pki'), agencies: catalogue.agencies, passphrase: TEST_PKI_PASSPHRASE });
    writeFileSync(workflowBundlePath, bundleResult.value.code);
  } catch (error) {
    // Leave nothing running behind a failed set-up.
    await stack?.stop();
    rmSync(scratchDir, { recursive: true, force: true });
    throw error;
  }
  logger.warn({ seconds: (Date.now() - started) / 1000, ...stack!.origins }, 'test stack ready');

  project.provide('databaseUrl', stack!.databaseUrl);
  project.provide('temporalAddress', stack!.temporalAddress);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratchDir);

  return async () => {
    await stack!.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
}
