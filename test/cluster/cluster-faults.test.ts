// The fault drill in short (bench/faults.ts has the long one): a cluster of its own (dev/cluster.ts:
// Temporal Server on PostgreSQL, two APIs behind the round-robin front, two workers, the relay)
// under a small load of lifecycles while a worker, Temporal, PostgreSQL and an API fail in turn.
// Every command is answered in the end, and the consistency check passes; then the check is shown
// to catch what it is there to catch (an event edited, a read model edited).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaults } from '../../bench/faults.js';
import { connectAndMigrate } from '../../db/connect.js';
import type { Database } from '../../db/schema.js';
import { type RunningCluster, startCluster } from '../../dev/cluster.js';
import { parsePayloadKeys } from '../../platform/payload-keys.js';
import { createPayloadCodec } from '../../platform/payload-codec.js';
import { createLogger } from '../../platform/logger.js';
import { checkConsistency } from '../../worker/consistency-check.js';

const logger = createLogger({ level: 'warn', pretty: false, name: 'cluster-faults-test' });
let dataDir: string;
let cluster: RunningCluster;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-cluster-faults-'));
  cluster = await startCluster({ dataDir, temporal: 'postgres' }, logger);
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('the cluster under faults', () => {
  it('answers every command through a worker, Temporal, PostgreSQL and an API failing, and stays consistent', async () => {
    const figures = await runFaults(cluster, 'cluster', logger, { concurrency: 3, warmupMs: 10_000, recoveryTimeoutMs: 120_000, settleMs: 2_000, log: () => undefined });
    expect(figures.faults.map((fault) => fault.fault)).toEqual(['SIGKILL one worker', 'SIGKILL Temporal, restart', 'restart PostgreSQL', 'SIGKILL one API']);
    // After each fault, commands sent after it were answered again.
    for (const fault of figures.faults) expect(fault.firstAnswerMs, fault.fault).not.toBeNull();
    expect(figures.lifecycles.refused).toEqual([]);
    expect(figures.lifecycles.completed).toBeGreaterThan(0);
    expect(figures.consistency.answeredDossiers).toMatchObject({ missing: [], notOnce: [] });
    expect(figures.consistency.ok, JSON.stringify(figures.consistency, null, 2)).toBe(true);
  }, 900_000);

  it('names what breaks consistency: an edited event, an edited read model, an answered dossier that is not there', async () => {
    const db: Kysely<Database> = await connectAndMigrate({ connectionString: cluster.databaseUrl, poolSize: 2, applicationName: 'cluster-faults-test' }, logger);
    const connection = await Connection.connect({ address: cluster.temporalAddress });
    try {
      const client = new Client({ connection, namespace: cluster.namespace, dataConverter: { payloadCodecs: [createPayloadCodec(parsePayloadKeys(cluster.payloadKeys))] } });
      const [edited, summary] = (await db.selectFrom('dossier_summary').select('dossier_code').orderBy('dossier_code').limit(2).execute()).map((row) => row.dossier_code);
      // The event log is append-only by a trigger; someone with the rights to lift it could still edit an event.
      await db.transaction().execute(async (trx) => {
        await sql`ALTER TABLE events DISABLE TRIGGER events_append_only`.execute(trx);
        await sql`UPDATE events SET payload = jsonb_set(payload, '{channel}', '"online"') WHERE stream_id = ${edited!} AND stream_version = 1`.execute(trx);
        await sql`ALTER TABLE events ENABLE TRIGGER events_append_only`.execute(trx);
      });
      await sql`UPDATE dossier_summary SET status = 'withdrawn' WHERE dossier_code = ${summary!}`.execute(db);
      const report = await checkConsistency(db, client, { answeredDossiers: [summary!, '000.01.01.H99-000000-9999'], applicantKey: cluster.applicantKey, workflowBundlePath: cluster.workflowBundle });
      expect(report.ok).toBe(false);
      expect(report.hashChains.broken.map((stream) => stream.streamId)).toEqual([edited]);
      expect(report.readModels.mismatches.map((mismatch) => `${mismatch.dossierCode} ${mismatch.table} ${mismatch.detail.split(':')[0]}`)).toContain(`${summary} dossier_summary status`);
      expect(report.answeredDossiers).toMatchObject({ missing: ['000.01.01.H99-000000-9999'], notOnce: [] });
    } finally {
      await connection.close();
      await db.destroy();
    }
  }, 300_000);
});
