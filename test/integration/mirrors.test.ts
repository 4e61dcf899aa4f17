// A mirror of a dossier handled on a ministry's system, end to end on the real PostgreSQL: pushed,
// read, counted in the unit's Decision 766 report, refusing commands, its hash chain intact, updated
// by a newer revision, an older one refused, and its history showing both revisions
// (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/database.js';
import { allocateDossierSerial } from '../../db/dossier-serials.js';
import { storeMirrorPush } from '../../db/mirror-store.js';
import { planDeliveriesFromLog } from '../../db/outbox/deliveries.js';
import { rebuildReports } from '../../db/projections/report-projection.js';
import { checkDossierProjections } from '../../db/projection-check.js';
import { mirrorPushSchema } from '../../domain/mirror/push.js';
import { databaseOfItsOwn } from '../support/time-skipping-engine.js';
import { indicatorReport } from '../../db/reports/indicator-report.js';
import { authAs, getJson, postJson, startTestEngine, type TestEngine } from '../support/engine.js';
import { projectReportsPast } from '../support/report-projection.js';

let engine: TestEngine;
let unit: string;
const code = `G01.BCA-261102-${String(randomBytes(4).readUInt32BE(0)).padStart(10, '0')}`;

const first = () => ({
  sourceUpdatedAt: '2026-11-02T09:00:00+07:00',
  procedureCode: '1.001612',
  procedureName: 'Cấp đổi giấy phép lái xe',
  agencyCode: unit,
  handlingUnitName: 'Phòng CSGT',
  channel: 'online',
  applicant: { kind: 'citizen', fullName: 'Lê Văn Gương', identityNumber: '001090077777' },
  submittedAt: '2026-11-02T08:30:00+07:00',
  acceptedAt: '2026-11-02T09:00:00+07:00',
  appointmentAt: '2026-11-09T17:00:00+07:00',
  status: 4,
  paidOnline: true,
  feeBearing: true,
  progress: [{ at: '2026-11-02T09:00:00+07:00', unitName: 'Phòng CSGT', action: 'Tiếp nhận hồ sơ', status: 2 }],
});

const second = () => ({
  ...first(),
  sourceUpdatedAt: '2026-11-06T15:00:00+07:00',
  status: 9,
  finishedAt: '2026-11-06T15:00:00+07:00',
  eResult: true,
  progress: [...first().progress, { at: '2026-11-06T15:00:00+07:00', unitName: 'Phòng CSGT', handlerName: 'Trần Văn Bình', action: 'Ký duyệt, trả kết quả điện tử', status: 9 }],
});

const ministry = () => ({ userId: 'bca-dichvucong', role: 'ministry-system' as const, agencyCode: unit });
const reception = () => ({ userId: `reception@${unit}`, role: 'reception' as const, agencyCode: unit });

async function put(body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${engine.url}/mirrors/${code}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(await authAs(ministry())) }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  // No worker: a mirror has no workflow, and every command on it is refused before Temporal.
  engine = await startTestEngine({ name: 'mirrors', worker: false });
  unit = await engine.newCentre();
});
afterAll(() => engine?.close());

describe('a mirror of a dossier handled on a ministry’s system', () => {
  it('is recorded once, read as a dossier marked mirrored, and refuses commands', async () => {
    const pushed = await put(first());
    expect(pushed).toMatchObject({ status: 201, json: { dossierCode: code, outcome: 'mirrored', streamVersion: 1 } });
    expect(await put(first())).toMatchObject({ status: 200, json: { outcome: 'unchanged', streamVersion: 1 } });

    const staff = await authAs(reception());
    const read = await getJson(`${engine.url}/dossiers/${code}`, staff);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ dossierCode: code, agencyCode: unit, procedureCode: '1.001612', channel: 'online', status: 'in-processing', portalStatus: 4, mirroredFrom: 'test-ministry', acceptedAt: '2026-11-02T02:00:00.000Z', currentAgencies: [] });
    expect(read.json.mirror).toMatchObject({ system: 'test-ministry', revisions: 1, handlingUnitName: 'Phòng CSGT', paidOnline: true, progress: [{ action: 'Tiếp nhận hồ sơ', status: 2 }] });

    const listed = await getJson(`${engine.url}/dossiers?mirrored=true&agency=${unit}`, staff);
    expect(listed.json.items.map((item: { dossierCode: string; mirroredFrom: string }) => [item.dossierCode, item.mirroredFrom])).toEqual([[code, 'test-ministry']]);
    expect((await getJson(`${engine.url}/dossiers?mirrored=false&agency=${unit}`, staff)).json.items).toEqual([]);
    // Found by the applicant's identity number, like a dossier received here.
    const byNumber = await getJson(`${engine.url}/dossiers?applicantId=001090077777&agency=${unit}`, staff);
    expect(byNumber.json.items.map((item: { dossierCode: string }) => item.dossierCode)).toEqual([code]);

    const accept = await postJson(`${engine.url}/dossiers/${code}/accept`, { components: [] }, staff);
    expect(accept.status).toBe(409);
    expect(accept.json).toMatchObject({ code: 'DOSSIER_MIRRORED' });
    expect(accept.json.detail).toContain('test-ministry');

    // The routes that take a file refuse before reading a byte of it.
    const pdf = new FormData();
    pdf.append('file', new Blob([Buffer.from('%PDF-1.7\n')], { type: 'application/pdf' }), 'ket-qua.pdf');
    const head = await authAs({ userId: `head@${unit}`, role: 'head', agencyCode: unit });
    for (const [url, headers] of [[`${engine.url}/dossiers/${code}/issue-result`, head], [`${engine.url}/dossiers/${code}/components/application/files`, staff]] as const) {
      const response = await fetch(url, { method: 'POST', headers, body: pdf });
      expect(response.status, url).toBe(409);
      expect(((await response.json()) as { code: string }).code).toBe('DOSSIER_MIRRORED');
    }
    const reusable = await getJson(`${engine.url}/dossiers/${code}/reusable`, staff);
    expect(reusable.status).toBe(409);

    const actions = await getJson(`${engine.url}/dossiers/${code}/actions`, staff);
    expect(actions.json.actions).toEqual([]);
    expect(actions.json.mirroredFrom).toBe('test-ministry');
    expect(actions.json.unavailable.length).toBeGreaterThan(0);
    expect(new Set(actions.json.unavailable.map((item: { code: string }) => item.code))).toEqual(new Set(['DOSSIER_MIRRORED']));

    expect(await checkDossierProjections(engine.db, code)).toEqual([]);
    expect((await getJson(`${engine.url}/dossiers/${code}/integrity`, staff)).json).toMatchObject({ intact: true, events: 1 });
  });

  it('takes a newer revision, refuses an older one, and keeps both in its history', async () => {
    const updated = await put(second());
    expect(updated).toMatchObject({ status: 200, json: { outcome: 'updated', streamVersion: 2 } });
    expect(updated.json.changed).toEqual(expect.arrayContaining(['status', 'finishedAt', 'eResult', 'progress']));

    const stale = await put(first());
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ code: 'MIRROR_REVISION_STALE' });
    const changedProcedure = await put({ ...second(), sourceUpdatedAt: '2026-11-07T08:00:00+07:00', procedureCode: '1.001193' });
    expect(changedProcedure.status).toBe(422);
    expect(changedProcedure.json).toMatchObject({ code: 'MIRROR_IMMUTABLE_CHANGED' });

    const auditor = await authAs({ userId: 'auditor.1', role: 'auditor', agencyCode: unit });
    const history = await getJson(`${engine.url}/dossiers/${code}/events`, auditor);
    expect(history.json.events.map((event: { type: string; streamVersion: number }) => [event.streamVersion, event.type])).toEqual([[1, 'DossierMirrored'], [2, 'MirrorUpdated']]);
    expect(history.json.events[0].metadata.actor).toEqual({ userId: 'bca-dichvucong', role: 'ministry-system', agencyCode: unit });
    expect(history.json.events[1].label.en).toMatch(/Updated by test-ministry: .*status/);

    expect((await getJson(`${engine.url}/dossiers/${code}/integrity`, auditor)).json).toMatchObject({ intact: true, events: 2 });
    const firstAt = history.json.events[0].occurredAt as string;
    const asOfFirst = await getJson(`${engine.url}/dossiers/${code}/state?at=${encodeURIComponent(firstAt)}`, auditor);
    expect(asOfFirst.json).toMatchObject({ streamVersion: 1, state: { status: 'mirrored', facts: { status: 4 } }, clock: null });
    const summary = await getJson(`${engine.url}/dossiers/${code}`, auditor);
    expect(summary.json).toMatchObject({ status: 'result-ready', portalStatus: 9, streamVersion: 2, mirror: { revisions: 2 } });
    expect(await checkDossierProjections(engine.db, code)).toEqual([]);
  });

  it('counts in its unit’s Decision 766 report from its own dates, marked as mirrored', async () => {
    await projectReportsPast(engine.db, [code]);
    const report = await indicatorReport(engine.db, { from: new Date('2026-11-01T00:00:00+07:00'), to: new Date('2026-12-01T00:00:00+07:00'), asOf: new Date(), agencyCode: unit, groupBy: 'none' });
    expect(report.groups[0]!.counts).toMatchObject({
      registered: 1,
      accepted: 1,
      acceptedOnline: 1,
      resolved: 1,
      resolvedWithResult: 1,
      resolvedEarly766: 1, // finished on the 6th, due the 9th
      eResults: 1,
      feeBearing: 1,
      paidOnline: 1,
      acceptedSynced: 1, // its own system syncs it
      acceptedMirrored: 1,
      resolvedMirrored: 1,
    });
    const onTime = report.groups[0]!.indicators.find((indicator) => indicator.id === 'on-time-rate-766')!;
    expect(onTime.value).toBe(100);
  });

  it('records a push sent several times at once exactly once', async () => {
    const racing = `G01.BCA-261102-${String(randomBytes(3).readUIntBE(0, 3) + 1).padStart(8, '0')}`;
    const send = async (): Promise<{ status: number; json: { streamVersion: number } }> => {
      const response = await fetch(`${engine.url}/mirrors/${racing}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(await authAs(ministry())) }, body: JSON.stringify(first()) });
      return { status: response.status, json: (await response.json()) as { streamVersion: number } };
    };
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    expect(answers.every((answer) => answer.json.streamVersion === 1)).toBe(true);
    const events = await engine.db.selectFrom('events').select('stream_version').where('stream_id', '=', racing).execute();
    expect(events).toHaveLength(1);
  });

  it('reserves the serial of a code in the engine’s own shape, so reception never hands it out', async () => {
    const own = `${unit}-261102-0042`;
    const response = await fetch(`${engine.url}/mirrors/${own}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(await authAs(ministry())) }, body: JSON.stringify(first()) });
    expect(response.status).toBe(201);
    const serial = await engine.db.selectFrom('dossier_daily_serials').select('last_serial').where('agency_code', '=', unit).where('reception_date', '=', '2026-11-02').executeTakeFirst();
    expect(serial?.last_serial).toBe(42);
  });

  it('reserves no serial so large that the unit could no longer number its own receptions that day', async () => {
    const huge = `${unit}-261103-2147483647`;
    const response = await fetch(`${engine.url}/mirrors/${huge}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...(await authAs(ministry())) }, body: JSON.stringify(first()) });
    expect(response.status).toBe(201);
    // The engine's next reception at the unit that day still gets a serial.
    await expect(allocateDossierSerial(engine.db, unit, { year: 2026, month: 11, day: 3 })).resolves.toBe(1);
  });

  it('never wrote its applicant to the logs', () => {
    const logs = engine.logs.lines.join('');
    expect(logs).toContain('mirror push');
    expect(logs).not.toContain('Lê Văn Gương');
    expect(logs).not.toContain('001090077777');
  });
});

describe('a mirror in a log of its own', () => {
  it('plans nothing for a mirror (its own system syncs it and tells its applicant), and rebuilds its report row from the log', async () => {
    // A database of its own: the planner reads the whole log.
    const db = createDatabase({ connectionString: await databaseOfItsOwn(), poolSize: 2, applicationName: 'motcua-test-mirror-outbox' });
    try {
      const stored = await storeMirrorPush(db, { dossierCode: 'G01.BCA-261102-000001', push: mirrorPushSchema.parse({ ...first(), agencyCode: '000.00.31.H38' }), system: 'bca-dichvucong', userId: 'bca-dichvucong' });
      expect(stored).toMatchObject({ outcome: 'mirrored', streamVersion: 1 });
      const planned = await planDeliveriesFromLog(db, { portal: true, notices: { enabled: ['sms', 'email'], defaultChannels: ['sms', 'email'], preferredOnly: false } });
      expect(planned).toEqual({ events: 1, planned: 0 });
      expect(await db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
      // npm run projections:rebuild: the report rows come back from the log, the mirror's with them.
      await rebuildReports(db);
      const rows = await db.selectFrom('report_dossiers').select(['dossier_code', 'mirrored_from', 'accepted_at', 'channel']).execute();
      expect(rows).toEqual([{ dossier_code: 'G01.BCA-261102-000001', mirrored_from: 'bca-dichvucong', accepted_at: new Date('2026-11-02T02:00:00.000Z'), channel: 'online' }]);
    } finally {
      await db.destroy();
    }
  });
});
