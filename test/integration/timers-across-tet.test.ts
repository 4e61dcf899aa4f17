// The legal clock's timers in workflow time, on the real civil-service calendar, across the next Tết.
// Each scenario runs the real dossier worker (real activities, PostgreSQL) against a time-skipping
// Temporal test server of its own (test/support/time-skipping-engine.ts), which starts at the
// machine's time and is moved forward to the days each scenario needs. Its clock cannot go back, so
// the scenarios cross the first Tết at least 40 days after the machine's time (`TET` below: Tết 2027
// while the machines read December 2026, Tết 2028 from about the end of December 2026), and every
// date is found from that Tết's days off: working days before and after the break, never a
// hard-coded date. Expected instants are counted in the test from the calendar's list of days off
// (test/support/office-time.ts), never by the clock's own functions; the worked figures for Tết 2027
// are in the comments, as docs/deadlines.md works its examples.
//
// Adding a scenario: an `it` in the describe below that starts a fresh engine
// (`startTimeSkippingEngine`: each has its own server, whose clock only moves forward), registers a
// procedure (`civilServiceProcedure`), accepts with `receiveAndAccept` at a Vietnam time before Tết
// (`TET.before(n)`: the n-th working day before the break), counts the expected instants with
// test/support/office-time.ts from `daysOfPinnedCalendar`, and checks an alert with `expectAlertAt`.
// A scenario that loads a calendar amendment takes a database of its own (`databaseOfItsOwn`: a
// stored amendment is global and would change what every other test's dossiers pin), loads it with
// `engine.loadAmendment` at the server's time (stored, then one page of the real roll-out sends
// AdoptCalendarAmendment to the open dossiers), and counts its expected days from the amendment's
// own lists (`withSchedule`, `adoptedFrom`).
import { afterEach, describe, expect, it } from 'vitest';
import { holidayCalendarAt, holidayCalendarAtVersion, latestHolidayCalendar, type CalendarAmendment, type DayOffKind, type HolidayCalendarDefinition } from '../../domain/calendar/holiday-calendar.js';
import { isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { lunarNewYearDay } from '../../domain/calendar/lunar-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import type { StoredEvent } from '../../db/event-store.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { dossierWorkflowId } from '../../workflows/dossier.js';
import { actor } from '../support/dossier-fixtures.js';
import { CIVIL_SERVICE, loadTestProcedure } from '../support/test-procedure.js';
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
import { databaseOfItsOwn, startTimeSkippingEngine, type TimeSkippingEngine } from '../support/time-skipping-engine.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How long before and after an alert's instant the test looks for it. */
const LOOK_AFTER = MINUTE;
/** How far ahead of the machine's time the Tết crossed must be: the earliest scenario starts a month before its break. */
const LEAD = 40 * DAY;

/** `date` shifted by `days` calendar days (YYYY-MM-DD). */
function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

function weekdayOfDate(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/**
 * The Tết the scenarios cross: the first whose lunar New Year's Day is at least 40 days after
 * `from` (the test servers start at the machine's time), its break (the days off around New Year's
 * Day, weekends included) in the built-in calendar, and the working days either side of it.
 * Tết 2027, as an example: New Year's Day Saturday 6 February; the built-in calendar estimates the
 * eve and the first four days (Friday 5 to Tuesday 9 February) with two compensatory days for the
 * weekend (Wednesday 10, Thursday 11), so the break runs Friday 5 to Thursday 11 February;
 * before(1..4) = Thursday 4, Wednesday 3, Tuesday 2, Monday 1 February; after(1..5) = Friday 12,
 * Monday 15, Tuesday 16, Wednesday 17, Thursday 18 February.
 */
function tetAfter(from: number) {
  let year = Number(vietnamMinute(from).slice(0, 4));
  while (vietnamInstant(`${isoOfCivilDay(lunarNewYearDay(year))} 00:00`) - from < LEAD) year += 1;
  const newYearDay = isoOfCivilDay(lunarNewYearDay(year));
  const days = civilServiceDays([year - 1, year, year + 1].flatMap((each) => latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR).marksOfYear(each)));
  let first = newYearDay;
  while (!isWorkingDay(days, shiftDate(first, -1))) first = shiftDate(first, -1);
  let last = newYearDay;
  while (!isWorkingDay(days, shiftDate(last, 1))) last = shiftDate(last, 1);
  const nthWorkingDay = (from: string, step: 1 | -1, n: number): string => {
    let date = from;
    for (let found = 0; found < n; ) {
      date = shiftDate(date, step);
      if (isWorkingDay(days, date)) found += 1;
    }
    return date;
  };
  return {
    year,
    newYearDay,
    /** The first and last day of the break. */
    first,
    last,
    /** The n-th working day before the break (1: the last one before it). */
    before: (n: number) => nthWorkingDay(first, -1, n),
    /** The n-th working day after the break (1: the first one after it). */
    after: (n: number) => nthWorkingDay(last, 1, n),
  };
}

const TET = tetAfter(Date.now());

let engine: TimeSkippingEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** A one-stop centre and a specialist office on the civil-service calendar, and a procedure of `days` working days through the office. */
async function civilServiceProcedure(on: TimeSkippingEngine, days: number) {
  const { centre, office, procedureCode } = await loadTestProcedure(on.db, {
    calendar: CIVIL_SERVICE,
    series: '999002',
    name: 'Thủ tục thử nghiệm qua Tết',
    task: 'Thẩm định hồ sơ',
    clock: { budget: { unit: 'working-days', amount: days }, receptionCutOff: '15:00', afterSupplement: 'resume' },
    stepBudget: { unit: 'working-days', amount: days },
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

/** The days off of the built-in calendar version the acceptance pinned, for the years a test crosses. */
function daysOfPinnedCalendar(accepted: StoredEvent): CivilServiceDays {
  return daysOfCalendar(dataOf(accepted).calendarVersion as string);
}

/** The days off of one version of a calendar definition (its table of marked days: data, not the clock's arithmetic). */
function daysOfCalendar(version: string, definition: HolidayCalendarDefinition = VIETNAM_CIVIL_SERVICE_CALENDAR): CivilServiceDays {
  const calendar = holidayCalendarAtVersion(definition, version);
  return civilServiceDays([TET.year - 1, TET.year, TET.year + 1].flatMap((year) => calendar.marksOfYear(year)));
}

/**
 * The official schedule of the Tết crossed, as the year's decision would fix it, built from the
 * calendar's days for that Tết (its estimate, or a schedule already built in): those days, and the
 * first working day after them given off in exchange for the Saturday of the week after, so the
 * break reaches the weekend, as such decisions usually do. Issued on the day of `issuedAt`, under
 * the next version after the built-in ones. Tết 2027: the estimate's Friday 5 to Thursday 11
 * February, and Friday 12 February swapped for Saturday 20 February: the break runs Friday 5 to
 * Sunday 14 February, and Monday 15 February is the first working day after it.
 */
function officialTetAmendment(issuedAt: number): CalendarAmendment {
  const issued = vietnamMinute(issuedAt).slice(0, 10);
  const issueYear = Number(issued.slice(0, 4));
  const [latestYear, latestSequence] = VIETNAM_CIVIL_SERVICE_CALENDAR.amendments.at(-1)!.version.split('.').map(Number);
  const version = `${issueYear}.${latestYear === issueYear ? latestSequence! + 1 : 1}`;
  const tet = latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR).marksOfYear(TET.year).filter(({ mark }) => mark.holidayId === 'tet');
  const daysOff = tet.flatMap(({ date, mark }) => (mark.kind === 'make-up-working-day' ? [] : [{ date, kind: mark.kind as DayOffKind }]));
  const makeUps = tet.flatMap(({ date, mark }) => (mark.kind === 'make-up-working-day' ? [{ date, insteadOf: mark.insteadOf }] : []));
  const swapped = TET.after(1);
  let makeUp = shiftDate(swapped, 7);
  while (weekdayOfDate(makeUp) !== 6) makeUp = shiftDate(makeUp, 1);
  return {
    version,
    effectiveFrom: issued,
    reason: `Test: the official days off of Tết ${TET.year}, with ${swapped} given off and worked on Saturday ${makeUp}.`,
    legalReference: `Công văn thử nghiệm ${version}/BNV-CVL`,
    changes: [
      {
        type: 'official-schedule',
        schedule: { year: TET.year, holidayId: 'tet', daysOff: [...daysOff, { date: swapped, kind: 'swapped' }], makeUpWorkingDays: [...makeUps, { date: makeUp, insteadOf: swapped }] },
      },
    ],
  };
}

/**
 * `days` with an amendment's official schedules laid over them, from the amendment's own lists (not
 * the calendar's resolution of it). The schedules built here list every day the calendar already
 * had off for that holiday, so adding their days is the whole change.
 */
function withSchedule(days: CivilServiceDays, amendment: CalendarAmendment): CivilServiceDays {
  const schedules = amendment.changes.flatMap((change) => (change.type === 'official-schedule' ? [change.schedule] : []));
  const makeUpDays = new Set([...days.makeUpDays, ...schedules.flatMap((schedule) => schedule.makeUpWorkingDays.map(({ date }) => date))]);
  const daysOff = new Set([...days.daysOff, ...schedules.flatMap((schedule) => schedule.daysOff.map(({ date }) => date))].filter((date) => !makeUpDays.has(date)));
  return { daysOff, makeUpDays };
}

/** A dossier's days after an adoption: `before` for the days before `appliesFrom`, `after` from it on. */
function adoptedFrom(before: CivilServiceDays, after: CivilServiceDays, appliesFrom: string): CivilServiceDays {
  const pick = (earlier: ReadonlySet<string>, later: ReadonlySet<string>) => new Set([...[...earlier].filter((date) => date < appliesFrom), ...[...later].filter((date) => date >= appliesFrom)]);
  return { daysOff: pick(before.daysOff, after.daysOff), makeUpDays: pick(before.makeUpDays, after.makeUpDays) };
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
 * A dossier of 3 working days accepted at 09:00 on the second working day before the break,
 * followed through its due-soon and overdue alerts: 360 minutes that day, 450 the next (810), the
 * break, 450 on the first working day after it (1260), 90 on the second (1350 = 3 × 450). Due at
 * 09:00 on the second working day after the break; due soon one working day (450 minutes) before,
 * 09:00 on the first. Tết 2027: accepted Wednesday 3 February 09:00 · Thu 4/2 · Fri 5 – Thu 11/2
 * Tết and the weekend · due soon Friday 12 February 09:00 · due Monday 15 February 09:00.
 * `calendar` gives the days the dossier's calendar has (the pinned built-in version's by default)
 * and the dates its alerts fall on.
 */
async function alertsAcrossTet(
  on: TimeSkippingEngine,
  options: { setup?: Setup; historyLimit?: number; calendar?: (accepted: StoredEvent) => CivilServiceDays; expected?: { dueSoon: string; due: string } } = {},
): Promise<{ dossierCode: string }> {
  const setup = options.setup ?? (await civilServiceProcedure(on, 3));
  const acceptance = `${TET.before(2)} 09:00`;
  const { dossierCode, acceptedAt, accepted } = await receiveAndAccept(on, setup, acceptance, options.historyLimit);
  const days = (options.calendar ?? daysOfPinnedCalendar)(accepted);
  const due = addOfficeMinutes(days, acceptedAt, 3 * OFFICE_MINUTES_PER_DAY);
  const dueSoon = addOfficeMinutes(days, acceptedAt, 2 * OFFICE_MINUTES_PER_DAY);
  const expected = options.expected ?? { dueSoon: `${TET.after(1)} 09:00`, due: `${TET.after(2)} 09:00` };
  expect([vietnamMinute(acceptedAt), vietnamMinute(dueSoon), vietnamMinute(due)]).toEqual([acceptance, expected.dueSoon, expected.due]);
  expect(Date.parse(dataOf(accepted).appointment as string)).toBe(wholeSecond(due));

  // Through Tết to the opening of the day the dossier is due soon: no alert of any clock, the dossier's or the step's.
  await on.skipTo(vietnamInstant(`${expected.dueSoon.slice(0, 10)} 07:30`));
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
  it(`has Tết ${TET.year} (Lunar New Year on ${TET.newYearDay}) off, as the statute estimates it or as its official schedule fixes it, with working days either side`, () => {
    // Until the year's decision is built in, the calendar estimates the eve and the first four days
    // of the year, and gives a compensatory day on the next free working day for each that falls on
    // the weekend (Labor Code 2019 art. 111(3)). Tết 2027, as an example: Friday 5 to Tuesday 9
    // February; Saturday 6 and Sunday 7 fall on the weekend, so Wednesday 10 and Thursday 11 are
    // given in compensation; Thursday 4 and Friday 12 February are working days. Once an official
    // schedule is built in, its days are marked as decided (not estimated), whatever they are.
    const calendar = latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR);
    const tet = calendar.marksOfYear(TET.year).filter(({ mark }) => mark.holidayId === 'tet');
    const official = tet.some(({ mark }) => mark.source === 'official-schedule');
    if (official) {
      expect(tet.every(({ mark }) => mark.source === 'official-schedule' && (mark.kind === 'make-up-working-day' || !mark.estimated))).toBe(true);
    } else {
      const statutory = [-1, 0, 1, 2, 3].map((offset) => shiftDate(TET.newYearDay, offset));
      const expected: [string, string, boolean][] = statutory.map((date) => [date, 'holiday', true]);
      const taken = new Set(statutory);
      for (const date of statutory.filter((day) => [0, 6].includes(weekdayOfDate(day)))) {
        let substitute = shiftDate(date, 1);
        while ([0, 6].includes(weekdayOfDate(substitute)) || taken.has(substitute)) substitute = shiftDate(substitute, 1);
        taken.add(substitute);
        expected.push([substitute, 'compensatory', true]);
      }
      expected.sort(([a], [b]) => (a < b ? -1 : 1));
      expect(tet.map(({ date, mark }) => [date, mark.kind, mark.kind !== 'make-up-working-day' && mark.estimated])).toEqual(expected);
    }
    const days = civilServiceDays(calendar.marksOfYear(TET.year));
    expect([TET.before(1), TET.first, TET.newYearDay, TET.last, TET.after(1)].map((date) => isWorkingDay(days, date))).toEqual([true, false, false, false, true]);
    for (let date = TET.first; date <= TET.last; date = shiftDate(date, 1)) expect(isWorkingDay(days, date)).toBe(false);
  });
});

describe(`timers in workflow time across Tết ${TET.year}`, () => {
  it('a dossier accepted before Tết is alerted due soon and marked overdue at the right instants, and nothing fires during the holiday', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-alerts' });
    await alertsAcrossTet(engine);
  }, 180_000);

  it('the same alerts when the workflow continues as new while it waits', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-continue-as-new' });
    const on = engine;
    // A history limit the acceptance and its receipt already pass: the run that sleeps until the
    // alerts is a continued one, which must carry the clock and set its timers again.
    const { dossierCode } = await alertsAcrossTet(on, { historyLimit: 20 });
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
    // Accepted at 09:00 on the fourth working day before the break, 5 working days (2250 minutes):
    // 360 + 450 + 450 + 450 before the break, 450 on the first day after it (2160), 90 on the second:
    // due at 09:00 on the second working day after the break if nothing pauses it. The office asks
    // for a supplement at 09:00 two working days later, after 900 minutes (360 + 450 + 90); the
    // applicant brings it at 10:30 on the second working day after the break, after Tết and after
    // the original due time. The procedure resumes (not restarts) the clock: 1350 minutes left ·
    // 270 that day · 450 (720) · 450 (1170) · 180 (1350): due at 10:30 on the fifth working day
    // after the break, due soon at 10:30 on the fourth. Tết 2027: accepted Monday 1 February 09:00,
    // due Monday 15 February 09:00 unpaused; paused Wednesday 3 February 09:00; resumed Monday 15
    // February 10:30; due Thursday 18 February 10:30, due soon Wednesday 17 February 10:30.
    const { dossierCode, acceptedAt, accepted } = await receiveAndAccept(engine, setup, `${TET.before(4)} 09:00`);
    const days = daysOfPinnedCalendar(accepted);
    expect(vietnamMinute(addOfficeMinutes(days, acceptedAt, 5 * OFFICE_MINUTES_PER_DAY))).toBe(`${TET.after(2)} 09:00`);

    await engine.skipTo(vietnamInstant(`${TET.before(2)} 09:00`));
    await engine.send({ type: 'RequestSupplement', commandId: `${dossierCode}/supplement`, dossierCode, actor: setup.officer, stepId: 'review', missing: [{ description: 'Bản sao giấy tờ tùy thân', reason: 'Bản chụp không đọc được' }] });
    const [requested] = await engine.events(dossierCode, 'SupplementRequested');
    const pausedAt = Date.parse(dataOf(requested!).at as string);

    // Across Tết, past the original due-soon and due instants: the paused clock raises nothing.
    await engine.skipTo(vietnamInstant(`${TET.after(2)} 10:30`));
    expect(await engine.events(dossierCode, 'DeadlineAlerted')).toEqual([]);
    expect((await engine.state(dossierCode)).state).toMatchObject({ status: 'awaiting-supplement', alerts: [] });

    await engine.send({ type: 'ProvideSupplement', commandId: `${dossierCode}/provided`, dossierCode, actor: setup.reception, components: [] });
    const [provided] = await engine.events(dossierCode, 'SupplementProvided');
    const resumedAt = Date.parse(dataOf(provided!).at as string);
    const used = officeMinutesBetween(days, acceptedAt, pausedAt);
    const due = addOfficeMinutes(days, resumedAt, 5 * OFFICE_MINUTES_PER_DAY - used);
    expect([Math.round(used), vietnamMinute(resumedAt), vietnamMinute(due)]).toEqual([900, `${TET.after(2)} 10:30`, `${TET.after(5)} 10:30`]);
    expect(dataOf(provided!)).toMatchObject({ clockEffect: 'resume' });
    expect(Date.parse(dataOf(provided!).due as string)).toBe(wholeSecond(due));
    expect((await findDossierSummary(engine.db, dossierCode))?.due_at?.getTime()).toBe(wholeSecond(due));

    // The resumed clock's timer: due soon one working day before the new due time.
    const dueSoon = addOfficeMinutes(days, resumedAt, 4 * OFFICE_MINUTES_PER_DAY - used);
    expect(vietnamMinute(dueSoon)).toBe(`${TET.after(4)} 10:30`);
    await expectAlertAt(engine, dossierCode, 'due-soon', dueSoon, due);
  }, 180_000);

  it('takes the form 04 apology on the working day before the due date, which Tết puts a week earlier, and refuses it the day after', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-apology' });
    const setup = await civilServiceProcedure(engine, 3);
    // Accepted at 10:00 on the third working day before the break, 3 working days: 300 + 450 + 450
    // (1200) before it, 150 after it: due at 10:00 on the first working day after the break. The
    // working day before the due date is the last one before the break: the apology with a new
    // appointment (Decree 61 art. 19(9)) may be issued until that day's end, not on the first day of
    // the break, nor on any day after it. Tết 2027: accepted Tuesday 2 February 10:00, due Friday 12
    // February 10:00; the apology is taken on Thursday 4 February, refused on Friday 5 (the eve).
    await engine.skipTo(vietnamInstant(`${TET.before(3)} 10:00`));
    const first = await receiveAndAccept(engine, setup);
    const second = await receiveAndAccept(engine, setup);
    const days = daysOfPinnedCalendar(first.accepted);
    const due = addOfficeMinutes(days, first.acceptedAt, 3 * OFFICE_MINUTES_PER_DAY);
    const lastDay = workingDayBefore(days, vietnamMinute(due).slice(0, 10));
    expect([vietnamMinute(due), lastDay]).toEqual([`${TET.after(1)} 10:00`, TET.before(1)]);
    const newAppointment = `${shiftDate(TET.after(1), 7)}T10:00:00+07:00`;
    const apology = (dossierCode: string) => ({
      type: 'IssueApology' as const,
      commandId: `${dossierCode}/apology`,
      dossierCode,
      actor: setup.head,
      reason: 'Cần xác minh thêm thông tin với cơ quan khác',
      newAppointment,
    });

    await engine.skipTo(vietnamInstant(`${lastDay} 16:30`));
    const accepted = await engine.send(apology(first.dossierCode));
    expect(accepted.events).toEqual(['ApologyIssued']);
    expect(dataOf((await engine.events(first.dossierCode, 'ApologyIssued'))[0]!)).toMatchObject({ originalDue: expect.any(String), newAppointment });
    expect(Date.parse(dataOf((await engine.events(first.dossierCode, 'ApologyIssued'))[0]!).originalDue as string)).toBe(wholeSecond(due));

    await engine.skipTo(vietnamInstant(`${TET.first} 08:00`));
    const refused = await engine.refusal(apology(second.dossierCode));
    expect(refused).toMatchObject({ code: 'EXTENSION_TOO_LATE' });
    expect(refused.message).toContain(lastDay);
    expect(await engine.events(second.dossierCode, 'ApologyIssued')).toEqual([]);
  }, 180_000);
});

describe(`calendar amendments for Tết ${TET.year} in workflow time`, () => {
  it('a dossier accepted once the official schedule is loaded pins it, and is alerted on its days', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-official', databaseUrl: await databaseOfItsOwn() });
    // The year's decision, loaded a month before the break (so in the year of Tết or the December
    // before: a schedule is fixed for the year of its document or the next one); no dossier is open yet.
    await engine.skipTo(vietnamInstant(`${shiftDate(TET.first, -30)} 08:00`));
    const official = officialTetAmendment(await engine.now());
    const loaded = await engine.loadAmendment(official);
    expect([loaded.stored.kind, loaded.rollout.sent]).toEqual(['stored', 0]);
    const setup = await civilServiceProcedure(engine, 3);
    // Accepted as in the scenarios above, but the first working day after the estimated break is
    // now swapped off: the due-soon and due instants move one working day later. Tết 2027: accepted
    // Wednesday 3 February 09:00; due soon Monday 15 February 09:00 (not Friday 12, now off); due
    // Tuesday 16 February 09:00.
    await alertsAcrossTet(engine, {
      setup,
      calendar: (accepted) => {
        expect(dataOf(accepted)).toMatchObject({ calendarVersion: official.version, calendarAmendments: [official] });
        const builtIn = holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, Date.parse(dataOf(accepted).at as string)).version;
        return withSchedule(daysOfCalendar(builtIn), official);
      },
      expected: { dueSoon: `${TET.after(2)} 09:00`, due: `${TET.after(3)} 09:00` },
    });
  }, 180_000);

  it('a dossier accepted before the official schedule adopts it while it waits: the old instants pass in silence, the new ones raise the alerts', async () => {
    engine = await startTimeSkippingEngine({ name: 'tet-adoption', databaseUrl: await databaseOfItsOwn() });
    const setup = await civilServiceProcedure(engine, 3);
    // Accepted at 09:00 on the second working day before the break on the estimate: due soon at
    // 09:00 on the first working day after it, due at 09:00 on the second (Tết 2027: Friday 12 and
    // Monday 15 February 09:00).
    const { dossierCode, acceptedAt, accepted } = await receiveAndAccept(engine, setup, `${TET.before(2)} 09:00`);
    const pinned = daysOfPinnedCalendar(accepted);
    const oldDue = addOfficeMinutes(pinned, acceptedAt, 3 * OFFICE_MINUTES_PER_DAY);
    const oldDueSoon = addOfficeMinutes(pinned, acceptedAt, 2 * OFFICE_MINUTES_PER_DAY);
    expect([vietnamMinute(oldDueSoon), vietnamMinute(oldDue)]).toEqual([`${TET.after(1)} 09:00`, `${TET.after(2)} 09:00`]);

    // The decision is issued that afternoon and loaded at the server's time; the roll-out sends it to
    // the open dossier, which adopts it from the next day on (the day of adoption keeps its days).
    await engine.skipTo(vietnamInstant(`${TET.before(2)} 14:00`));
    const official = officialTetAmendment(await engine.now());
    const loaded = await engine.loadAmendment(official);
    expect(loaded.rollout).toMatchObject({ sent: 1, adopted: 1, refused: [], notRunning: [] });
    const [adoption] = await engine.events(dossierCode, 'CalendarAmendmentAdopted');
    const appliesFrom = shiftDate(TET.before(2), 1);
    expect(dataOf(adoption!)).toMatchObject({ version: official.version, appliesFrom });
    // Its days from then on, counted from the amendment's lists: the swapped day is off, so both
    // instants move one working day later (Tết 2027: due soon Monday 15, due Tuesday 16 February 09:00).
    const days = adoptedFrom(pinned, withSchedule(pinned, official), appliesFrom);
    const due = addOfficeMinutes(days, acceptedAt, 3 * OFFICE_MINUTES_PER_DAY);
    const dueSoon = addOfficeMinutes(days, acceptedAt, 2 * OFFICE_MINUTES_PER_DAY);
    expect([vietnamMinute(dueSoon), vietnamMinute(due)]).toEqual([`${TET.after(2)} 09:00`, `${TET.after(3)} 09:00`]);
    expect([Date.parse(dataOf(adoption!).dueBefore as string), Date.parse(dataOf(adoption!).dueAfter as string)]).toEqual([wholeSecond(oldDue), wholeSecond(due)]);
    expect((await findDossierSummary(engine.db, dossierCode))?.due_at?.getTime()).toBe(wholeSecond(due));

    // The old due-soon instant passes with no alert.
    await engine.skipTo(oldDueSoon + LOOK_AFTER);
    expect(await engine.events(dossierCode, 'DeadlineAlerted')).toEqual([]);
    await expectAlertAt(engine, dossierCode, 'due-soon', dueSoon, due);
    // The old due time passes with no overdue mark (Tết 2027: it is the new due-soon instant).
    if ((await engine.now()) < oldDue + LOOK_AFTER) await engine.skipTo(oldDue + LOOK_AFTER);
    expect((await dossierAlerts(engine, dossierCode)).map((raised) => raised.alert)).toEqual(['due-soon']);
    expect((await engine.state(dossierCode)).state).toMatchObject({ alerts: expect.not.arrayContaining(['overdue']) });
    await expectAlertAt(engine, dossierCode, 'overdue', due + 1, due);
    expect(await findDossierSummary(engine.db, dossierCode)).toMatchObject({ overdue: true, due_soon: true });
  }, 180_000);
});
