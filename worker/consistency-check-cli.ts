// `npm run engine:check [-- --cluster <dataDir>] [--answered <file>] [--json]`: the engine's
// consistency checks (worker/consistency-check.ts) against DATABASE_URL and TEMPORAL_ADDRESS (with
// MOTCUA_PAYLOAD_KEYS to read histories, MOTCUA_APPLICANT_KEY for the index of reusable files), or
// against a cluster's data folder (`npm run start:cluster` writes cluster.json and keeps the secrets
// there). `--answered`: a file of dossier codes (one a line) the load saw answered. Prints the
// report; exits 1 on any failure, 2 on bad settings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { connectAndMigrate } from '../db/connect.js';
import { readClusterFile } from '../dev/cluster-file.js';
import { ConfigurationError, payloadKeys, readEnvironment } from '../platform/environment.js';
import { createLogger } from '../platform/logger.js';
import { encryptedDataConverter, operatorDataConverter } from '../platform/payload-codec.js';
import { installTemporalRuntime } from './temporal-runtime.js';
import { checkConsistency, formatConsistencyReport } from './consistency-check.js';

const env = readEnvironment();
const logger = createLogger({ level: env.LOG_LEVEL, name: 'motcua-check' });
installTemporalRuntime(logger);
const { values } = parseArgs({ options: { cluster: { type: 'string' }, answered: { type: 'string' }, json: { type: 'boolean', default: false } } });

let settings: { databaseUrl: string; temporalAddress: string; namespace: string; applicantKey?: string; workflowBundle?: string; dataConverter: ReturnType<typeof encryptedDataConverter> };
try {
  if (values.cluster) {
    const cluster = readClusterFile(path.resolve(values.cluster));
    settings = { ...cluster, dataConverter: encryptedDataConverter(payloadKeys({ ...env, MOTCUA_PAYLOAD_KEYS: cluster.payloadKeys })) };
  } else {
    if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) throw new ConfigurationError('set DATABASE_URL and TEMPORAL_ADDRESS (and MOTCUA_PAYLOAD_KEYS), or name a cluster\'s data folder: npm run engine:check -- --cluster .motcua/cluster');
    settings = {
      databaseUrl: env.DATABASE_URL,
      temporalAddress: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      ...(env.MOTCUA_APPLICANT_KEY ? { applicantKey: env.MOTCUA_APPLICANT_KEY } : {}),
      ...(env.MOTCUA_WORKFLOW_BUNDLE ? { workflowBundle: env.MOTCUA_WORKFLOW_BUNDLE } : {}),
      dataConverter: operatorDataConverter(env, (message) => logger.fatal(message)),
    };
  }
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const answeredDossiers = values.answered ? readFileSync(values.answered, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean) : undefined;

const db = await connectAndMigrate({ connectionString: settings.databaseUrl, poolSize: 2, applicationName: 'motcua-check' }, logger);
const connection = await Connection.connect({ address: settings.temporalAddress });
try {
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: settings.dataConverter });
  const report = await checkConsistency(db, client, {
    ...(answeredDossiers ? { answeredDossiers } : {}),
    ...(settings.applicantKey ? { applicantKey: settings.applicantKey } : {}),
    ...(settings.workflowBundle ? { workflowBundlePath: settings.workflowBundle } : {}),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatConsistencyReport(report));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await connection.close();
  await db.destroy();
}
