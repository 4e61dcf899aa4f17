// The roll-out of a calendar amendment survives a worker that dies mid-page: the worker is a
// process of its own, killed (SIGKILL) while the first dossier's adoption is held inside its append
// transaction by a table lock; the next worker runs the page again under the same update ids, and
// every open dossier adopts the amendment exactly once. Own database: a stored amendment is global.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { connectAndMigrate } from '../../db/connect.js';
import { createLogger } from '../../platform/logger.js';
import { actor, completeComponents, LAND_PROCEDURE } from '../support/dossier-fixtures.js';
import { swapAmendmentFromToday } from '../support/swap-amendment.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, testDatabase, type TestEngine } from '../support/engine.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let engine: TestEngine;
let databaseUrl: string;
let lock: pg.Client;
const workers: WorkerProcess[] = [];
const admin = actor('admin', '000.00.00.H99', 'quantri.sapdo');
const auditor = actor('auditor', '000.00.00.H99', 'kiemtoan.sapdo');
// A centre of its own: the dossier codes, and so the workflow ids in the shared Temporal, must not
// repeat those of the suite's database.
let centre: string;
let reception: ReturnType<typeof actor>;

beforeAll(async () => {
  const suite = testDatabase(1);
  const name = `motcua_rollout_${randomBytes(4).toString('hex')}`;
  await sql.raw(`CREATE DATABASE ${name}`).execute(suite);
  await suite.destroy();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  const db = await connectAndMigrate({ connectionString: databaseUrl, poolSize: 1, applicationName: 'motcua-test-rollout' }, createLogger({ level: 'warn' }));
  await loadCatalogue(db, readCatalogueFile(SAMPLE_CATALOGUE_FILE)).finally(() => db.destroy());
  engine = await startTestEngine({ name: 'rollout-crash', worker: false, databaseUrl, calendarRolloutSettleMs: 1_000, commandTimeoutMs: 60_000 });
  centre = await engine.newCentre();
  reception = actor('reception', centre, 'letan.lich');
  lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await lock?.end();
  await engine?.close();
});

async function startWorker(): Promise<WorkerProcess> {
  const worker = await startWorkerProcess(engine.taskQueue, inject('temporalAddress'), databaseUrl);
  workers.push(worker);
  return worker;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function amendmentFromToday() {
  return swapAmendmentFromToday({ sequence: 5, reason: 'Test: a swap loaded while a worker dies.' });
}

describe('a calendar roll-out whose worker dies mid-page', () => {
  it('is finished by the next worker, and every open dossier adopts the amendment once', async () => {
    const first = await startWorker();
    const codes: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode: LAND_PROCEDURE }), await authAs(reception));
      expect(received.status).toBe(201);
      const code = received.json.dossierCode as string;
      expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(LAND_PROCEDURE) })).status).toBe(200);
      codes.push(code);
    }

    // Hold every append: the first adoption waits inside its transaction, the page inside its update.
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE');
    const amendment = amendmentFromToday();
    expect((await postJson(`${engine.url}/calendars/vn-civil-service/amendments`, amendment, await authAs(admin))).status).toBe(201);
    await until(async () => {
      await lock.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await lock.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
      return rows[0]!.n > 0 ? true : undefined;
    }, 'an adoption waiting on the lock');
    await first.kill();
    await lock.query('ROLLBACK');
    await startWorker();

    const headers = await authAs(auditor);
    const rollout = await until(async () => {
      const listed = (await getJson(`${engine.url}/calendars/vn-civil-service/amendments`, headers)).json.amendments as { version: string; rollout: { state: string; adopted: number; passes: number; already: number; refused: number; notRunning: number } | null }[];
      const mine = listed.find((entry) => entry.version === amendment.version);
      return mine?.rollout?.state === 'done' ? mine.rollout : undefined;
    }, 'the roll-out to finish');
    // Counted from the event store: the adoption the dead worker had sent, which may complete
    // before the page runs again (that dossier is then no longer behind), counts too.
    expect(rollout.adopted).toBe(3);
    expect(rollout).toMatchObject({ refused: 0, notRunning: 0 });
    for (const code of codes) {
      const events = (await getJson(`${engine.url}/dossiers/${code}/events`, headers)).json.events as { type: string }[];
      expect(events.filter((event) => event.type === 'CalendarAmendmentAdopted'), code).toHaveLength(1);
      expect((await getJson(`${engine.url}/dossiers/${code}`, headers)).json.calendarVersion).toBe(amendment.version);
    }
  }, 240_000);
});
