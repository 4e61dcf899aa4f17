import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../db/catalogue.js';
import { connectAndMigrate } from '../db/connect.js';
import { startLocalStack } from '../dev/local-stack.js';
import { createLogger } from '../platform/logger.js';
import { workflowsEntryPath } from '../worker/dossier-worker.js';
import { ensureLocalPki } from '../documents/signing/local-pki.js';
import { TEST_PKI_PASSPHRASE } from './support/test-pki.js';

// The suite's own stack: a throw-away PostgreSQL and Temporal dev server on free ports, never the
// developer's running instance (DATABASE_URL and TEMPORAL_ADDRESS are ignored here on purpose).

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
    scratchDir: string;
  }
}

export default async function setup(project: TestProject) {
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-test-'));
  // Under root, PostgreSQL runs as the postgres user, who must be able to enter this folder.
  chmodSync(scratchDir, 0o755);
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', pretty: false, name: 'test-stack' });
  const started = Date.now();
  const [stackResult, bundleResult] = await Promise.allSettled([
    startLocalStack(
      {
        dataDir: scratchDir,
        namespace: 'default',
        mode: 'disposable',
        ...(process.env.TEMPORAL_CLI ? { temporalCli: process.env.TEMPORAL_CLI } : {}),
        ...(process.env.PG_BIN ? { postgresBinDir: process.env.PG_BIN } : {}),
      },
      logger,
    ),
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
