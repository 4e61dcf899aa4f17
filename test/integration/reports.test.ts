// The reporting projection and the Decision 766 report, on the real PostgreSQL: a hand-built month
// whose figures are worked out below, a report as of a past instant, a past month that does not
// change when later events arrive, a transaction that commits late, and a rebuild that equals the
// incrementally maintained projection.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { appendToStream, eventIdFor, type NewEvent } from '../../db/event-store.js';
import { eventHash, GENESIS_HASH } from '../../db/event-hash.js';
import { catchUpReports, rebuildReports, REPORT_PROJECTION } from '../../db/projections/report-projection.js';
import { indicatorReport, type IndicatorReport } from '../../db/reports/indicator-report.js';
import { latenessReport } from '../../db/reports/lateness-report.js';
import { projectDossierReadModels } from '../../db/projections/dossier-read-models.js';
import { workQueuePage } from '../../db/work-queue.js';
import type { Database } from '../../db/schema.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { actor, at, BUSINESS_PROCEDURE, CENTRE, DossierScenario, ECONOMY } from '../support/dossier-fixtures.js';
import { LEGAL_CLOCK } from '../support/dossier-history.js';
import { testDatabase } from '../support/engine.js';
import { projectedExactlyOnce, projectReportsPast } from '../support/report-projection.js';
import { aprilEvents, marchDataset } from '../support/report-dataset.js';
import type { Kysely } from 'kysely';
import { createLogger } from '../../platform/logger.js';
import { startReportProjector } from '../../worker/report-projector.js';
import { asResultBeforeEResult, verifiedResult } from '../support/result-fields.js';

const db = testDatabase(6);
afterAll(() => db.destroy());

const metadata = { actor: { userId: 'report-test', role: 'reception', agencyCode: CENTRE }, commandId: 'report-test' } as const;
const asNew = (event: DossierEvent): NewEvent => ({
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata,
  occurredAt: event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at,
});

/** Appends what a scenario decided since the stream's stored version. */
async function store(scenario: DossierScenario): Promise<void> {
  const { rows: [row] } = await sql<{ version: number | null }>`SELECT max(stream_version) AS version FROM events WHERE stream_id = ${scenario.dossierCode}`.execute(db);
  const stored = row?.version ?? 0;
  if (stored < scenario.events.length) await appendToStream(db, scenario.dossierCode, stored, scenario.events.slice(stored).map(asNew));
}

const projectPast = (codes: readonly string[], batchSize?: number) => projectReportsPast(db, codes, batchSize);

const march = { from: new Date(at('2026-03-01T00:00:00')), to: new Date(at('2026-04-01T00:00:00')) };
const marchReport = (asOf = new Date(at('2026-11-24T12:00:00')), groupBy: 'none' | 'procedure' = 'none') =>
  indicatorReport(db, { ...march, asOf, agencyCode: CENTRE, procedureCode: BUSINESS_PROCEDURE, groupBy });
const indicator = (report: IndicatorReport, id: string) => report.groups[0]!.indicators.find((candidate) => candidate.id === id)!;

const dataset = marchDataset();
const codes = dataset.all.map((scenario) => scenario.dossierCode);

beforeAll(async () => {
  await loadCatalogue(db, readCatalogueFile(SAMPLE_CATALOGUE_FILE));
  for (const scenario of dataset.all) await store(scenario);
  // Small batches: the incremental projection sees the month a few events at a time.
  await projectPast(codes, 3);
});

describe('the Decision 766 report over a hand-built month', () => {
  it('counts intake, resolutions and open dossiers as worked out by hand', async () => {
    const report = await marchReport();
    expect(report.end).toBe(march.to.toISOString());
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]!.counts).toEqual({
      registered: 6, // B, C, D, E, F, G (A came in February, H in April)
      refusedAtReception: 1, // G
      carriedOver: 1, // A
      accepted: 5, // B, C, D, E, F
      acceptedOnline: 1, // B
      acceptedAtCounter: 3, // C, E, F
      acceptedByPost: 1, // D
      acceptedOnline766: 1, // B, whose result came with its file
      resolved: 3, // A, B, C
      resolvedWithResult: 3,
      resolvedByRefusal: 0,
      withdrawn: 0,
      resolvedEarly: 1, // B
      resolvedOnTime: 1, // C, at its due time to the minute
      resolvedLate: 1, // A
      resolvedEarly766: 1,
      resolvedOnTime766: 1,
      resolvedLate766: 1,
      resolvedAfterRepeatedSupplement: 0, // F's one request is still awaited
      inProgressWithinTime: 1, // E, due 2 April
      inProgressOverdue: 1, // D, due 13 March
      pausedWithinTime: 1, // F, waiting for a supplement one day in
      pausedOverdue: 0,
      openLate766: 1, // D
      processingDaysSum: 9.26, // A 4.13 + B 2.13 + C 3.00 working days
      eResults: 2, // A and B; C's result was logged without its signed file
      feeBearing: 5, // the procedure has a fee
      paidOnline: 1, // B
      digitised: 5,
      digitised766: 4, // less C, whose result was issued without its file
      reusedData: 5, // the owner's identity is taken from the population database
      verySatisfied: 1, // B
      satisfied: 0,
      notSatisfied: 1, // C
      evaluationsOnline: 1, // B: the applicant's own
      evaluationsOnPaperForm: 1, // C: a paper form reception entered
      evaluationsStaffRecorded: 0,
      onlineServices: 1, // the business registration, fully online, at the economy office below the centre
      onlineServicesUsed: 1, // B
      acceptedSynced: 0, // this month's dossiers were never delivered to the portal (no outbox here)
      acceptedMirrored: 0,
      resolvedMirrored: 0,
    });
  });

  it('turns the counts into rates, each beside the commune plan\'s target', async () => {
    const report = await marchReport();
    // 4 of 6 judged (3 resolved + 3 open) within time: B, C, E, F.
    expect(indicator(report, 'on-time-rate')).toMatchObject({ value: 66.67, numerator: 4, denominator: 6, target: null, meetsTarget: null });
    expect(indicator(report, 'on-time-rate-766')).toMatchObject({ value: 66.67, numerator: 4, denominator: 6, target: { target: 98, agencyCode: CENTRE }, meetsTarget: false });
    expect(indicator(report, 'average-processing-days')).toMatchObject({ value: 3.09, denominator: 3 });
    expect(indicator(report, 'online-submission-rate')).toMatchObject({ value: 20, numerator: 1, denominator: 5, meetsTarget: false });
    expect(indicator(report, 'online-payment-rate')).toMatchObject({ value: 20, numerator: 1, denominator: 5 });
    expect(indicator(report, 'e-result-rate')).toMatchObject({ value: 66.67, numerator: 2, denominator: 3, target: { target: 100 }, meetsTarget: false });
    // 4.2 wants the result digitised too: C's result was issued without its file, so 4 of 5.
    expect(indicator(report, 'digitisation-rate')).toMatchObject({ value: 80, numerator: 4, denominator: 5, target: { target: 100 }, meetsTarget: false });
    expect(indicator(report, 'data-reuse-rate')).toMatchObject({ value: 100, target: { target: 50 }, meetsTarget: true });
    // 100 − (late rate 2/6 = 33.33 + dissatisfied 1/3 resolved = 33.33) = 33.33.
    expect(indicator(report, 'satisfaction')).toMatchObject({ value: 33.33, meetsTarget: false });
    // 3.3's other channels: C, E, F at the counter and D by post, of the 5 accepted.
    expect(indicator(report, 'counter-submission-rate')).toMatchObject({ decision766: '3.3', value: 60, numerator: 3, denominator: 5 });
    expect(indicator(report, 'postal-submission-rate')).toMatchObject({ decision766: '3.3', value: 20, numerator: 1, denominator: 5 });
    expect(indicator(report, 'repeated-supplement-rate')).toMatchObject({ decision766: '2.1', value: 0, numerator: 0, denominator: 3 });
    expect(indicator(report, 'online-service-use-rate')).toMatchObject({ decision766: '3.2', value: 100, numerator: 1, denominator: 1 });
  });

  it('counts the dossiers resolved after a second supplement request, results issued without their file, and the unit\'s online services that received none', async () => {
    // June 2026, business registrations: R asked twice (the second with its reason), S once, T
    // never and submitted online. Judged as of a day when R's second supplement was still awaited too.
    const officer = actor('officer', ECONOMY);
    const ask = (dossier: DossierScenario, local: string, again = false) =>
      dossier.play(dossier.command('RequestSupplement', officer, { stepId: 'business-registration', missing: [{ description: 'Bản sao giấy tờ pháp lý', reason: 'Bản chụp không rõ' }], ...(again ? { reasonForAnotherRequest: 'Bản bổ sung vẫn không đọc được' } : {}) }), local);
    const provide = (dossier: DossierScenario, local: string) => dossier.play(dossier.command('ProvideSupplement', actor('reception', CENTRE), { components: [] }), local);
    const resolve = (dossier: DossierScenario, local: string) => {
      dossier.play(dossier.command('CompleteStep', officer, { stepId: 'business-registration', outcome: 'approved' }), local);
      dossier.play(dossier.command('IssueResult', actor('head', ECONOMY), verifiedResult(`GCN ${dossier.dossierCode}`, ECONOMY, 'd'.repeat(64))), local);
      // Logged before e-results: the caller's word, no signed file.
      asResultBeforeEResult(dossier.events);
    };
    const r = DossierScenario.received(BUSINESS_PROCEDURE, '2026-06-01T08:30:00', 9761);
    r.accept('2026-06-01T09:00:00');
    ask(r, '2026-06-01T10:00:00');
    provide(r, '2026-06-02T09:00:00');
    ask(r, '2026-06-02T10:00:00', true);
    provide(r, '2026-06-03T09:00:00');
    resolve(r, '2026-06-04T10:00:00');
    const s = DossierScenario.received(BUSINESS_PROCEDURE, '2026-06-01T08:30:00', 9762);
    s.accept('2026-06-01T09:00:00');
    ask(s, '2026-06-01T10:00:00');
    provide(s, '2026-06-02T09:00:00');
    resolve(s, '2026-06-03T10:00:00');
    const t = DossierScenario.received(BUSINESS_PROCEDURE, '2026-06-01T08:30:00', 9763, 'online');
    t.accept('2026-06-01T09:00:00');
    resolve(t, '2026-06-02T10:00:00');
    for (const dossier of [r, s, t]) await store(dossier);
    await projectPast([r, s, t].map((dossier) => dossier.dossierCode));

    const june = { from: new Date(at('2026-06-01T00:00:00')), to: new Date(at('2026-07-01T00:00:00')), asOf: new Date(at('2026-11-24T12:00:00')), agencyCode: CENTRE } as const;
    const report = await indicatorReport(db, { ...june, procedureCode: BUSINESS_PROCEDURE, groupBy: 'none' });
    expect(report.groups[0]!.counts).toMatchObject({ accepted: 3, acceptedOnline: 1, acceptedAtCounter: 2, resolved: 3, resolvedAfterRepeatedSupplement: 1, resolvedLate766: 1, onlineServices: 1, onlineServicesUsed: 1 });
    // No signed result file was issued for any of them: T, submitted online, does not count for 3.3
    // once its result is out without it, nor do the three for 4.2.
    expect(report.groups[0]!.counts).toMatchObject({ acceptedOnline766: 0, digitised: 3, digitised766: 0 });
    expect(indicator(report, 'online-submission-rate')).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
    expect(indicator(report, 'digitisation-rate')).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
    // R of R, S, T: 1 / 3.
    expect(indicator(report, 'repeated-supplement-rate')).toMatchObject({ value: 33.33, numerator: 1, denominator: 3 });
    expect(indicator(report, 'counter-submission-rate')).toMatchObject({ value: 66.67, numerator: 2, denominator: 3 });
    expect(indicator(report, 'postal-submission-rate')).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
    // As of 3 June 12:00, S was resolved and R not yet: no repeated supplement among the resolved.
    const midway = await indicatorReport(db, { ...june, asOf: new Date(at('2026-06-03T12:00:00')), procedureCode: BUSINESS_PROCEDURE, groupBy: 'none' });
    expect(indicator(midway, 'repeated-supplement-rate')).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
    // R, still open then, counts as digitised: its result was not yet due to have a file.
    expect(indicator(midway, 'digitisation-rate')).toMatchObject({ value: 33.33, numerator: 1, denominator: 3 });
    // The whole unit: the four procedures of the offices below the centre are offered online, and only
    // the business registration received an online dossier in June (3.2).
    // Only the procedures offered online: other files of the suite keep dossiers of other procedures
    // at the sample centre in this database (a land dossier still in processing since March, say).
    const unit = await indicatorReport(db, { ...june, groupBy: 'procedure' });
    expect(unit.groups.filter((group) => group.counts.onlineServices > 0).map((group) => [group.key, group.counts.onlineServices, group.counts.onlineServicesUsed])).toEqual([
      ['1.001193', 1, 0],
      ['1.001776', 1, 0],
      ['2.000720', 1, 1],
      ['2.000815', 1, 0],
    ]);
    const whole = await indicatorReport(db, { ...june, groupBy: 'none' });
    expect(indicator(whole, 'online-service-use-rate')).toMatchObject({ value: 25, numerator: 1, denominator: 4 });
  });

  it('answers as of a past instant with only what was known then', async () => {
    const report = await marchReport(new Date(at('2026-03-15T00:00:00')));
    expect(report.end).toBe(new Date(at('2026-03-15T00:00:00')).toISOString());
    expect(report.groups[0]!.counts).toMatchObject({
      registered: 3, // B, C, D
      accepted: 3,
      resolved: 3, // A, B, C
      inProgressWithinTime: 0,
      inProgressOverdue: 1, // D: due 13 March, late from 14 March at day granularity
      pausedWithinTime: 0,
      verySatisfied: 1,
    });
  });

  it('gives a past month the same figures after later events arrive and are projected', async () => {
    const before = await marchReport(new Date(at('2026-04-01T00:00:00')));
    aprilEvents(dataset);
    for (const scenario of [dataset.d, dataset.e]) await store(scenario);
    await projectPast(codes);
    expect(await marchReport(new Date(at('2026-11-24T12:00:00')))).toEqual({ ...before, asOf: new Date(at('2026-11-24T12:00:00')).toISOString() });
    // April sees them resolved: D late, E on time (to the minute for Decision 766); H, accepted on
    // 1 April and due on 6 April, is still open at the end of April and overdue; F still waits.
    const april = await indicatorReport(db, { from: march.to, to: new Date(at('2026-05-01T00:00:00')), asOf: new Date(at('2026-11-24T12:00:00')), agencyCode: CENTRE, procedureCode: BUSINESS_PROCEDURE, groupBy: 'none' });
    expect(april.groups[0]!.counts).toMatchObject({ carriedOver: 3, accepted: 1, resolved: 2, resolvedLate: 1, resolvedOnTime: 1, resolvedLate766: 1, resolvedOnTime766: 1, pausedWithinTime: 1, inProgressWithinTime: 0, inProgressOverdue: 1 });
  });

  it('groups by procedure, field or agency', async () => {
    const byField = await indicatorReport(db, { ...march, asOf: march.to, agencyCode: CENTRE, field: 'Thành lập và hoạt động của hộ kinh doanh', groupBy: 'field' });
    expect(byField.groups.map((group) => group.key)).toContain('Thành lập và hoạt động của hộ kinh doanh');
    const byAgency = await indicatorReport(db, { ...march, asOf: march.to, agencyCode: CENTRE, procedureCode: BUSINESS_PROCEDURE, groupBy: 'agency' });
    // Accepted dossiers count under the competent economy office; G, never accepted, under the centre.
    expect(byAgency.groups.map((group) => [group.key, group.counts.registered])).toEqual([['000.01.01.H99', 1], ['000.03.01.H99', 5]]);
  });
});

describe('the lateness report', () => {
  it('counts an apology and an explanation that came after the period, as of asOf', async () => {
    // Accepted Thu 25 June 09:00, due Tue 30 June 09:00, overdue then; apologised for on 1 July and
    // explained on 2 July, after June ended.
    const late = DossierScenario.received(BUSINESS_PROCEDURE, '2026-06-25T08:30:00', 901);
    late.accept('2026-06-25T09:00:00');
    late.play(late.command('MarkDeadline', LEGAL_CLOCK, { scope: { kind: 'dossier' }, alert: 'overdue' }), '2026-06-30T09:01:00');
    const head = actor('head', ECONOMY, 'truongphong.cuong');
    late.play(late.command('IssueLatenessApology', head, { reason: 'Chờ xác minh', newAppointment: new Date(at('2026-07-03T09:00:00')).toISOString() }), '2026-07-01T09:00:00');
    late.play(late.command('RecordLatenessExplanation', actor('officer', ECONOMY, 'chuyenvien.binh'), { reason: 'Nghỉ ốm' }), '2026-07-02T09:00:00');
    await store(late);
    await projectPast([late.dossierCode]);
    const june = async (asOfLocal: string) => {
      const report = await latenessReport(db, { from: new Date(at('2026-06-01T00:00:00')), to: new Date(at('2026-07-01T00:00:00')), asOf: new Date(at(asOfLocal)), agencyCode: ECONOMY, limit: 100 });
      const { dossiers, agencyCode: _agency, ...counts } = report.groups.find((group) => group.dossiers.some((dossier) => dossier.dossierCode === late.dossierCode))!;
      expect(dossiers.map((dossier) => dossier.dossierCode)).toEqual([late.dossierCode]);
      return counts;
    };
    expect(await june('2026-06-30T12:00:00')).toEqual({ late: 1, apologised: 0, notApologised: 1, explained: 0, explainedLate: 0, notExplained: 1, explanationOverdue: 0 });
    expect(await june('2026-07-01T12:00:00')).toEqual({ late: 1, apologised: 1, notApologised: 0, explained: 0, explainedLate: 0, notExplained: 1, explanationOverdue: 0 });
    expect(await june('2026-07-15T12:00:00')).toEqual({ late: 1, apologised: 1, notApologised: 0, explained: 1, explainedLate: 0, notExplained: 0, explanationOverdue: 0 });
  });

  it('lists the late dossiers a page at a time, with the counts over all of them on every page', async () => {
    // Three dossiers accepted on Mon 3 August, each overdue on its own day after the appointment.
    const late = [0, 1, 2].map((index) => {
      const scenario = DossierScenario.received(BUSINESS_PROCEDURE, '2026-08-03T08:30:00', 911 + index);
      scenario.accept('2026-08-03T09:00:00');
      scenario.play(scenario.command('MarkDeadline', LEGAL_CLOCK, { scope: { kind: 'dossier' }, alert: 'overdue' }), `2026-08-1${index}T09:01:00`);
      return scenario;
    });
    for (const scenario of late) await store(scenario);
    await projectPast(late.map((scenario) => scenario.dossierCode));
    const august = { from: new Date(at('2026-08-01T00:00:00')), to: new Date(at('2026-09-01T00:00:00')), asOf: new Date(at('2026-09-15T12:00:00')), agencyCode: ECONOMY };
    const whole = await latenessReport(db, { ...august, limit: 1000 });
    expect(whole.next).toBeUndefined();
    const all = whole.groups.flatMap((group) => group.dossiers.map((dossier) => dossier.dossierCode));
    expect(all).toEqual(expect.arrayContaining(late.map((scenario) => scenario.dossierCode)));
    const counts = whole.groups.map(({ dossiers: _dossiers, ...group }) => group);

    const paged: string[] = [];
    let after = undefined as Awaited<ReturnType<typeof latenessReport>>['next'];
    for (let pages = 1; ; pages += 1) {
      const page = await latenessReport(db, { ...august, limit: 2, ...(after ? { after } : {}) });
      const listed = page.groups.flatMap((group) => group.dossiers.map((dossier) => dossier.dossierCode));
      expect(listed.length).toBeLessThanOrEqual(2);
      expect(page.groups.map(({ dossiers: _dossiers, ...group }) => group)).toEqual(counts);
      paged.push(...listed);
      if (!page.next) break;
      expect(listed).toHaveLength(2);
      after = page.next;
      expect(pages).toBeLessThan(all.length);
    }
    expect(paged).toEqual(all);
  });

  it('has an index for a report over every agency, which reads by overdue_at alone', async () => {
    const { rows } = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE tablename = 'report_dossiers'`.execute(db);
    expect(rows.map((row) => row.indexdef)).toContainEqual(expect.stringMatching(/USING btree \(overdue_at\) WHERE \(overdue_at IS NOT NULL\)$/));
  });
});

describe('the work queue of a late dossier', () => {
  it('shows the explanation overdue once its due time has passed, though no event came since', async () => {
    // Overdue Tue 30 June 2026; the explanation was due by the close of Fri 3 July, long past now.
    const late = DossierScenario.received(BUSINESS_PROCEDURE, '2026-06-25T08:30:00', 902);
    late.accept('2026-06-25T09:00:00');
    late.play(late.command('MarkDeadline', LEGAL_CLOCK, { scope: { kind: 'dossier' }, alert: 'overdue' }), '2026-06-30T09:01:00');
    await appendToStream(db, late.dossierCode, 0, late.events.map(asNew), [projectDossierReadModels]);
    const explanations = async (overdue?: boolean) =>
      (await workQueuePage(db, { agencyCode: ECONOMY, kind: 'explanation-due', limit: 100, ...(overdue === undefined ? {} : { overdue }) })).rows.filter((row) => row.dossier_code === late.dossierCode);
    expect((await explanations()).map((row) => ({ due: row.due_at?.toISOString(), overdue: row.overdue }))).toEqual([{ due: new Date(at('2026-07-03T17:00:00')).toISOString(), overdue: true }]);
    expect(await explanations(true)).toHaveLength(1);
    expect(await explanations(false)).toHaveLength(0);
  });
});

describe('the reporting projection', () => {
  it('never skips an event whose transaction commits after later ones were projected', async () => {
    const late = DossierScenario.received(BUSINESS_PROCEDURE, '2026-03-03T08:30:00', 9201);
    const early = DossierScenario.received(BUSINESS_PROCEDURE, '2026-03-03T08:30:00', 9202);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    // A transaction that writes its event, then stays open while another dossier is stored and projected.
    const slow = db.transaction().execute(async (trx) => {
      const event = asNew(late.events[0]!);
      const occurredAt = new Date(event.occurredAt).toISOString();
      const eventId = eventIdFor(late.dossierCode, 1);
      const hash = eventHash(GENESIS_HASH, { streamId: late.dossierCode, streamVersion: 1, eventId, type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata, occurredAt });
      await trx.insertInto('events').values({ stream_id: late.dossierCode, stream_version: 1, event_id: eventId, type: event.type, schema_version: 1, payload: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata), occurred_at: occurredAt, hash }).execute();
      inserted();
      await released;
    });
    await insertedSignal;
    await store(early);
    await catchUpReports(db);
    const projected = async (code: string) => (await db.selectFrom('report_dossiers').select('dossier_code').where('dossier_code', '=', code).executeTakeFirst()) !== undefined;
    // The committed dossier waits too: its transaction is younger than the open one.
    expect(await projected(late.dossierCode)).toBe(false);
    expect(await projected(early.dossierCode)).toBe(false);
    release();
    await slow;
    await projectPast([late.dossierCode, early.dossierCode]);
    expect(await projected(late.dossierCode)).toBe(true);
    expect(await projected(early.dossierCode)).toBe(true);
  });

  it('reads every event exactly once when positions cross a power of ten within a batch', async () => {
    // Move the log's positions to just below the next power of ten, so one batch holds 99…9 and 10…0.
    const { rows: [top] } = await sql<{ max: string }>`SELECT max(global_position)::text AS max FROM events`.execute(db);
    const boundary = 10 ** String(top!.max).length;
    await sql`ALTER TABLE events ALTER COLUMN global_position RESTART WITH ${sql.lit(boundary - 5)}`.execute(db);
    const crossing = DossierScenario.received(BUSINESS_PROCEDURE, '2026-05-05T08:30:00', 9401);
    crossing.accept('2026-05-05T09:00:00');
    crossing.play(crossing.command('RequestSupplement', actor('officer', ECONOMY), { stepId: 'business-registration', missing: [{ description: 'Bản sao', reason: 'Mờ' }] }), '2026-05-05T10:00:00');
    for (let index = 0; index < 4; index += 1) {
      const other = DossierScenario.received(BUSINESS_PROCEDURE, '2026-05-05T08:30:00', 9410 + index);
      await store(other);
    }
    await store(crossing);
    await projectPast([crossing.dossierCode], 4);
    const { seen, atOrBelowCheckpoint } = await projectedExactlyOnce(db);
    expect(seen).toBe(atOrBelowCheckpoint);
    expect(await db.selectFrom('report_open_intervals').select('paused').where('dossier_code', '=', crossing.dossierCode).orderBy('valid').execute()).toEqual([{ paused: false }, { paused: true }]);
  });

  it('is kept caught up by the worker\'s background projector', async () => {
    const projector = startReportProjector(db, createLogger({ level: 'silent', name: 'test' }), { pollMs: 20 });
    try {
      const fresh = DossierScenario.received(BUSINESS_PROCEDURE, '2026-05-04T08:30:00', 9301);
      fresh.accept('2026-05-04T09:00:00');
      await store(fresh);
      await expect.poll(async () => (await db.selectFrom('report_dossiers').select('accepted_at').where('dossier_code', '=', fresh.dossierCode).executeTakeFirst())?.accepted_at?.toISOString(), { timeout: 15_000 })
        .toBe(new Date(at('2026-05-04T09:00:00')).toISOString());
    } finally {
      await projector.stop();
    }
  });

  it('rebuilds into shadow tables and swaps them in, equal to the incremental projection', async () => {
    const rowsOf = async (database: Kysely<Database>) => ({
      dossiers: await database.selectFrom('report_dossiers').selectAll().where('dossier_code', 'in', codes).orderBy('dossier_code').execute(),
      intervals: (await sql<Record<string, unknown>>`SELECT dossier_code, lower(valid) AS lower, upper(valid) AS upper, paused, overdue_from, late766_from FROM report_open_intervals WHERE dossier_code IN (${sql.join(codes)}) ORDER BY 1, 2`.execute(database)).rows,
    });
    const incremental = await rowsOf(db);
    expect(incremental.dossiers).toHaveLength(codes.length);
    const phases: string[] = [];
    // While the rebuild copies, reports keep answering from the live tables.
    const answers: Promise<IndicatorReport>[] = [];
    const rebuilt = await rebuildReports(db, {
      batchSize: 50,
      onProgress: (progress) => {
        phases.push(progress.phase);
        if (progress.phase === 'copying') answers.push(marchReport(march.to));
      },
    });
    expect(rebuilt.events).toBeGreaterThanOrEqual(dataset.all.reduce((sum, scenario) => sum + scenario.events.length, 0));
    expect(phases).toContain('copying');
    expect(phases.slice(-2)).toEqual(['swapping', 'done']);
    for (const answer of await Promise.all(answers)) expect(answer.groups[0]!.counts.accepted).toBe(5);
    expect(await rowsOf(db)).toEqual(incremental);
    const { seen, atOrBelowCheckpoint } = await projectedExactlyOnce(db);
    expect(seen).toBe(atOrBelowCheckpoint);
    // The rebuilt projection carries on from the shadow's checkpoint: nothing left over, nothing twice.
    const { rows: checkpoints } = await sql<{ name: string }>`SELECT name FROM projection_checkpoints WHERE name LIKE 'reports%'`.execute(db);
    expect(checkpoints.map((row) => row.name)).toEqual([REPORT_PROJECTION]);
    expect((await marchReport(march.to)).groups[0]!.counts.accepted).toBe(5);
  });
});
