// A dossier that goes overdue, end to end (HTTP → API → Temporal → worker → PostgreSQL): the overdue
// alert puts "apology due" and "explanation due" on the responsible agency's queue; form 04 is
// refused as too late and points to the apology for lateness; the head issues that apology (a
// signed letter, the due date unchanged) and the officer records the explanation; the queue items
// go, and the lateness report shows the dossier apologised for and explained. The applicant sees the
// apology's new appointment; once it passes without the result, another apology is on the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillAppointmentInForce } from '../../db/migrations/2026-12-02T14-00_appointment-in-force.js';
import { checkDossierProjections } from '../../db/projection-check.js';
import { catchUpReports } from '../../db/projections/report-projection.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { actor } from '../support/dossier-fixtures.js';

/** The Vietnam calendar date of an instant, YYYY-MM-DD. */
const vietnamDay = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
import { authAs, documentsIssued, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { issueSignedResult } from '../support/signed-result.js';
import { loadTestProcedure, ROUND_THE_CLOCK } from '../support/test-procedure.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ name: 'late-dossier' });
});

afterAll(async () => {
  await engine?.close();
});

const auditor = () => authAs(actor('auditor', '000.00.00.H99', 'kiemtoan.1'));

/** An agency open round the clock and a procedure of 18 seconds, so the dossier is overdue within a minute. */
function quickProcedure(): Promise<{ centre: string; office: string; procedureCode: string }> {
  return loadTestProcedure(engine.db, {
    calendar: ROUND_THE_CLOCK,
    series: '999002',
    clock: { budget: { unit: 'working-hours', amount: 0.005 }, receptionCutOff: null, explanationWithinWorkingDays: 2 },
    stepBudget: { unit: 'working-hours', amount: 1 },
  });
}

describe('a late dossier', () => {
  it('owes an apology for lateness and an explanation, on the responsible agency’s queue until both are done, and the report shows them', async () => {
    const { centre, office, procedureCode } = await quickProcedure();
    const head = actor('head', office, 'truongphong.thu');
    const officer = actor('officer', office, 'chuyenvien.thu');
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode }), await authAs(actor('reception', centre)));
    expect(received.status).toBe(201);
    const code: string = received.json.dossierCode;
    const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, actor('reception', centre), { components: [] });
    expect(accepted.status).toBe(200);
    const lookup = async () => (await getJson(`${engine.url}/lookup/${code}?secret=${accepted.json.lookupSecret as string}`)).json as { appointment: string | null; appointmentNote: string | null };

    // The dossier's clock (18 s) runs out; the overdue alert puts both duties on the office's queue.
    // Normally about 20 s; a run that crosses 23:59 Vietnam time (outside office hours) waits a minute longer.
    const queueOf = async () => (await getJson(`${engine.url}/agencies/${office}/queue`, await authAs(head))).json.items as { dossierCode: string; kind: string; dueAt: string | null; task: string }[];
    await expect.poll(async () => (await queueOf()).map((item) => item.kind).sort(), { timeout: 150_000, interval: 500 }).toEqual(['apology-due', 'explanation-due', 'step']);
    const before = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect(before).toMatchObject({ overdue: true, extendedDue: null });
    // Due by the close (23:59) of the second working day after the day the dossier went overdue.
    const overdueDay = vietnamDay(new Date(before.due));
    const secondDay = new Date(`${overdueDay}T00:00:00Z`);
    secondDay.setUTCDate(secondDay.getUTCDate() + 2);
    const explanationItem = (await queueOf()).find((item) => item.kind === 'explanation-due')!;
    expect(explanationItem).toMatchObject({ dossierCode: code, task: 'Giải trình lý do hồ sơ quá hạn với người đứng đầu cơ quan' });
    expect(explanationItem.dueAt).toBe(new Date(`${secondDay.toISOString().slice(0, 10)}T23:59:00+07:00`).toISOString());
    expect((await queueOf()).find((item) => item.kind === 'apology-due')).toMatchObject({ dossierCode: code, dueAt: null });

    // Form 04 is for before the due date: its refusal says what to do instead.
    const extension = await postCommand(`${engine.url}/dossiers/${code}/issue-apology`, head, { reason: 'Chờ xác minh', newAppointment: new Date(Date.now() + 86_400_000).toISOString() });
    expect(extension.status).toBe(422);
    expect(extension.json).toMatchObject({ code: 'EXTENSION_TOO_LATE' });
    expect(extension.json.detail).toMatch(/issue the apology for lateness instead/);

    // A new appointment soon enough for this test to see it missed (the centre is open round the clock).
    const newAppointment = new Date(Date.now() + 45_000).toISOString();
    const withoutAppointment = await postCommand(`${engine.url}/dossiers/${code}/issue-lateness-apology`, head, { reason: 'Chờ xác minh thực địa' });
    expect(withoutAppointment.status).toBe(422);
    expect(withoutAppointment.json).toMatchObject({ code: 'NEW_APPOINTMENT_REQUIRED' });
    const apology = await postCommand(`${engine.url}/dossiers/${code}/issue-lateness-apology`, head, { reason: 'Chờ xác minh thực địa', newAppointment });
    expect(apology.status).toBe(200);
    expect(apology.json.events).toEqual(['LatenessApologyIssued']);
    await documentsIssued(engine.url, code, ['lateness-apology'], await auditor());
    // The applicant is told the new appointment; staff see it beside the receipt's and the due date.
    const promised = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect({ appointment: promised.appointment, due: promised.due, appointmentInForce: promised.appointmentInForce }).toEqual({ appointment: before.appointment, due: before.due, appointmentInForce: newAppointment });
    expect(await lookup()).toMatchObject({ appointment: newAppointment, appointmentNote: 'Ngày hẹn mới theo văn bản xin lỗi vì hồ sơ giải quyết quá hạn' });

    const wrongAgency = await postCommand(`${engine.url}/dossiers/${code}/record-lateness-explanation`, actor('officer', centre), { reason: 'x' });
    expect(wrongAgency.status).toBe(403);
    expect(wrongAgency.json).toMatchObject({ code: 'NOT_THE_RESPONSIBLE_AGENCY' });
    const explanation = await postCommand(`${engine.url}/dossiers/${code}/record-lateness-explanation`, officer, { reason: 'Chuyên viên thụ lý đi xác minh thực địa, chưa kịp trình ký' });
    expect(explanation.status).toBe(200);
    expect(explanation.json.events).toEqual(['LatenessExplained']);

    // Both done: only the step stays on the queue; the due date the statistics use did not move.
    expect((await queueOf()).map((item) => item.kind)).toEqual(['step']);
    const after = (await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json;
    expect({ due: after.due, extendedDue: after.extendedDue }).toEqual({ due: before.due, extendedDue: null });
    const history = (await getJson(`${engine.url}/dossiers/${code}/events`, await auditor())).json.events as { type: string; data: Record<string, unknown> }[];
    expect(history.find((event) => event.type === 'LatenessExplained')?.data).toMatchObject({ agencyCode: office, author: { userId: 'chuyenvien.thu', role: 'officer' }, late: false });

    await catchUpReports(engine.db);
    const today = vietnamDay(new Date());
    const report = await getJson(`${engine.url}/reports/lateness?from=${overdueDay}&to=${today}&agency=${office}`, await authAs(head));
    expect(report.status).toBe(200);
    expect(report.json.groups).toMatchObject([
      { agencyCode: office, late: 1, apologised: 1, notApologised: 0, explained: 1, notExplained: 0, explainedLate: 0, dossiers: [{ dossierCode: code }] },
    ]);
    // As of an instant before the period begins there is nothing to report: a 400, as for the indicators.
    const tooEarly = await getJson(`${engine.url}/reports/lateness?from=${overdueDay}&to=${today}&agency=${office}&asOf=2020-01-01T00%3A00%3A00%2B07%3A00`, await authAs(head));
    expect({ status: tooEarly.status, field: tooEarly.json.errors?.[0]?.field }).toEqual({ status: 400, field: 'querystring.asOf' });

    // The new appointment passes without the result: another apology is owed, on the queue from then
    // on (no event marks it; the queue judges it when read), and it gives the next appointment.
    await expect.poll(async () => (await queueOf()).map((item) => item.kind).sort(), { timeout: 120_000, interval: 1_000 }).toEqual(['apology-due', 'step']);
    expect((await queueOf()).find((item) => item.kind === 'apology-due')).toMatchObject({ task: 'Gửi văn bản xin lỗi lần nữa: đã quá ngày hẹn mới mà chưa có kết quả', dueAt: null });
    const nextAppointment = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const again = await postCommand(`${engine.url}/dossiers/${code}/issue-lateness-apology`, head, { reason: 'Chờ kết quả xác minh thực địa', newAppointment: nextAppointment });
    expect(again.status).toBe(200);
    expect((await queueOf()).map((item) => item.kind)).not.toContain('apology-due');
    expect((await getJson(`${engine.url}/dossiers/${code}`, await auditor())).json).toMatchObject({ appointment: before.appointment, due: before.due, appointmentInForce: nextAppointment });
    expect((await lookup()).appointment).toBe(nextAppointment);
    // The migration's backfill of the column gives what the projection wrote (the audit's check agrees).
    await engine.db.updateTable('dossier_summary').set({ appointment_in_force_at: null }).where('dossier_code', '=', code).execute();
    await backfillAppointmentInForce(engine.db);
    expect(await checkDossierProjections(engine.db, code)).toEqual([]);
  }, 300_000);
  it('can still be apologised for and explained after the applicant evaluated the late result (the workflow has ended)', async () => {
    const { centre, office, procedureCode } = await quickProcedure();
    const head = actor('head', office, 'truongphong.thu');
    const officer = actor('officer', office, 'chuyenvien.thu');
    const reception = actor('reception', centre);
    const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode }), await authAs(reception));
    const code: string = received.json.dossierCode;
    expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: [] })).status).toBe(200);
    const queueOf = async () => (await getJson(`${engine.url}/agencies/${office}/queue`, await authAs(head))).json.items as { kind: string }[];
    await expect.poll(async () => (await queueOf()).map((item) => item.kind).sort(), { timeout: 150_000, interval: 500 }).toEqual(['apology-due', 'explanation-due', 'step']);
    // The late result is issued and handed over at the counter, where the applicant rates it at once on a paper form.
    expect((await postCommand(`${engine.url}/dossiers/${code}/complete-step`, officer, { stepId: 'review', outcome: 'approved' })).status).toBe(200);
    expect((await issueSignedResult(engine.url, code, head, `KQ-${code.slice(-4)}`)).status).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${code}/return-result`, reception, { method: 'counter' })).status).toBe(200);
    expect((await postCommand(`${engine.url}/dossiers/${code}/record-evaluation`, reception, { rating: 'not-satisfied', source: 'paper-form', paperFormReference: `PĐG-${code.slice(-4)}` })).status).toBe(200);
    // Its workflow ends once the evaluated dossier's last documents are issued.
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
    await expect.poll(async () => (await handle.describe()).status.name, { timeout: 60_000, interval: 500 }).toBe('COMPLETED');
    // The duties stay on the queue (docs/lifecycle.md: closed dossiers included) and must be recordable.
    await expect.poll(async () => (await queueOf()).map((item) => item.kind).sort(), { timeout: 30_000, interval: 500 }).toEqual(['apology-due', 'explanation-due']);
    const apology = await postCommand(`${engine.url}/dossiers/${code}/issue-lateness-apology`, head, { reason: 'Chờ xác minh thực địa' });
    expect({ status: apology.status, code: apology.json.code }).toEqual({ status: 200, code: undefined });
    const explanation = await postCommand(`${engine.url}/dossiers/${code}/record-lateness-explanation`, officer, { reason: 'Chuyên viên thụ lý đi xác minh thực địa' });
    expect(explanation.status).toBe(200);
    // Each started a run from the log that ended again once decided, its letter issued.
    await expect.poll(async () => (await queueOf()).length, { timeout: 30_000, interval: 500 }).toBe(0);
    await expect.poll(async () => (await handle.describe()).status.name, { timeout: 60_000, interval: 500 }).toBe('COMPLETED');
    await documentsIssued(engine.url, code, ['lateness-apology'], await auditor());
  }, 240_000);
});
