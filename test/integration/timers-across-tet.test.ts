// The legal clock's timers in workflow time, on the real civil-service calendar, across Tết 2027.
// Each scenario runs the real dossier worker (real activities, the suite's PostgreSQL) against a
// time-skipping Temporal test server of its own (test/support/time-skipping-engine.ts), which starts
// at the machine's time (December 2026) and is moved forward to the days each scenario needs.
// Expected instants are counted in the test from the calendar's list of days off
// (test/support/office-time.ts), never by the clock's own functions; the worked figures are in the
// comments, as docs/deadlines.md works its examples.
//
// Adding a scenario: an `it` in the describe below that starts a fresh engine
// (`startTimeSkippingEngine`: each has its own server, whose clock only moves forward), registers a
// procedure (`civilServiceProcedure`), accepts with `receiveAndAccept` at a Vietnam time before Tết,
// counts the expected instants with test/support/office-time.ts from `daysOfPinnedCalendar`, and
// checks an alert with `expectAlertAt`. The scenarios of calendar amendments (issue 16 §3: "adopts
// an amendment while it waits", "load an amendment that makes 2027 official") need: the amendment
// command sent with `engine.send` (add it to the harness's `prepare` if the API pins the amendment's
// content into the command, as it pins an acceptance); the amendment loaded at the server's time
// (`engine.now()`), since its effective date is compared with the workflow's clock; and the expected
// days from `daysOfCalendar(amendment.version, { ...VIETNAM_CIVIL_SERVICE_CALENDAR, amendments:
// [...VIETNAM_CIVIL_SERVICE_CALENDAR.amendments, amendment] })` (or the stored definition the loader
// keeps), with the alert of the old due time checked absent and the new one raised.
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../db/catalogue.js';
import { holidayCalendarAtVersion, type HolidayCalendarDefinition } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { agencySchema } from '../../domain/catalogue/agency.js';
import { procedureVersionSchema } from '../../domain/catalogue/procedure.js';
import type { StoredEvent } from '../../db/event-store.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { actor } from '../support/dossier-fixtures.js';
import { uniqueAgencyCode } from '../support/engine.js';
import {
  addOfficeMinutes,
  civilServiceDays,
  type CivilServiceDays,
  isWorkingDay,
  OFFICE_MINUTES_PER_DAY,
  officeMinutesBetween,
  vietnamInstant,
  vietnamMinute,
  wholeSecond,
  workingDayBefore,
} from '../support/office-time.js';
import { startTimeSkippingEngine, type TimeSkippingEngine } from '../support/time-skipping-engine.js';

const MINUTE = 60_000;
/** How long before and after an alert's instant the test looks for it. */
const LOOK_AFTER = MINUTE;

let engine: TimeSkippingEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** A one-stop centre and a specialist office on the civil-service calendar, and a procedure of `days` working days through the office. */
async function civilServiceProcedure(on: TimeSkippingEngine, days: number) {
  const centre = uniqueAgencyCode();
  const office = uniqueAgencyCode();
  const procedureCode = `2.999002.${centre.slice(1, 7)}`;
  await loadCatalogue(on.db, {
    sample: true,
    agencies: [
      agencySchema.parse({ code: centre, name: 'Bộ phận Một cửa thử nghiệm Tết', kind: 'one-stop-centre', calendarId: 'vn-civil-service' }),
      agencySchema.parse({ code: office, name: 'Phòng chuyên môn thử nghiệm Tết', kind: 'specialist-office', calendarId: 'vn-civil-service' }),
    ],
    procedures: [
      procedureVersionSchema.parse({
        code: procedureCode,
        version: 'test',
        effectiveFrom: '2020-01-01',
        legalBasis: 'test',
        name: 'Thủ tục thử nghiệm qua Tết',
        field: 'Thử nghiệm',
        competentAgencyCode: office,
        clock: { budget: { unit: 'working-days', amount: days }, receptionCutOff: '15:00', afterSupplement: 'resume' },
        route: { stages: [{ steps: [{ id: 'review', agencyCode: office, task: 'Thẩm định hồ sơ', budget: { unit: 'working-days', amount: days } }] }] },
        components: [],
        resultType: 'written-confirmation',
        onlineLevel: 'full',
        sample: true,
      }),
    ],
  });
  return { centre, office, procedureCode, reception: actor('reception', centre), officer: actor('officer', office), head: actor('head', office) };
}

type Setup = Awaited<ReturnType<typeof civilServiceProcedure>>;

/** Moves the clock to `local` (Vietnam time), receives a dossier and accepts it; returns its code and the acceptance instant. */
async function receiveAndAccept(on: TimeSkippingEngine, setup: Setup, local?: string, historyLimit?: number): Promise<{ dossierCode: string; acceptedAt: number; accepted: StoredEvent }> {
  if (local) await on.skipTo(vietnamInstant(local));
  const dossierCode = await on.receive({ agencyCode: setup.centre, procedureCode: setup.procedureCode, actor: setup.reception, ...(historyLimit ? { historyLimit } : {}) });
  await on.send({ type: 'AcceptDossier', commandId: `${dossierCode}/accept`, dossierCode, actor: setup.reception, components: [] });
  const [accepted] = await on.events(dossierCode, 'DossierAccepted');
  return { dossierCode, acceptedAt: Date.parse(dataOf(accepted!).at as string), accepted: accepted! };
}

/** The days off of the calendar version the acceptance pinned, for the years a test crosses. */
function daysOfPinnedCalendar(accepted: StoredEvent): CivilServiceDays {
  return daysOfCalendar(dataOf(accepted).calendarVersion as string);
}

/**
 * The days off of one version of a calendar definition (its table of marked days: data, not the
 * clock's arithmetic). A test of an amendment passes the definition with the amendment appended and
 * the amendment's version.
 */
function daysOfCalendar(version: string, definition: HolidayCalendarDefinition = VIETNAM_CIVIL_SERVICE_CALENDAR): CivilServiceDays {
  const calendar = holidayCalendarAtVersion(definition, version);
  return civilServiceDays([2026, 2027].flatMap((year) => calendar.marksOfYear(year)));
}

function dataOf(event: StoredEvent): Record<string, unknown> {
  return event.data as Record<string, unknown>;
}

/** The alerts of the dossier's own clock (scope `dossier`) stored in PostgreSQL, by kind. */
async function dossierAlerts(on: TimeSkippingEngine, dossierCode: string): Promise<{ alert: string; at: number; due: number }[]> {
  return (await on.events(dossierCode, 'DeadlineAlerted'))
    .map(dataOf)
    .filter((data) => (data.scope as { kind: string }).kind === 'dossier')
    .map((data) => ({ alert: data.alert as string, at: Date.parse(data.at as string), due: Date.parse(data.due as string) }));
}

/**
 * The alert is raised (in PostgreSQL and in the workflow's state) at its instant: not there a minute
 * before, and recorded at or after the instant, before the test looked a minute later. (The clock
 * runs at the normal pace between skips, so the look before stays a minute clear of the instant.)
 */
async function expectAlertAt(on: TimeSkippingEngine, dossierCode: string, alert: 'due-soon' | 'overdue', instant: number, due: number): Promise<void> {
  await on.skipTo(instant - LOOK_AFTER);
  expect((await dossierAlerts(on, dossierCode)).map((raised) => raised.alert)).not.toContain(alert);
  expect((await on.state(dossierCode)).state).toMatchObject({ alerts: expect.not.arrayContaining([alert]) });
  await on.skipTo(instant + LOOK_AFTER);
  await expect.poll(async () => (await dossierAlerts(on, dossierCode)).map((raised) => raised.alert), { timeout: 10_000 }).toContain(alert);
  const raised = (await dossierAlerts(on, dossierCode)).find((candidate) => candidate.alert === alert)!;
  expect(raised.at).toBeGreaterThanOrEqual(instant);
  expect(raised.at).toBeLessThan(instant + LOOK_AFTER);
  expect(raised.due).toBe(wholeSecond(due));
  expect((await on.state(dossierCode)).state).toMatchObject({ alerts: expect.arrayContaining([alert]) });
}

/**
 * A dossier of 3 working days accepted on Wednesday 3 February 2027 at 09:00, followed through its
 * due-soon and overdue alerts:
 *   Wed 3/2 09:00–17:00: 360 · Thu 4/2: 450 (810) · Fri 5 – Thu 11/2: Tết and the weekend ·
 *   Fri 12/2: 450 (1260) · Mon 15/2 07:30–09:00: 90 (1350 = 3 × 450).
 * Due Monday 15 February 09:00; due soon one working day (450 minutes) before: Friday 12 February 09:00.
 */
async function alertsAcrossTet(on: TimeSkippingEngine, historyLimit?: number): Promise<{ dossierCode: string }> {
  const setup = await civilServiceProcedure(on, 3);
  const { dossierCode, acceptedAt, accepted } = await receiveAndAccept(on, setup, '2027-02-03 09:00', historyLimit);
  const days = daysOfPinnedCalendar(accepted);
  const due = addOfficeMinutes(days, acceptedAt, 3 * OFFICE_MINUTES_PER_DAY);
  const dueSoon = addOfficeMinutes(days, acceptedAt, 2 * OFFICE_MINUTES_PER_DAY);
  expect([vietnamMinute(acceptedAt), vietnamMinute(dueSoon), vietnamMinute(due)]).toEqual(['2027-02-03 09:00', '2027-02-12 09:00', '2027-02-15 09:00']);
  expect(Date.parse(dataOf(accepted).appointment as string)).toBe(wholeSecond(due));

  // Through Tết to the first working day's opening: no alert of any clock, the dossier's or the step's.
  await on.skipTo(vietnamInstant('2027-02-12 07:30'));
  expect(await on.events(dossierCode, 'DeadlineAlerted')).toEqual([]);
  await expectAlertAt(on, dossierCode, 'due-soon', dueSoon, due);
  // The overdue mark: the first instant after the due time.
  await expectAlertAt(on, dossierCode, 'overdue', due + 1, due);
  expect((await dossierAlerts(on, dossierCode)).map((raised) => raised.alert)).toEqual(['due-soon', 'overdue']);
  expect(await findDossierSummary(on.db, dossierCode)).toMatchObject({ overdue: true, due_soon: true });
  // The step of the office, on the same budget and calendar, was alerted with the dossier.
  const stepAlerts = (await on.events(dossierCode, 'DeadlineAlerted')).map(dataOf).filter((data) => (data.scope as { kind: string }).kind === 'step');
  expect(stepAlerts.map((data) => [data.alert, data.agencyCode, Date.parse(data.due as string)])).toEqual([
    ['due-soon', setup.office, wholeSecond(due)],
    ['overdue', setup.office, wholeSecond(due)],
  ]);
  return { dossierCode };
}

describe('the calendar these scenarios stand on', () => {
  it('estimates Tết 2027 (Lunar New Year on Saturday 6 February) as Friday 5 to Thursday 11 February, with two compensatory days', () => {
    // The eve and the first four days of the year (5–9 February); Saturday 6 and Sunday 7 fall on
    // the weekend, so Wednesday 10 and Thursday 11 are given in compensation (Labor Code 2019 art.
    // 111(3)). Thursday 4 and Friday 12 February are working days. The built-in 2027 days are
    // estimates: no official schedule for 2027 is in the calendar.
    const calendar = holidayCalendarAtVersion(VIETNAM_CIVIL_SERVICE_CALENDAR, VIETNAM_CIVIL_SERVICE_CALENDAR.amendments.at(-1)!.version);
    const february = calendar.marksOfYear(2027).filter(({ date }) => date.startsWith('2027-02'));
    expect(february.map(({ date, mark }) => [date, mark.kind, 'estimated' in mark && mark.estimated])).toEqual([
      ['2027-02-05', 'holiday', true],
      ['2027-02-06', 'holiday', true],
      ['2027-02-07', 'holiday', true],
      ['2027-02-08', 'holiday', true],
      ['2027-02-09', 'holiday', true],
      ['2027-02-10', 'compensatory', true],
      ['2027-02-11', 'compensatory', true],
    ]);
    const days = civilServiceDays(calendar.marksOfYear(2027));
    expect(['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-11', '2027-02-12'].map((date) => isWorkingDay(days, date))).toEqual([true, false, false, false, true]);
  });
});

describe('timers in workflow time across Tết 2027', () => {
  it('a dossier accepted before Tết is alerted due soon and marked overdue at the right instants, and nothing fires during the holiday', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-alerts' });
    await alertsAcrossTet(engine);
  }, 180_000);

  it('the same alerts when the workflow continues as new while it waits', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-continue-as-new' });
    const on = engine;
    // A history limit the acceptance and its receipt already pass: the run that sleeps until the
    // alerts is a continued one, which must carry the clock and set its timers again.
    const { dossierCode } = await alertsAcrossTet(on, 20);
    const handle = on.temporal.workflow.getHandle(dossierWorkflowId(dossierCode));
    // The run now running was started by a continue-as-new (the test server lists no executions, so
    // its own history says so).
    const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.continuedExecutionRunId).toBeTruthy();
    expect((await handle.describe()).status.name).toBe('RUNNING');
  }, 180_000);

  it('a dossier paused for a supplement over Tết raises nothing while it waits, and resumes with the right due date', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-supplement' });
    const setup = await civilServiceProcedure(engine, 5);
    // Accepted Monday 1 February 2027 09:00, 5 working days (2250 minutes): due Monday 15 February
    // 09:00 if nothing pauses it. The office asks for a supplement on Wednesday 3 February 09:00,
    // after 900 minutes (Mon 09:00–17:00: 360, Tue: 450, Wed 07:30–09:00: 90); the applicant brings
    // it on Monday 15 February 10:30, after Tết and after the original due time. The procedure
    // resumes (not restarts) the clock: 1350 minutes left · Mon 15/2 10:30–17:00: 270 · Tue 16/2:
    // 450 (720) · Wed 17/2: 450 (1170) · Thu 18/2 07:30–10:30: 180 (1350).
    // Due Thursday 18 February 10:30; due soon Wednesday 17 February 10:30.
    const { dossierCode, acceptedAt, accepted } = await receiveAndAccept(engine, setup, '2027-02-01 09:00');
    const days = daysOfPinnedCalendar(accepted);
    expect(vietnamMinute(addOfficeMinutes(days, acceptedAt, 5 * OFFICE_MINUTES_PER_DAY))).toBe('2027-02-15 09:00');

    await engine.skipTo(vietnamInstant('2027-02-03 09:00'));
    await engine.send({ type: 'RequestSupplement', commandId: `${dossierCode}/supplement`, dossierCode, actor: setup.officer, stepId: 'review', missing: [{ description: 'Bản sao giấy tờ tùy thân', reason: 'Bản chụp không đọc được' }] });
    const [requested] = await engine.events(dossierCode, 'SupplementRequested');
    const pausedAt = Date.parse(dataOf(requested!).at as string);

    // Across Tết, past the original due-soon and due instants: the paused clock raises nothing.
    await engine.skipTo(vietnamInstant('2027-02-15 10:30'));
    expect(await engine.events(dossierCode, 'DeadlineAlerted')).toEqual([]);
    expect((await engine.state(dossierCode)).state).toMatchObject({ status: 'awaiting-supplement', alerts: [] });

    await engine.send({ type: 'ProvideSupplement', commandId: `${dossierCode}/provided`, dossierCode, actor: setup.reception, components: [] });
    const [provided] = await engine.events(dossierCode, 'SupplementProvided');
    const resumedAt = Date.parse(dataOf(provided!).at as string);
    const used = officeMinutesBetween(days, acceptedAt, pausedAt);
    const due = addOfficeMinutes(days, resumedAt, 5 * OFFICE_MINUTES_PER_DAY - used);
    expect([Math.round(used), vietnamMinute(resumedAt), vietnamMinute(due)]).toEqual([900, '2027-02-15 10:30', '2027-02-18 10:30']);
    expect(dataOf(provided!)).toMatchObject({ clockEffect: 'resume' });
    expect(Date.parse(dataOf(provided!).due as string)).toBe(wholeSecond(due));
    expect((await findDossierSummary(engine.db, dossierCode))?.due_at?.getTime()).toBe(wholeSecond(due));

    // The resumed clock's timer: due soon one working day before the new due time.
    const dueSoon = addOfficeMinutes(days, resumedAt, 4 * OFFICE_MINUTES_PER_DAY - used);
    expect(vietnamMinute(dueSoon)).toBe('2027-02-17 10:30');
    await expectAlertAt(engine, dossierCode, 'due-soon', dueSoon, due);
  }, 180_000);

  it('takes the form 04 apology on the working day before the due date, which Tết puts a week earlier, and refuses it the day after', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-apology' });
    const setup = await civilServiceProcedure(engine, 3);
    // Accepted Tuesday 2 February 2027 10:00, 3 working days: Tue 2/2 10:00–17:00: 300 · Wed 3/2:
    // 450 (750) · Thu 4/2: 450 (1200) · Tết · Fri 12/2 07:30–10:00: 150 (1350). Due Friday 12
    // February 10:00. The working day before the due date is Thursday 4 February: the apology with
    // a new appointment (Decree 61 art. 19(9)) may be issued until that day's end, not on Friday 5
    // (the eve of Tết), nor on any day after it.
    await engine.skipTo(vietnamInstant('2027-02-02 10:00'));
    const first = await receiveAndAccept(engine, setup);
    const second = await receiveAndAccept(engine, setup);
    const days = daysOfPinnedCalendar(first.accepted);
    const due = addOfficeMinutes(days, first.acceptedAt, 3 * OFFICE_MINUTES_PER_DAY);
    const lastDay = workingDayBefore(days, vietnamMinute(due).slice(0, 10));
    expect([vietnamMinute(due), lastDay]).toEqual(['2027-02-12 10:00', '2027-02-04']);
    const apology = (dossierCode: string) => ({
      type: 'IssueApology' as const,
      commandId: `${dossierCode}/apology`,
      dossierCode,
      actor: setup.head,
      reason: 'Cần xác minh thêm thông tin với cơ quan khác',
      newAppointment: '2027-02-19T10:00:00+07:00',
    });

    await engine.skipTo(vietnamInstant(`${lastDay} 16:30`));
    const accepted = await engine.send(apology(first.dossierCode));
    expect(accepted.events).toEqual(['ApologyIssued']);
    expect(dataOf((await engine.events(first.dossierCode, 'ApologyIssued'))[0]!)).toMatchObject({ originalDue: expect.any(String), newAppointment: '2027-02-19T10:00:00+07:00' });
    expect(Date.parse(dataOf((await engine.events(first.dossierCode, 'ApologyIssued'))[0]!).originalDue as string)).toBe(wholeSecond(due));

    await engine.skipTo(vietnamInstant('2027-02-05 08:00'));
    const refused = await engine.refusal(apology(second.dossierCode));
    expect(refused).toMatchObject({ code: 'EXTENSION_TOO_LATE' });
    expect(refused.message).toContain('2027-02-04');
    expect(await engine.events(second.dossierCode, 'ApologyIssued')).toEqual([]);
  }, 180_000);
});
