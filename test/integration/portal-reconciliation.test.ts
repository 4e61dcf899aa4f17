// The nightly reconciliation with the portal (db/outbox/reconciliation.ts, worker/portal-
// reconciliation.ts) and Decision 766's sync indicators (db/reports/indicator-report.ts) on the
// suite's PostgreSQL, with deliveries rows written as the relay and the lanes would leave them.
// Days used here (2026-10-13, 2026-10-14) are no other test's.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, type NewEvent } from '../../db/event-store.js';
import { dossiersToReconcile, reconcilePortalDay } from '../../db/outbox/reconciliation.js';
import { indicatorReport } from '../../db/reports/indicator-report.js';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import { startPortalDoubleA } from '../../doubles/portal-double-a.js';
import { createLogger } from '../../platform/logger.js';
import { runPortalReconciliation, startPortalReconciliation } from '../../worker/portal-reconciliation.js';
import { at, BUSINESS_PROCEDURE, CENTRE, DossierScenario } from '../support/dossier-fixtures.js';
import { CapturedLogs, testDatabase } from '../support/engine.js';
import { projectReportsPast } from '../support/report-projection.js';

const db = testDatabase(4);
afterAll(() => db.destroy());

const metadata = { actor: { userId: 'reconciliation-test', role: 'reception', agencyCode: CENTRE }, commandId: 'reconciliation-test' } as const;
const asNew = (event: DossierEvent): NewEvent => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata, occurredAt: event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at });
const serial = () => 100_000 + Math.floor(Math.random() * 800_000);

async function store(scenario: DossierScenario): Promise<void> {
  await appendToStream(db, scenario.dossierCode, 0, scenario.events.map(asNew));
}

/** A portal delivery row of the event at `sequence`, as the planner writes it and a lane leaves it. */
async function portalDelivery(code: string, sequence: number, state: 'pending' | 'delivered' | 'dead', committedLocal: string, deliveredLocal?: string): Promise<void> {
  const event = await db.selectFrom('events').select(['global_position', 'type']).where('stream_id', '=', code).where('stream_version', '=', sequence).executeTakeFirstOrThrow();
  await db
    .insertInto('deliveries')
    .values({
      key: deliveryKey('portal', code, sequence, 'status'),
      receiver: 'portal',
      dossier_code: code,
      sequence,
      event_type: event.type,
      trigger: 'status',
      global_position: event.global_position,
      event_committed_at: at(committedLocal),
    })
    .execute();
  if (state !== 'pending') {
    await db.updateTable('deliveries').set({ state, ...(deliveredLocal ? { delivered_at: at(deliveredLocal) } : {}) }).where('key', '=', deliveryKey('portal', code, sequence, 'status')).execute();
  }
}

const versions = (scenario: DossierScenario) => scenario.events.length;
/** The portal status of the scenario's dossier now (after its last event). */
const told = (scenario: DossierScenario) => NATIONAL_PORTAL_STATUS[scenario.received.status];

describe('the nightly reconciliation', () => {
  const day = '2026-10-13';
  // same: the portal holds what was last delivered. stale: it holds an older status. lost: it holds
  // nothing. behind: delivered up to the reception, acceptance still pending; the portal holds the
  // reception. silent: the portal does not answer for it. never: nothing delivered yet.
  const scenarios = Object.fromEntries(['same', 'stale', 'lost', 'behind', 'silent', 'never'].map((name) => [name, DossierScenario.received(BUSINESS_PROCEDURE, `${day}T08:30:00`, serial())])) as Record<'same' | 'stale' | 'lost' | 'behind' | 'silent' | 'never', DossierScenario>;
  const portal = new Map<string, number | null>();

  beforeAll(async () => {
    for (const scenario of Object.values(scenarios)) {
      scenario.accept(`${day}T09:00:00`);
      await store(scenario);
    }
    for (const name of ['same', 'stale', 'lost', 'silent'] as const) {
      const scenario = scenarios[name];
      await portalDelivery(scenario.dossierCode, 1, 'delivered', `${day}T08:30:00`, `${day}T08:30:05`);
      await portalDelivery(scenario.dossierCode, versions(scenario), 'delivered', `${day}T09:00:00`, `${day}T09:00:05`);
    }
    await portalDelivery(scenarios.behind.dossierCode, 1, 'delivered', `${day}T08:30:00`, `${day}T08:30:05`);
    await portalDelivery(scenarios.behind.dossierCode, versions(scenarios.behind), 'dead', `${day}T09:00:00`);
    await portalDelivery(scenarios.never.dossierCode, versions(scenarios.never), 'pending', `${day}T09:00:00`);
    portal.set(scenarios.same.dossierCode, told(scenarios.same));
    portal.set(scenarios.stale.dossierCode, 1);
    portal.set(scenarios.lost.dossierCode, null);
    portal.set(scenarios.behind.dossierCode, 1);
  });

  const lookUp = async (code: string) => {
    if (!portal.has(code)) throw new Error('portal timeout');
    return { status: portal.get(code)! };
  };

  it('asks about the dossiers the portal heard of that day, and plans one resync for each that differs', async () => {
    const mine = new Set(Object.values(scenarios).map((scenario) => scenario.dossierCode));
    const candidates = (await dossiersToReconcile(db, day)).filter((candidate) => mine.has(candidate.dossierCode));
    expect(candidates.map((candidate) => candidate.dossierCode).sort()).toEqual([scenarios.same, scenarios.stale, scenarios.lost, scenarios.behind, scenarios.silent].map((scenario) => scenario.dossierCode).sort());
    expect(candidates.find((candidate) => candidate.dossierCode === scenarios.behind.dossierCode)).toMatchObject({ deliveredSequence: 1, latestSequence: versions(scenarios.behind) });

    const summary = await reconcilePortalDay(db, { day, lookUp, concurrency: 2 });
    expect(summary).toMatchObject({ day, checked: 4, differing: 2, resent: 2, failed: 1 });
    expect(summary.differences).toEqual(
      [
        { dossierCode: scenarios.stale.dossierCode, deliveredSequence: versions(scenarios.stale), engineStatus: told(scenarios.stale), portalStatus: 1, key: deliveryKey('portal', scenarios.stale.dossierCode, versions(scenarios.stale), 'resync', day), resent: true },
        { dossierCode: scenarios.lost.dossierCode, deliveredSequence: versions(scenarios.lost), engineStatus: told(scenarios.lost), portalStatus: null, key: deliveryKey('portal', scenarios.lost.dossierCode, versions(scenarios.lost), 'resync', day), resent: true },
      ].sort((a, b) => a.dossierCode.localeCompare(b.dossierCode)),
    );
    const row = await db.selectFrom('deliveries').selectAll().where('key', '=', deliveryKey('portal', scenarios.stale.dossierCode, versions(scenarios.stale), 'resync', day)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ receiver: 'portal', trigger: 'resync', state: 'pending', sequence: versions(scenarios.stale), event_type: scenarios.stale.events.at(-1)!.type, dispatched_at: null });

    // Run again for the same day: nothing planned twice.
    expect(await reconcilePortalDay(db, { day, lookUp })).toMatchObject({ differing: 2, resent: 0 });
    const { rows } = await sql<{ count: string }>`SELECT count(*) FROM deliveries WHERE trigger = 'resync' AND dossier_code IN (${sql.join([...mine])})`.execute(db);
    expect(Number(rows[0]!.count)).toBe(2);
  });

  it('uses the deployment’s status map when given one', async () => {
    const summary = await reconcilePortalDay(db, { day, lookUp, statusOf: () => 1 });
    // Told 1 everywhere: "same" now differs, "stale" and "behind" agree.
    expect(summary.differences.map((difference) => difference.dossierCode)).toEqual(expect.arrayContaining([scenarios.same.dossierCode, scenarios.lost.dossierCode]));
    expect(summary.differences.map((difference) => difference.dossierCode)).not.toContain(scenarios.stale.dossierCode);
  });

  it('claims the day so it runs once, and runs a day again whose portal did not answer for everything', async () => {
    const logs = new CapturedLogs();
    const logger = createLogger({ level: 'info', destination: logs });
    const answering = async (code: string) => ({ status: portal.get(code) ?? 4 });
    const otherDay = '2026-10-12';
    expect(await runPortalReconciliation({ db, lookUp, logger, claimant: 'one' }, day)).toMatchObject({ failed: 1 });
    // Not finished: the next tick runs it again, and with the portal answering it is done.
    expect(await runPortalReconciliation({ db, lookUp: answering, logger, claimant: 'two' }, day)).toMatchObject({ failed: 0 });
    expect(await runPortalReconciliation({ db, lookUp: answering, logger, claimant: 'three' }, day)).toBeNull();
    const { rows } = await sql<{ claimed_by: string; finished: boolean; failed: number }>`SELECT claimed_by, finished_at IS NOT NULL AS finished, failed FROM portal_reconciliations WHERE day = ${day}::date`.execute(db);
    expect(rows).toEqual([{ claimed_by: 'two', finished: true, failed: 0 }]);
    // A claim under way is not taken over until it is stale.
    await sql`INSERT INTO portal_reconciliations (day, claimed_by) VALUES (${otherDay}::date, 'elsewhere')`.execute(db);
    expect(await runPortalReconciliation({ db, lookUp: answering, logger, claimant: 'four' }, otherDay)).toBeNull();
    expect(await runPortalReconciliation({ db, lookUp: answering, logger, claimant: 'four' }, otherDay, { now: new Date(Date.now() + 3 * 3_600_000) })).toMatchObject({ day: otherDay });
    // Counts and dossier codes in the logs, never a name.
    expect(logs.text).toContain('portal reconciliation');
    expect(logs.text).not.toContain('Trần Thị Bình');
  });

  it('catches up, when its process starts, on the recent days no one finished, then waits for the night', async () => {
    const logs = new CapturedLogs();
    const logger = createLogger({ level: 'info', destination: logs });
    const timer = startPortalReconciliation({ db, lookUp: async () => ({ status: null }), logger, claimant: 'timer' }, { now: () => new Date(at('2026-10-16T00:10:00')), catchUpDays: 3 });
    await timer.running();
    await timer.stop();
    const { rows } = await sql<{ day: string; claimed_by: string }>`SELECT day::text AS day, claimed_by FROM portal_reconciliations WHERE day BETWEEN '2026-10-13' AND '2026-10-15' ORDER BY day`.execute(db);
    // The 13th was finished by an earlier run; the 14th and 15th are the timer's.
    expect(rows).toEqual([{ day: '2026-10-13', claimed_by: 'two' }, { day: '2026-10-14', claimed_by: 'timer' }, { day: '2026-10-15', claimed_by: 'timer' }]);
  });

  it('asks a portal that speaks TraCuuHoSo (the generation-A double)', async () => {
    const double = await startPortalDoubleA({ unitIdentifier: CENTRE });
    try {
      double.hold({ MaHoSo: scenarios.same.dossierCode, MaTTHC: BUSINESS_PROCEDURE, TrangThaiHoSo: String(told(scenarios.same)), KenhThucHien: '1', ChuHoSo: 'x', NgayNopHoSo: '20261013083000' });
      double.hold({ MaHoSo: scenarios.stale.dossierCode, MaTTHC: BUSINESS_PROCEDURE, TrangThaiHoSo: '1', KenhThucHien: '1', ChuHoSo: 'x', NgayNopHoSo: '20261013083000' });
      const login = (await (await fetch(`${double.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DVCQG' }, body: JSON.stringify({ username: 'motcua', password: 'motcua-portal-a' }) })).json()) as { session: string };
      const traCuu = async (code: string) => {
        const answer = (await (await fetch(`${double.url}/integration`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DVCQG' }, body: JSON.stringify({ session: login.session, madonvi: CENTRE, service: 'TraCuuHoSo', mahoso: code }) })).json()) as { error_code: string; result: { TrangThaiHoSo: string }[] };
        if (answer.error_code !== '0') throw new Error(`TraCuuHoSo answered ${answer.error_code}`);
        return { status: answer.result[0] ? Number(answer.result[0].TrangThaiHoSo) : null };
      };
      const summary = await reconcilePortalDay(db, { day, lookUp: traCuu });
      const differing = new Set(summary.differences.map((difference) => difference.dossierCode));
      expect(differing.has(scenarios.same.dossierCode)).toBe(false);
      expect(differing.has(scenarios.stale.dossierCode)).toBe(true);
      expect(differing.has(scenarios.lost.dossierCode)).toBe(true);
    } finally {
      await double.close();
    }
  });
});

describe('the sync indicators from recorded deliveries', () => {
  const day = '2026-10-14';
  it('count the accepted dossiers with a portal delivery delivered by the end (1.4) and scale 3.3 by it', async () => {
    const online = DossierScenario.received(BUSINESS_PROCEDURE, `${day}T08:30:00`, serial(), 'online');
    const counter = DossierScenario.received(BUSINESS_PROCEDURE, `${day}T08:31:00`, serial());
    const pending = DossierScenario.received(BUSINESS_PROCEDURE, `${day}T08:32:00`, serial());
    const lateSync = DossierScenario.received(BUSINESS_PROCEDURE, `${day}T08:33:00`, serial());
    const all = [online, counter, pending, lateSync];
    for (const scenario of all) {
      scenario.accept(`${day}T09:00:00`);
      await store(scenario);
    }
    await portalDelivery(online.dossierCode, 1, 'delivered', `${day}T08:30:00`, `${day}T08:30:02`);
    await portalDelivery(counter.dossierCode, versions(counter), 'delivered', `${day}T09:00:00`, `${day}T09:00:02`);
    await portalDelivery(pending.dossierCode, versions(pending), 'dead', `${day}T09:00:00`);
    // Delivered only after the period: not synced in it.
    await portalDelivery(lateSync.dossierCode, versions(lateSync), 'delivered', `${day}T09:00:00`, '2026-10-16T10:00:00');
    await projectReportsPast(db, all.map((scenario) => scenario.dossierCode));

    const report = await indicatorReport(db, { from: new Date(at(`${day}T00:00:00`)), to: new Date(at('2026-10-15T00:00:00')), asOf: new Date(at('2026-11-30T00:00:00')), agencyCode: CENTRE, procedureCode: BUSINESS_PROCEDURE, groupBy: 'none' });
    const [group] = report.groups;
    expect(group!.counts).toMatchObject({ accepted: 4, acceptedOnline766: 1, acceptedSynced: 2 });
    const byId = new Map(group!.indicators.map((indicator) => [indicator.id, indicator]));
    expect(byId.get('portal-sync-rate')).toMatchObject({ decision766: '1.4', value: 50, numerator: 2, denominator: 4 });
    // (1 / 4) × (2 / 4)
    expect(byId.get('online-submission-rate-synced')).toMatchObject({ decision766: '3.3', value: 12.5 });
    expect(byId.get('online-submission-rate')).toMatchObject({ value: 25 });

    // Seen as of later (the period is the same, its end is not): still the period's end that counts.
    const later = await indicatorReport(db, { from: new Date(at(`${day}T00:00:00`)), to: new Date(at('2026-10-20T00:00:00')), asOf: new Date(at('2026-11-30T00:00:00')), agencyCode: CENTRE, procedureCode: BUSINESS_PROCEDURE, groupBy: 'none' });
    expect(later.groups[0]!.counts.acceptedSynced).toBe(3);

    // Every grouping and filter reads the same deliveries (the join adds no row, and names no column twice).
    for (const groupBy of ['agency', 'procedure', 'field'] as const) {
      const grouped = await indicatorReport(db, { from: new Date(at(`${day}T00:00:00`)), to: new Date(at('2026-10-15T00:00:00')), asOf: new Date(at('2026-11-30T00:00:00')), agencyCode: CENTRE, procedureCode: BUSINESS_PROCEDURE, groupBy });
      expect(grouped.groups.reduce((sum, group) => sum + group.counts.acceptedSynced, 0), groupBy).toBe(2);
      expect(grouped.groups.reduce((sum, group) => sum + group.counts.accepted, 0), groupBy).toBe(4);
    }
    const field = (await db.selectFrom('report_dossiers').select('field').where('dossier_code', '=', online.dossierCode).executeTakeFirstOrThrow()).field;
    const byField = await indicatorReport(db, { from: new Date(at(`${day}T00:00:00`)), to: new Date(at('2026-10-15T00:00:00')), asOf: new Date(at('2026-11-30T00:00:00')), agencyCode: CENTRE, groupBy: 'none', ...(field ? { field } : {}) });
    expect(byField.groups[0]!.counts.acceptedSynced).toBeGreaterThanOrEqual(2);
  });
});
