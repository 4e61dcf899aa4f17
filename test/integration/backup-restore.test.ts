// The restore of docs/operations.md#backups-and-restore, done as an operator would: the engine's
// database dumped with pg_dump (the suite's PostgreSQL's own bin directory), restored with
// pg_restore into a new database, its hash chains verified, its read models and projections rebuilt
// from the log and found equal to a fresh fold, and every open dossier resumed (worker/resume-all.ts)
// on a Temporal that never saw it: a time-skipping test server of its own
// (test/support/time-skipping-engine.ts), the old one torn down with every history it held.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/database.js';
import { verifyAllStreams, verifyStream } from '../../db/event-integrity.js';
import { checkFeedbackProjections, rebuildFeedbackSummary } from '../../db/feedback/feedback-projection.js';
import { checkAllProjections } from '../../db/projection-check.js';
import { rewriteDossier } from '../../db/projections/dossier-read-models.js';
import { rebuildReports } from '../../db/projections/report-projection.js';
import { findPostgresBinDir } from '../../dev/postgres-server.js';
import { resumeAll } from '../../worker/resume-all.js';
import { actor } from '../support/dossier-fixtures.js';
import { ROUND_THE_CLOCK, loadTestProcedure } from '../support/test-procedure.js';
import { databaseOfItsOwn, startTimeSkippingEngine, type TimeSkippingEngine } from '../support/time-skipping-engine.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-backup-'));
let engine: TimeSkippingEngine | undefined;
afterAll(async () => {
  await engine?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 150; tries += 1) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen`);
}

describe('a backup of the engine database, restored', () => {
  it('dumps, restores into a new database, verifies the chains, rebuilds the projections and resumes every open dossier on a fresh Temporal', async () => {
    const binDir = findPostgresBinDir();
    if (!binDir) throw new Error('no PostgreSQL bin directory (PG_BIN, pg_config or /usr/lib/postgresql/<n>/bin): the suite needs one');
    const sourceUrl = await databaseOfItsOwn();
    engine = await startTimeSkippingEngine({ name: 'backup-source', databaseUrl: sourceUrl });
    const { centre, procedureCode } = await loadTestProcedure(engine.db, {
      calendar: ROUND_THE_CLOCK,
      series: '999023',
      clock: { budget: { unit: 'working-days', amount: 2 }, receptionCutOff: '23:00', afterSupplement: 'resume' },
      stepBudget: { unit: 'working-days', amount: 2 },
    });
    const reception = actor('reception', centre);
    const accepted = await engine.receive({ agencyCode: centre, procedureCode, actor: reception });
    await engine.send({ type: 'AcceptDossier', commandId: `${accepted}/accept`, dossierCode: accepted, actor: reception, components: [] });
    await until('the receipt issued', async () => ((await engine!.events(accepted, 'DocumentIssued')).length > 0 ? true : undefined));
    const received = await engine.receive({ agencyCode: centre, procedureCode, actor: reception });
    const sourceEvents = Number((await sql<{ count: string }>`SELECT count(*) AS count FROM events`.execute(engine.db)).rows[0]!.count);
    await engine.close();
    engine = undefined;

    // The backup: pg_dump's custom format, restored with pg_restore into a database made for it.
    const dump = path.join(scratch, 'motcua.dump');
    execFileSync(path.join(binDir, 'pg_dump'), ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${sourceUrl}`], { stdio: 'pipe' });
    const restoredUrl = new URL(sourceUrl);
    restoredUrl.pathname = `${restoredUrl.pathname}_restored`;
    const admin = createDatabase({ connectionString: sourceUrl, poolSize: 1, applicationName: 'motcua-test-restore' });
    await sql.raw(`CREATE DATABASE ${restoredUrl.pathname.slice(1)}`).execute(admin);
    await admin.destroy();
    execFileSync(path.join(binDir, 'pg_restore'), ['--no-owner', '--exit-on-error', `--dbname=${restoredUrl}`, dump], { stdio: 'pipe' });
    const db = createDatabase({ connectionString: restoredUrl.toString(), poolSize: 4, applicationName: 'motcua-test-restore' });
    try {
      // Every event there, every chain intact.
      const broken: string[] = [];
      const chains = await verifyAllStreams(db, (result) => broken.push(JSON.stringify(result)));
      expect(broken).toEqual([]);
      expect(chains.events).toBe(sourceEvents);
      expect(chains.streams).toBeGreaterThanOrEqual(2);

      // The read models rebuilt from the log: the inline ones dossier by dossier, the reports and
      // the feedback summaries by their rebuilds; each then equals a fresh fold of the events.
      const codes = (await db.selectFrom('dossier_summary').select('dossier_code').execute()).map((row) => row.dossier_code);
      expect(codes).toEqual(expect.arrayContaining([accepted, received]));
      await db.transaction().execute(async (trx) => {
        for (const code of codes) await rewriteDossier(trx, code);
      });
      await rebuildReports(db);
      await rebuildFeedbackSummary(db);
      const mismatches: unknown[] = [];
      expect(await checkAllProjections(db, (mismatch) => mismatches.push(mismatch))).toMatchObject({ mismatches: 0 });
      expect(await checkFeedbackProjections(db, (mismatch) => mismatches.push(mismatch))).toMatchObject({ mismatches: 0 });
      expect(mismatches).toEqual([]);
    } finally {
      await db.destroy();
    }

    // A fresh Temporal on the restored database: both open dossiers resumed, and they take commands.
    engine = await startTimeSkippingEngine({ name: 'backup-restored', databaseUrl: restoredUrl.toString() });
    const report = await resumeAll(engine.temporal, engine.db, engine.taskQueue, { concurrency: 4, foldWaitMs: 60_000 });
    expect(report.dossiers).toEqual({ resumed: [accepted, received].sort(), running: 0, ended: 0, failed: [] });
    const acceptance = await engine.send({ type: 'AcceptDossier', commandId: `${received}/accept`, dossierCode: received, actor: reception, components: [] });
    expect(acceptance.events).toContain('DossierAccepted');
    expect(await verifyStream(engine.db, received)).toMatchObject({ intact: true });
    expect((await engine.events(accepted, 'DocumentIssued')).map((event) => (event.data as { kind: string }).kind)).toEqual(['form-01']);
  });
});
