// Disaster recovery on the production server (docs/operations.md#backups-and-restore): the engine
// runs on a Temporal Server v1.29.1 of its own, persistence and visibility on the suite's PostgreSQL
// (dev/temporal-postgres.ts), with its API, worker and outbox relay (the portal a ledger receiver).
// Under a small load of receptions and acceptances, the server is stopped, its two databases dropped,
// and a new one set up on them from scratch on the same port; `resumeAll` (worker/resume-all.ts)
// puts back what the log calls for. Then the load goes on: every dossier answers, the deliveries
// reach the portal once each, and the consistency check (worker/consistency-check.ts) passes: each
// answered dossier once, no event twice, chains intact, read models equal a fresh fold, every
// history on the new server replays, none stuck.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../dev/free-port.js';
import { dropTemporalDatabases, type RunningTemporalOnPostgres, startTemporalOnPostgres, type TemporalOnPostgresOptions } from '../../dev/temporal-postgres.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import { createLogger } from '../../platform/logger.js';
import { checkConsistency, formatConsistencyReport } from '../../worker/consistency-check.js';
import { resumeAll } from '../../worker/resume-all.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, TEST_APPLICANT_KEY, type TestEngine } from '../support/engine.js';
import { type LedgerReceiver, startLedgerReceiver } from '../support/ledger-receiver.js';
import { ROUND_THE_CLOCK, loadTestProcedure } from '../support/test-procedure.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';

const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: [], defaultChannels: [], preferredOnly: true } };
const logger = createLogger({ level: 'warn', name: 'dr-server' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'motcua-dr-server-'));

let server: RunningTemporalOnPostgres | undefined;
let engine: TestEngine | undefined;
let portal: LedgerReceiver | undefined;
afterAll(async () => {
  await engine?.close();
  await server?.stop();
  await portal?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Temporal's databases dropped under a load", () => {
  it('the engine comes back from the log: every dossier answers, deliveries once each, the consistency check passes', async () => {
    const suite = new URL(inject('databaseUrl'));
    const suffix = randomBytes(4).toString('hex');
    const options: TemporalOnPostgresOptions = {
      dataDir,
      postgres: { host: suite.hostname, port: Number(suite.port), user: decodeURIComponent(suite.username), ...(suite.password ? { password: decodeURIComponent(suite.password) } : {}) },
      databases: { main: `temporal_dr_${suffix}`, visibility: `temporal_dr_${suffix}_visibility` },
      namespace: 'default',
      frontendPort: await freePort(),
    };
    server = await startTemporalOnPostgres(options, logger);
    portal = await startLedgerReceiver();
    engine = await startTestEngine({
      name: 'dr-server',
      databaseUrl: await databaseOfItsOwn(),
      temporalAddress: server.address,
      commandTimeoutMs: 10_000,
      outbox: { policy: POLICY, channels: [portal.channel('portal')], lane: { firstRetryMs: 200, retryCeilingMs: 1000, deadLetterAfterMs: 120_000, attemptTimeoutMs: 10_000, idleMs: 5000 } },
    });
    const { url, db } = engine;
    const { centre, procedureCode } = await loadTestProcedure(db, { calendar: ROUND_THE_CLOCK, series: '999024', clock: { budget: { unit: 'working-days', amount: 5 }, receptionCutOff: null }, stepBudget: { unit: 'working-days', amount: 3 } });
    const reception = actor('reception', centre);

    // The load: a reception every 200 ms, the answered codes kept.
    const answered: string[] = [];
    const refusals = new Set<string>();
    let loading = true;
    const load = (async () => {
      while (loading) {
        try {
          // Without a locality: this database holds no agency directory, and the test's centre is competent.
          const { locality: _locality, ...body } = receptionBody(centre, { procedureCode });
          const received = await postJson(`${url}/dossiers`, body, await authAs(reception));
          if (received.status !== 201) throw new Error(`reception answered ${received.status}: ${JSON.stringify(received.json)}`);
          answered.push(received.json.dossierCode as string);
        } catch (error) {
          // Temporal away: the reception is not answered (503), and no dossier need exist for it.
          refusals.add(String(error).slice(0, 200));
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await expect.poll(() => answered.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    // Half of them accepted before the loss (their receipts issued, their syncs planned).
    const acceptedBefore = answered.slice(0, 2);
    for (const code of acceptedBefore) expect((await postCommand(`${url}/dossiers/${code}/accept`, reception, { components: [] })).status).toBe(200);

    // Temporal loses everything: stopped, its databases dropped, a new one set up on the same port.
    await server.stop();
    await dropTemporalDatabases(options);
    server = await startTemporalOnPostgres(options, logger);
    const report = await resumeAll(engine.temporal, db, engine.taskQueue, { concurrency: 8, foldWaitMs: 120_000 });
    expect(report.dossiers.failed).toEqual([]);
    expect(report.dossiers.resumed.length + report.dossiers.running).toBeGreaterThanOrEqual(4);

    // The load goes on a little on the new server, then stops.
    const before = answered.length;
    await expect.poll(() => answered.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 3);
    loading = false;
    await load;

    // Every dossier answered, before the loss or after, takes its acceptance now.
    for (const code of answered.filter((code) => !acceptedBefore.includes(code))) {
      const accepted = await postCommand(`${url}/dossiers/${code}/accept`, reception, { components: [] });
      expect(accepted.status, `${code}: ${JSON.stringify(accepted.json)}`).toBe(200);
    }
    // Every planned delivery reaches the portal, each key acted on once.
    await expect
      .poll(async () => (await db.selectFrom('deliveries').select('key').where('state', '!=', 'delivered').execute()).length, { timeout: 120_000, interval: 500 })
      .toBe(0);
    const planned = (await db.selectFrom('deliveries').select('key').where('receiver', '=', 'portal').execute()).map((row) => row.key).sort();
    expect(planned.length).toBeGreaterThanOrEqual(answered.length * 2);
    expect(portal.ledger.receipts().map((receipt) => receipt.key).sort()).toEqual(planned);

    const consistency = await checkConsistency(db, engine.temporal, { answeredDossiers: answered, applicantKey: TEST_APPLICANT_KEY, workflowBundlePath: inject('workflowBundlePath') });
    expect(consistency.ok, formatConsistencyReport(consistency)).toBe(true);
    // Only the loss refused receptions: Temporal away or a start not answered in time (503), and,
    // while the new server was being set up, its namespace or search attributes not there yet (the
    // API answers those with a 500 and logs them: docs/operations.md#backups-and-restore says to hold
    // the APIs back until the set-up is done).
    const errors = engine.logs.lines.filter((line) => line.includes('"level":50')).map((line) => line.slice(0, 300));
    for (const refusal of refusals) expect(refusal, errors.join('\n')).toMatch(/ 503: |fetch failed| 500: /);
    for (const error of errors) expect(error).toMatch(/"CommandNotAnswered"|Namespace not found: 'default'|no mapping defined for search attribute/);
    // A second pass finds every dossier's run going (a reception that timed out on its answer during
    // the loss may have made one more than the load saw answered).
    const dossiers = (await db.selectFrom('dossier_summary').select('dossier_code').execute()).map((row) => row.dossier_code);
    expect(dossiers).toEqual(expect.arrayContaining(answered));
    const again = await resumeAll(engine.temporal, db, engine.taskQueue, { concurrency: 8 });
    expect(again.dossiers).toEqual({ resumed: [], failed: [], running: dossiers.length, ended: 0 });
  });
});
