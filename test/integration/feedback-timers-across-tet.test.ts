// A feedback item's clocks in workflow time across the next Tết: the real feedback workflow and
// activities (PostgreSQL) on a time-skipping Temporal test server of its own
// (test/support/time-skipping-engine.ts), moved forward to the instants each alert falls due.
// The Tết crossed is the first at least 40 days after the machine's time (the server starts there
// and cannot go back), and every date is found from that Tết's days off in the calendar's table
// (test/support/office-time.ts), never by the clock's own functions. For Tết 2027: the break runs
// Friday 5 to Thursday 11 February; an item sent on Wednesday 3 February at 10:00 must be refused
// by the end of Friday 12 February (Thursday 4 and Friday 12 are its two working days).
//
// The workflow's edges (H5's signed answer and national push) are stood in for by recording
// implementations of their interface until those are merged: no answer is given here, and the push
// answers `not-configured`.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedbackEdgeActivities } from '../../activities/feedback-edge-activities.js';
import { type FeedbackCommandDeps, receiveFeedback } from '../../api/commands/send-feedback-command.js';
import { readFeedbackEvents } from '../../db/feedback/feedback-queries.js';
import { isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';
import { lunarNewYearDay } from '../../domain/calendar/lunar-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { createLogger } from '../../platform/logger.js';
import { registerCentre } from '../support/engine.js';
import { civilServiceDays, isWorkingDay, vietnamInstant, vietnamMinute } from '../support/office-time.js';
import { startTimeSkippingEngine, type TimeSkippingEngine } from '../support/time-skipping-engine.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The first Tết at least 40 days ahead, its break, and counting of working days around it. */
function tetAhead(from: number) {
  let year = Number(vietnamMinute(from).slice(0, 4));
  while (vietnamInstant(`${isoOfCivilDay(lunarNewYearDay(year))} 00:00`) - from < 40 * DAY) year += 1;
  const days = civilServiceDays([year - 1, year, year + 1].flatMap((each) => latestHolidayCalendar(VIETNAM_CIVIL_SERVICE_CALENDAR).marksOfYear(each)));
  let first = isoOfCivilDay(lunarNewYearDay(year));
  while (!isWorkingDay(days, shiftDate(first, -1))) first = shiftDate(first, -1);
  const nth = (from: string, step: 1 | -1, n: number) => {
    let date = from;
    for (let found = 0; found < n; ) {
      date = shiftDate(date, step);
      if (isWorkingDay(days, date)) found += 1;
    }
    return date;
  };
  return { year, first, before: (n: number) => nth(first, -1, n), workingDayAfter: (date: string, n: number) => nth(date, 1, n) };
}

const TET = tetAhead(Date.now());

const edges: FeedbackEdgeActivities = {
  issueFeedbackAnswer: async () => {
    throw new Error('no answer is given in this test');
  },
  syncFeedbackToNational: async () => 'not-configured',
};

let engine: TimeSkippingEngine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe(`a feedback item's clocks across Tết ${TET.year}`, () => {
  it('is alerted due soon and overdue on the refusal clock at the start and end of its second working day, after the break, and nothing fires during it', async () => {
    engine = await startTimeSkippingEngine({ name: 'feedback-tet', feedbackEdges: edges });
    const unit = await registerCentre(engine.db, `9${randomBytes(1).toString('hex').toUpperCase()}.${String(randomBytes(1)[0]! % 100).padStart(2, '0')}.01.H99`);
    const sentDate = TET.before(2);
    await engine.skipTo(vietnamInstant(`${sentDate} 10:00`));
    const deps: FeedbackCommandDeps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 30_000, log: createLogger({ level: 'warn' }) };
    const received = await receiveFeedback(deps, {
      request: { agencyCode: unit, channel: 'paper', submitter: { fullName: 'Nguyễn Thị Hoa' }, title: 'Thái độ cán bộ', content: 'Cán bộ không hướng dẫn đầy đủ.', attachments: [], sentAt: new Date(vietnamInstant(`${sentDate} 10:00`)).toISOString() },
      actor: { userId: 'reception-1', role: 'reception', agencyCode: unit },
    });
    if (received.kind !== 'received') throw new Error(JSON.stringify(received));
    const alerts = async () => (await readFeedbackEvents(engine!.db, received.feedbackId)).filter((event) => event.type === 'FeedbackDeadlineAlerted');

    // The second working day after the sending is the first after the break: Thursday 4 is the first, Friday 12 the second (2027).
    const lastDay = TET.workingDayAfter(sentDate, 2);
    expect(lastDay > TET.first).toBe(true);
    const dueSoonAt = vietnamInstant(`${lastDay} 00:00`);
    const dueAt = vietnamInstant(`${shiftDate(lastDay, 1)} 00:00`);

    await engine.skipTo(dueSoonAt - MINUTE);
    expect(await alerts()).toEqual([]);
    await engine.skipTo(dueSoonAt + MINUTE);
    const [dueSoon] = await alerts();
    expect(dueSoon?.data).toMatchObject({ clock: 'refuse', alert: 'due-soon' });
    expect(Date.parse((dueSoon!.data as { at: string }).at)).toBeGreaterThanOrEqual(dueSoonAt);
    expect(Date.parse((dueSoon!.data as { due: string }).due)).toBe(dueAt);

    await engine.skipTo(dueAt + MINUTE);
    const raised = await alerts();
    expect(raised.map((event) => event.data)).toEqual([expect.objectContaining({ clock: 'refuse', alert: 'due-soon' }), expect.objectContaining({ clock: 'refuse', alert: 'overdue' })]);
    expect(Date.parse((raised[1]!.data as { at: string }).at)).toBeGreaterThanOrEqual(dueAt);
  });
});
