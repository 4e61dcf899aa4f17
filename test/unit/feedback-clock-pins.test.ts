// What a feedback item's clocks are pinned to and when they start again (domain/feedback/
// feedback-clock.ts; docs/feedback.md#the-four-clocks): a day off loaded as a calendar amendment
// (data, not a release) and pinned at receipt counts on the item's clocks; after a transfer within
// the engine, the receiving unit's first request for information is timed again, as the first.
import { describe, expect, it } from 'vitest';
import type { CalendarAmendment } from '../../domain/calendar/calendar-schemas.js';
import { holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { DEFAULT_FEEDBACK_LIMITS, type FeedbackCommand, feedbackCommandSchema } from '../../domain/feedback/commands.js';
import { decideFeedback } from '../../domain/feedback/decide-feedback.js';
import type { FeedbackEvent } from '../../domain/feedback/events.js';
import { readFeedbackClocks } from '../../domain/feedback/feedback-clock.js';
import { foldFeedback, newFeedback, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';

const UNIT = '000.01.01.H99';
const OTHER = '000.02.01.H99';
const ID = `PAKN-${UNIT}-261207-0001`;
const BUILT_IN = holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, Date.parse('2026-12-07T00:00:00Z')).version;

/** An amendment loaded as data: Tuesday 8 December 2026 given off, worked on Saturday 19 December. */
const EXTRA_DAY_OFF: CalendarAmendment = {
  version: '2026.7',
  effectiveFrom: '2026-12-01',
  reason: 'Test: 8 December 2026 given off, worked on Saturday 19 December.',
  legalReference: 'Công văn thử nghiệm 7/VPCP-KGVX',
  changes: [
    {
      type: 'official-schedule',
      schedule: {
        year: 2026,
        holidayId: 'new-year',
        daysOff: [{ date: '2026-01-01', kind: 'holiday' }, { date: '2026-12-08', kind: 'swapped' }],
        makeUpWorkingDays: [{ date: '2026-12-19', insteadOf: '2026-12-08' }],
      },
    },
  ],
};

const SENT_AT = '2026-12-07T02:00:00.000Z'; // Monday 7 December 2026, 09:00 Vietnam time

function receptionCommand(pins: { calendarVersion: string; calendarAmendments?: CalendarAmendment[] }): FeedbackCommand {
  return feedbackCommandSchema.parse({
    type: 'ReceiveFeedback',
    commandId: 'feedback/test',
    actor: { userId: 'citizen:public-form', role: 'citizen', agencyCode: UNIT },
    feedbackId: ID,
    agencyCode: UNIT,
    channel: 'online-form',
    submitter: { fullName: 'Trần Thị Bình' },
    title: 'Thời gian chờ tại bộ phận một cửa',
    content: 'Tôi phải chờ quá lâu.',
    sentAt: SENT_AT,
    limits: { ...DEFAULT_FEEDBACK_LIMITS },
    ...pins,
  });
}

function receivedWith(pins: { calendarVersion: string; calendarAmendments?: CalendarAmendment[] }): { events: FeedbackEvent[]; state: ReceivedFeedback } {
  const decision = decideFeedback(newFeedback(ID), receptionCommand(pins), { now: '2026-12-07T02:05:00.000Z' });
  if (!decision.ok) throw new Error(JSON.stringify(decision.error));
  return { events: [...decision.events], state: foldFeedback(newFeedback(ID), decision.events) as ReceivedFeedback };
}

const due = (state: ReceivedFeedback, name: string, asOf = SENT_AT) => {
  const reading = readFeedbackClocks(state, asOf).find((each) => each.clock === name);
  return reading && new Date(reading.due).toISOString();
};

describe('a calendar amendment loaded as data, pinned at receipt', () => {
  it('is carried on FeedbackReceived and counts on the clocks: 8 December off moves the refusal limit a day', () => {
    const plain = receivedWith({ calendarVersion: BUILT_IN });
    // Two working days after Monday 7: Tuesday 8, Wednesday 9; due at midnight starting Thursday 10 (Vietnam).
    expect(due(plain.state, 'refuse')).toBe('2026-12-09T17:00:00.000Z');
    const pinned = receivedWith({ calendarVersion: EXTRA_DAY_OFF.version, calendarAmendments: [EXTRA_DAY_OFF] });
    expect(pinned.events[0]).toMatchObject({ type: 'FeedbackReceived', data: { calendarVersion: '2026.7', calendarAmendments: [EXTRA_DAY_OFF] } });
    // 8 December off: Wednesday 9, Thursday 10; due at midnight starting Friday 11.
    expect(due(pinned.state, 'refuse')).toBe('2026-12-10T17:00:00.000Z');
  });

  it('leaves an item received before amendments were pinned on its version as it read then', () => {
    // An older event names a version loaded as data but carries no amendment: the built-in version before it.
    const older = receivedWith({ calendarVersion: EXTRA_DAY_OFF.version });
    expect(older.events[0]!.data).not.toHaveProperty('calendarAmendments');
    expect(due(older.state, 'refuse')).toBe('2026-12-09T17:00:00.000Z');
  });
});

describe('the info-request clock after a transfer within the engine', () => {
  const reception = (agencyCode: string): Actor => ({ userId: 'tn-01', role: 'reception', agencyCode });

  it('runs again at the receiving unit though the first unit had asked, and its request is recorded as the first', () => {
    const { events } = receivedWith({ calendarVersion: BUILT_IN });
    const more: FeedbackEvent[] = [
      { type: 'FeedbackInformationRequested', schemaVersion: 1, data: { at: '2026-12-07T03:00:00.000Z', question: 'Ngày nào?', first: true } },
      { type: 'FeedbackInformationProvided', schemaVersion: 1, data: { at: '2026-12-07T04:00:00.000Z', content: 'Thứ hai', attachments: [] } },
      { type: 'FeedbackTransferred', schemaVersion: 1, data: { at: '2026-12-08T02:00:00.000Z', toAgencyCode: OTHER, outside: false, reason: 'Thẩm quyền của huyện' } },
    ];
    const state = foldFeedback(newFeedback(ID), [...events, ...more]) as ReceivedFeedback;
    const reading = readFeedbackClocks(state, '2026-12-08T03:00:00.000Z').find((each) => each.clock === 'info-request');
    expect(reading).toMatchObject({ startedAt: '2026-12-08T02:00:00.000Z', open: true });
    const asked = decideFeedback(state, feedbackCommandSchema.parse({ type: 'RequestFeedbackInformation', commandId: 'c-2', actor: reception(OTHER), feedbackId: ID, question: 'Địa chỉ?' }), { now: '2026-12-08T04:00:00.000Z' });
    if (!asked.ok) throw new Error(JSON.stringify(asked.error));
    expect(asked.events[0]).toMatchObject({ type: 'FeedbackInformationRequested', data: { first: true } });
    const after = foldFeedback(state, asked.events) as ReceivedFeedback;
    expect(readFeedbackClocks(after, '2026-12-08T05:00:00.000Z').find((each) => each.clock === 'info-request')).toMatchObject({ open: false, metAt: '2026-12-08T04:00:00.000Z', late: false });
  });
});

describe('the transfer route as the API describes it', () => {
  it('names the refusal clock it is judged on (2 working days), not 5', async () => {
    const { FEEDBACK_COMMAND_ROUTES } = await import('../../api/routes/feedback-commands.js');
    const transfer = FEEDBACK_COMMAND_ROUTES.find((route) => route.path === 'transfer')!;
    expect(transfer.summary).toContain('within 2 working days');
    expect(transfer.summary).not.toContain('5 working days');
  });
});
