// The four clocks of a feedback item (domain/feedback/feedback-clock.ts) on the civil-service
// calendar, across the National Day of 2026 (31 August swapped for Saturday 22 August, 1–2
// September off) and Tết 2027 (5–11 February off in the built-in calendar). Expected instants are
// counted in the test from the calendar's own list of days off (test/support/office-time.ts), never
// by the clock's functions, so the clock is not checked against itself.
import { describe, expect, it } from 'vitest';
import { holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { DEFAULT_FEEDBACK_LIMITS } from '../../domain/feedback/commands.js';
import type { FeedbackEvent } from '../../domain/feedback/events.js';
import { feedbackTimeliness, nextFeedbackAlert, readFeedbackClocks } from '../../domain/feedback/feedback-clock.js';
import { foldFeedback, newFeedback, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import { civilServiceDays, isWorkingDay } from '../support/office-time.js';

const ID = 'PAKN-000.01.01.H99-260828-0001';
const CALENDAR = holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, Date.parse('2026-12-03T00:00:00Z'));
const DAYS = civilServiceDays([2026, 2027].flatMap((year) => CALENDAR.marksOfYear(year)));

/** Midnight Vietnam time (UTC+7) at the start of a date, as an ISO instant. */
function midnight(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+07:00`)).toISOString();
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The N-th working day after `date` (the day itself not counted), counted by hand from the list of days off. */
function workingDayAfter(date: string, n: number): string {
  let day = date;
  for (let counted = 0; counted < n; ) {
    day = nextDate(day);
    if (isWorkingDay(DAYS, day)) counted += 1;
  }
  return day;
}

/** A limit ends at midnight after its last working day; due soon from that day's start. */
function expected(sentDate: string, days: number) {
  const last = workingDayAfter(sentDate, days);
  return { due: midnight(nextDate(last)), dueSoonAt: midnight(last) };
}

function received(sentAt: string, ...more: FeedbackEvent[]): ReceivedFeedback {
  const events: FeedbackEvent[] = [
    {
      type: 'FeedbackReceived',
      schemaVersion: 1,
      data: {
        at: sentAt,
        feedbackId: ID,
        agencyCode: '000.01.01.H99',
        channel: 'online-form',
        submitter: { fullName: 'Trần Thị Bình' },
        title: 'Thời gian chờ tại bộ phận một cửa',
        content: 'Tôi phải chờ quá lâu.',
        attachments: [],
        sentAt,
        calendarVersion: CALENDAR.version,
        limits: { ...DEFAULT_FEEDBACK_LIMITS },
      },
    },
    ...more,
  ];
  return foldFeedback(newFeedback(ID), events) as ReceivedFeedback;
}

const iso = (instant: string) => new Date(instant).toISOString();

/** A clock's reading with its instants as UTC ISO strings (the clock writes them in Vietnam time, +07:00). */
function clock(state: ReceivedFeedback, name: string, asOf: string) {
  const reading = readFeedbackClocks(state, asOf).find((each) => each.clock === name);
  return reading && { ...reading, due: iso(reading.due), dueSoonAt: iso(reading.dueSoonAt) };
}

function nextAlert(state: ReceivedFeedback, asOf: string) {
  const alert = nextFeedbackAlert(state, asOf);
  return alert && { ...alert, at: iso(alert.at) };
}

describe('the four clocks across the National Day of 2026', () => {
  // Friday 28 August, 10:00: Saturday, Sunday, Monday 31 (swapped), 1 and 2 September off.
  const sentAt = '2026-08-28T03:00:00.000Z';

  it('counts each limit in working days from the day after the sending, skipping the holiday', () => {
    const state = received(sentAt);
    expect(workingDayAfter('2026-08-28', 2)).toBe('2026-09-04');
    for (const [name, days] of [['refuse', 2], ['info-request', 5], ['answer', 15]] as const) {
      const reading = clock(state, name, sentAt)!;
      expect({ due: reading.due, dueSoonAt: reading.dueSoonAt }, name).toEqual(expected('2026-08-28', days));
      expect(reading.open).toBe(true);
    }
  });

  it('counts the Saturday worked in exchange (22 August) as a working day', () => {
    const state = received('2026-08-21T03:00:00.000Z');
    expect(workingDayAfter('2026-08-21', 1)).toBe('2026-08-22');
    expect(clock(state, 'refuse', '2026-08-21T03:00:00.000Z')!.due).toBe(expected('2026-08-21', 2).due);
    expect(clock(state, 'refuse', '2026-08-21T03:00:00.000Z')!.due).toBe(midnight('2026-08-25'));
  });

  it('raises due-soon at the start of the last working day, then overdue at its end; a clock past due goes straight to overdue', () => {
    const state = received(sentAt);
    expect(nextAlert(state, sentAt)).toEqual({ clock: 'refuse', alert: 'due-soon', at: expected('2026-08-28', 2).dueSoonAt });
    const raised = foldFeedback(state, [{ type: 'FeedbackDeadlineAlerted', schemaVersion: 1, data: { at: midnight('2026-09-04'), clock: 'refuse', alert: 'due-soon', due: expected('2026-08-28', 2).due } }]) as ReceivedFeedback;
    expect(nextAlert(raised, midnight('2026-09-04'))).toEqual({ clock: 'refuse', alert: 'overdue', at: expected('2026-08-28', 2).due });
    // Read in December: every open clock is past due; the first alert is an overdue one.
    expect(nextAlert(state, '2026-12-03T00:00:00.000Z')?.alert).toBe('overdue');
  });

  it('judges a refusal on the last allowed day on time, and one the next working day late', () => {
    const inTime = received(sentAt, { type: 'FeedbackRefused', schemaVersion: 1, data: { at: '2026-09-04T09:00:00.000Z', reason: 'Không thuộc thẩm quyền' } });
    expect(feedbackTimeliness(inTime, '2026-12-01T00:00:00.000Z')).toEqual({ onTime: true, lateClocks: [], handledAt: '2026-09-04T09:00:00.000Z' });
    const late = received(sentAt, { type: 'FeedbackRefused', schemaVersion: 1, data: { at: '2026-09-07T02:00:00.000Z', reason: 'Không thuộc thẩm quyền' } });
    expect(feedbackTimeliness(late, '2026-12-01T00:00:00.000Z').lateClocks).toEqual(['refuse']);
  });
});

describe('the four clocks across Tết 2027', () => {
  // Wednesday 3 February 2027, 10:00: Thursday 4 is the last working day before the break (5–11 February).
  const sentAt = '2027-02-03T03:00:00.000Z';

  it('skips the whole break: two working days end on Friday 12 February', () => {
    expect(workingDayAfter('2027-02-03', 2)).toBe('2027-02-12');
    const state = received(sentAt);
    expect(clock(state, 'refuse', sentAt)).toMatchObject({ ...expected('2027-02-03', 2), open: true, late: false });
    expect(clock(state, 'answer', sentAt)).toMatchObject(expected('2027-02-03', 15));
  });

  it('starts the answer clock again from the sender’s supplement, and times publication from the answer', () => {
    const supplemented = received(
      sentAt,
      { type: 'FeedbackClassified', schemaVersion: 1, data: { at: '2027-02-03T04:00:00.000Z', category: 'procedure' } },
      { type: 'FeedbackInformationRequested', schemaVersion: 1, data: { at: '2027-02-04T02:00:00.000Z', question: 'Xin cho biết ngày đến nộp hồ sơ', first: true } },
      { type: 'FeedbackInformationProvided', schemaVersion: 1, data: { at: '2027-02-12T02:00:00.000Z', content: 'Ngày 1/2', attachments: [] } },
    );
    expect(supplemented.status).toBe('waiting-to-receive');
    expect(clock(supplemented, 'answer', '2027-02-12T02:00:00.000Z')).toMatchObject(expected('2027-02-12', 15));
    // The first request came within five working days: on time.
    expect(clock(supplemented, 'info-request', '2027-02-12T02:00:00.000Z')).toMatchObject({ metAt: '2027-02-04T02:00:00.000Z', late: false, open: false });

    const answered = foldFeedback(supplemented, [
      { type: 'FeedbackAccepted', schemaVersion: 1, data: { at: '2027-02-12T03:00:00.000Z', handlerAgencyCode: '000.01.01.H99' } },
      { type: 'FeedbackAnswered', schemaVersion: 1, data: { at: '2027-02-12T08:00:00.000Z', answer: 'Trả lời', signer: { userId: 'u', fullName: 'Lê Văn C', title: 'Chủ tịch' }, attachments: [], publish: true } },
    ]) as ReceivedFeedback;
    // Answered on Friday 12 February at 15:00: publication is due by the end of Tuesday 16 February.
    expect(clock(answered, 'publish', '2027-02-12T08:00:00.000Z')).toMatchObject({ ...expected('2027-02-12', 2), due: midnight('2027-02-17'), open: true });
    expect(clock(answered, 'answer', '2027-02-12T08:00:00.000Z')).toMatchObject({ open: false, late: false, metAt: '2027-02-12T08:00:00.000Z' });
  });

  it('counts an open item late once its answer clock has run out, and not before', () => {
    const state = received(sentAt, { type: 'FeedbackClassified', schemaVersion: 1, data: { at: sentAt, category: 'staff-conduct' } });
    const { due } = expected('2027-02-03', 15);
    expect(feedbackTimeliness(state, new Date(Date.parse(due) - 1).toISOString())).toEqual({ onTime: true, lateClocks: [] });
    expect(feedbackTimeliness(state, due)).toEqual({ onTime: false, lateClocks: ['answer'] });
  });

  it('restarts the unit’s clocks at a transfer within the engine, and judges the transfer on the refusal clock', () => {
    const transferred = received(sentAt, { type: 'FeedbackTransferred', schemaVersion: 1, data: { at: '2027-02-15T02:00:00.000Z', toAgencyCode: '000.02.01.H99', outside: false, reason: 'Thẩm quyền của huyện' } });
    expect(transferred.currentAgencyCode).toBe('000.02.01.H99');
    expect(clock(transferred, 'refuse', '2027-02-15T02:00:00.000Z')).toMatchObject({ ...expected('2027-02-15', 2), open: true });
    // Transferred on Monday 15 February, after the refusal clock of the first unit ended with Friday 12: late.
    expect(feedbackTimeliness(transferred, '2027-02-15T02:00:00.000Z').lateClocks).toEqual(['refuse']);
  });
});
