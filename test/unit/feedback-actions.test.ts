// What GET /feedback/{id}/actions offers (api/routes/feedback-actions.ts): each step put to the
// feedback rules for the caller on the item as it is, so the console shows exactly what the rules
// take; a step of another role is in neither list, a step the state refuses comes with its code.
import { describe, expect, it } from 'vitest';
import { feedbackActions } from '../../api/routes/feedback-actions.js';
import { holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { DEFAULT_FEEDBACK_LIMITS, feedbackCommandSchema } from '../../domain/feedback/commands.js';
import { decideFeedback } from '../../domain/feedback/decide-feedback.js';
import { evolveFeedback, type FeedbackState, newFeedback, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';

const UNIT = '000.01.01.H99';
const ID = `PAKN-${UNIT}-261203-0001`;
const NOW = '2026-12-03T03:00:00.000Z';
const reception: Actor = { userId: 'tn-01', role: 'reception', agencyCode: UNIT };
const officer: Actor = { userId: 'cv-01', role: 'officer', agencyCode: UNIT };
const head: Actor = { userId: 'ld-01', role: 'head', agencyCode: UNIT };
const auditor: Actor = { userId: 'kt-01', role: 'auditor', agencyCode: UNIT };
const elsewhere: Actor = { userId: 'tn-02', role: 'reception', agencyCode: '000.02.01.H99' };

function apply(state: FeedbackState, body: Record<string, unknown>, actor: Actor): FeedbackState {
  const command = feedbackCommandSchema.parse({ commandId: `c-${Math.random()}`, feedbackId: ID, actor, ...body });
  const decision = decideFeedback(state, command, { now: NOW });
  if (!decision.ok) throw new Error(`refused: ${decision.error.code}`);
  return decision.events.reduce(evolveFeedback, state);
}

function received(): ReceivedFeedback {
  return apply(
    newFeedback(ID),
    {
      type: 'ReceiveFeedback',
      agencyCode: UNIT,
      channel: 'paper',
      submitter: { fullName: 'Phạm Thị Dung' },
      title: 'Chờ lâu',
      content: 'Nội dung',
      sentAt: '2026-12-03T01:00:00.000Z',
      calendarVersion: holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, Date.parse(NOW)).version,
      limits: DEFAULT_FEEDBACK_LIMITS,
    },
    reception,
  ) as ReceivedFeedback;
}

const commands = (list: readonly { command: string }[]) => list.map((entry) => entry.command);

describe('the steps offered on a feedback item', () => {
  it('a received item: reception may classify, transfer, refuse or ask; acceptance waits for the classification, with its code', () => {
    const { actions, unavailable } = feedbackActions(received(), reception, NOW);
    expect(commands(actions)).toEqual(['classify', 'transfer', 'refuse', 'request-information']);
    expect(unavailable.map((entry) => [entry.command, entry.code])).toEqual([
      ['accept', 'FEEDBACK_NOT_CLASSIFIED'],
      ['publish', 'FEEDBACK_STEP_NOT_ALLOWED'],
    ]);
    // An officer classifies and asks, but neither accepts, refuses nor transfers: those are not theirs.
    expect(commands(feedbackActions(received(), officer, NOW).actions)).toEqual(['classify', 'request-information']);
  });

  it('only the head answers an accepted item; publishing waits for the signed document', () => {
    const accepted = apply(apply(received(), { type: 'ClassifyFeedback', category: 'procedure' }, reception), { type: 'AcceptFeedback' }, reception) as ReceivedFeedback;
    expect(commands(feedbackActions(accepted, head, NOW).actions)).toContain('answer');
    expect(commands(feedbackActions(accepted, reception, NOW).actions)).not.toContain('answer');
    expect(commands(feedbackActions(accepted, reception, NOW).unavailable)).not.toContain('answer');
    const answered = apply(accepted, { type: 'AnswerFeedback', answer: 'Trả lời', signer: { fullName: 'Trần Thị Hòa', title: 'Giám đốc' } }, head) as ReceivedFeedback;
    expect(feedbackActions(answered, head, NOW).unavailable.find((entry) => entry.command === 'publish')?.code).toBe('FEEDBACK_ANSWER_DOCUMENT_PENDING');
    const documented = evolveFeedback(answered, { type: 'FeedbackAnswerDocumentIssued', schemaVersion: 1, data: { at: NOW, documentId: `${ID}/TL`, file: { sha256: 'a'.repeat(64), size: 10, mediaType: 'application/pdf' }, signer: 'Trần Thị Hòa, Giám đốc' } }) as ReceivedFeedback;
    expect(commands(feedbackActions(documented, head, NOW).actions)).toEqual(['publish']);
  });

  it('nothing for an auditor; staff of another unit are told the item is not theirs', () => {
    expect(feedbackActions(received(), auditor, NOW)).toEqual({ actions: [], unavailable: [] });
    const other = feedbackActions(received(), elsewhere, NOW);
    expect(other.actions).toEqual([]);
    expect(new Set(other.unavailable.map((entry) => entry.code))).toEqual(new Set(['NOT_THE_HANDLING_UNIT']));
  });
});
