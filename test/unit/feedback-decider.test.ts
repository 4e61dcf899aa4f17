// The feedback (PAKN) decider (domain/feedback/decide-feedback.ts) and its fold: who may take each
// step, in which status, and what each step records; the national labels of the statuses.
import { describe, expect, it } from 'vitest';
import { holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { DEFAULT_FEEDBACK_LIMITS, type FeedbackCommand, feedbackCommandSchema } from '../../domain/feedback/commands.js';
import { citizenOf, decideFeedback } from '../../domain/feedback/decide-feedback.js';
import type { FeedbackEvent } from '../../domain/feedback/events.js';
import { evolveFeedback, type FeedbackState, isFinalFeedback, nationalFeedbackLabel, newFeedback, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';

const UNIT = '000.01.01.H99';
const OTHER = '000.02.01.H99';
const ID = `PAKN-${UNIT}-261203-0001`;
const CALENDAR_VERSION = holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, Date.parse('2026-12-03T00:00:00Z')).version;
const reception: Actor = { userId: 'tn-01', role: 'reception', agencyCode: UNIT };
const officer: Actor = { userId: 'cv-01', role: 'officer', agencyCode: UNIT };
const head: Actor = { userId: 'ld-01', role: 'head', agencyCode: UNIT };
const citizen: Actor = { userId: citizenOf(ID), role: 'citizen', agencyCode: UNIT };
const system: Actor = { userId: 'feedback-clock', role: 'system', agencyCode: UNIT };

let clock = Date.parse('2026-12-03T02:00:00.000Z');
const tick = () => new Date((clock += 60_000)).toISOString();

function command(body: Record<string, unknown>, actor: Actor): FeedbackCommand {
  return feedbackCommandSchema.parse({ commandId: `c-${clock}`, feedbackId: ID, actor, ...body });
}

const receive = (actor: Actor = citizen, overrides: Record<string, unknown> = {}) =>
  command(
    {
      type: 'ReceiveFeedback',
      agencyCode: UNIT,
      channel: actor.role === 'citizen' ? 'online-form' : actor.role === 'system' ? 'national-pakn' : 'paper',
      submitter: { fullName: 'Phạm Thị Dung', phone: '0912 345 678' },
      title: 'Cán bộ hẹn trả kết quả nhiều lần',
      content: 'Hồ sơ của tôi bị hẹn lại ba lần mà không có giấy xin lỗi.',
      dossierCode: `${UNIT}-261120-0007`,
      sentAt: '2026-12-03T01:00:00.000Z',
      calendarVersion: CALENDAR_VERSION,
      limits: DEFAULT_FEEDBACK_LIMITS,
      ...overrides,
    },
    actor,
  );

/** Decides, expects acceptance, and folds. */
function step(state: FeedbackState, cmd: FeedbackCommand): { state: FeedbackState; events: readonly FeedbackEvent[] } {
  const decision = decideFeedback(state, cmd, { now: tick() });
  if (!decision.ok) throw new Error(`refused: ${decision.error.code} ${decision.error.message}`);
  return { state: decision.events.reduce(evolveFeedback, state), events: decision.events };
}

function refusal(state: FeedbackState, cmd: FeedbackCommand) {
  const decision = decideFeedback(state, cmd, { now: tick() });
  if (decision.ok) throw new Error(`accepted: ${decision.events.map((event) => event.type).join(', ')}`);
  return decision.error.code;
}

function receivedItem(): FeedbackState {
  return step(newFeedback(ID), receive()).state;
}

function classifiedItem(): FeedbackState {
  return step(receivedItem(), command({ type: 'ClassifyFeedback', category: 'staff-conduct' }, officer)).state;
}

describe('receiving an item', () => {
  it('records the sender, the pinned calendar and limits, and the sending time as the clocks’ start', () => {
    const { state, events } = step(newFeedback(ID), receive());
    expect(events.map((event) => event.type)).toEqual(['FeedbackReceived']);
    const item = state as ReceivedFeedback;
    expect(item).toMatchObject({ status: 'waiting-to-receive', currentAgencyCode: UNIT, sentAt: '2026-12-03T01:00:00.000Z', clockStartAt: '2026-12-03T01:00:00.000Z', calendarVersion: CALENDAR_VERSION, limits: DEFAULT_FEEDBACK_LIMITS });
    expect(nationalFeedbackLabel(item)).toBe('Tiếp nhận ở địa phương');
  });

  it('takes each channel only from the sender it belongs to', () => {
    expect(step(newFeedback(ID), receive(reception)).events).toHaveLength(1);
    expect(step(newFeedback(ID), receive(system)).events).toHaveLength(1);
    expect(refusal(newFeedback(ID), receive(citizen, { channel: 'paper' }))).toBe('FEEDBACK_CHANNEL_NOT_ALLOWED');
    expect(refusal(newFeedback(ID), receive(reception, { channel: 'online-form' }))).toBe('FEEDBACK_CHANNEL_NOT_ALLOWED');
    expect(refusal(newFeedback(ID), receive(officer))).toBe('ROLE_NOT_ALLOWED');
    expect(refusal(newFeedback(ID), receive({ ...reception, agencyCode: OTHER }))).toBe('NOT_THE_HANDLING_UNIT');
  });

  it('refuses a sending time in the future, and a second reception', () => {
    expect(refusal(newFeedback(ID), receive(reception, { sentAt: '2027-01-01T00:00:00.000Z' }))).toBe('FEEDBACK_SENT_IN_FUTURE');
    expect(refusal(receivedItem(), receive())).toBe('FEEDBACK_ALREADY_RECEIVED');
  });

  it('refuses every other command before the item is received', () => {
    expect(refusal(newFeedback(ID), command({ type: 'AcceptFeedback' }, reception))).toBe('FEEDBACK_NOT_RECEIVED');
  });
});

describe('handling an item', () => {
  it('goes through classify, accept, request, supplement, answer, document, publish with the national labels', () => {
    let state = classifiedItem();
    expect((state as ReceivedFeedback).category).toBe('staff-conduct');
    state = step(state, command({ type: 'AcceptFeedback' }, reception)).state;
    expect(nationalFeedbackLabel(state as ReceivedFeedback)).toBe('xử lý ở địa phương');
    const requested = step(state, command({ type: 'RequestFeedbackInformation', question: 'Xin gửi giấy hẹn' }, officer));
    // After acceptance a request is not the "first request" 766 times.
    expect(requested.events[0]).toMatchObject({ type: 'FeedbackInformationRequested', data: { first: false } });
    state = requested.state;
    expect(nationalFeedbackLabel(state as ReceivedFeedback)).toBe('PA chờ bổ sung');
    state = step(state, command({ type: 'ProvideFeedbackInformation', content: 'Giấy hẹn đính kèm' }, citizen)).state;
    expect(state.status).toBe('in-processing');
    expect(nationalFeedbackLabel(state as ReceivedFeedback)).toBe('PAKN đã bổ sung');
    const answered = step(state, command({ type: 'AnswerFeedback', answer: 'Đơn vị xin lỗi và đã chấn chỉnh.', signer: { fullName: 'Lê Văn Cường', title: 'Chủ tịch' } }, head));
    expect(answered.events[0]).toMatchObject({ type: 'FeedbackAnswered', data: { signer: { userId: 'ld-01', fullName: 'Lê Văn Cường' }, publish: true } });
    state = answered.state;
    expect(nationalFeedbackLabel(state as ReceivedFeedback)).toBe('PAKN chờ công khai');
    expect(refusal(state, command({ type: 'PublishFeedback' }, reception))).toBe('FEEDBACK_ANSWER_DOCUMENT_PENDING');
    const document = command({ type: 'RecordFeedbackAnswerDocument', documentId: 'doc-1', file: { sha256: 'a'.repeat(64), size: 1000, mediaType: 'application/pdf', name: 'tra-loi.pdf' }, signer: 'Lê Văn Cường' }, system);
    state = step(state, document).state;
    expect(refusal(state, document)).toBe('DOCUMENT_ALREADY_RECORDED');
    state = step(state, command({ type: 'PublishFeedback' }, head)).state;
    expect(state.status).toBe('published');
    expect(isFinalFeedback(state)).toBe(true);
    expect(nationalFeedbackLabel(state as ReceivedFeedback)).toBe('PAKN đã công khai');
    expect(refusal(state, command({ type: 'ClassifyFeedback', category: 'procedure' }, officer))).toBe('FEEDBACK_CLOSED');
  });

  it('lets only the head sign the answer, and only staff of the unit that holds the item act on it', () => {
    const accepted = step(classifiedItem(), command({ type: 'AcceptFeedback' }, reception)).state;
    expect(refusal(accepted, command({ type: 'AnswerFeedback', answer: 'x', signer: { fullName: 'A', title: 'B' } }, officer))).toBe('ROLE_NOT_ALLOWED');
    expect(refusal(accepted, command({ type: 'AnswerFeedback', answer: 'x', signer: { fullName: 'A', title: 'B' } }, { ...head, agencyCode: OTHER }))).toBe('NOT_THE_HANDLING_UNIT');
    expect(refusal(accepted, command({ type: 'MarkFeedbackDeadline', clock: 'answer', alert: 'overdue' }, head))).toBe('ROLE_NOT_ALLOWED');
  });

  it('accepts only a classified item, refuses only before acceptance, and takes information only from its own sender when asked', () => {
    expect(refusal(receivedItem(), command({ type: 'AcceptFeedback' }, reception))).toBe('FEEDBACK_NOT_CLASSIFIED');
    const accepted = step(classifiedItem(), command({ type: 'AcceptFeedback' }, reception)).state;
    expect(refusal(accepted, command({ type: 'RefuseFeedback', reason: 'Nặc danh' }, reception))).toBe('FEEDBACK_STEP_NOT_ALLOWED');
    expect(refusal(accepted, command({ type: 'ProvideFeedbackInformation', content: 'thêm' }, citizen))).toBe('FEEDBACK_STEP_NOT_ALLOWED');
    const asked = step(accepted, command({ type: 'RequestFeedbackInformation', question: 'Ngày nộp?' }, officer)).state;
    expect(refusal(asked, command({ type: 'ProvideFeedbackInformation', content: 'thêm' }, { ...citizen, userId: citizenOf(`PAKN-${UNIT}-261203-0002`) }))).toBe('FEEDBACK_NOT_THE_SENDER');
  });

  it("takes the sender's reply online, and from reception or the head of the holding unit with the channel it came by", () => {
    const asked = step(receivedItem(), command({ type: 'RequestFeedbackInformation', question: 'Số hồ sơ?' }, officer)).state;
    const online = step(asked, command({ type: 'ProvideFeedbackInformation', content: 'Số hồ sơ là …' }, citizen));
    expect(online.events[0]).toMatchObject({ type: 'FeedbackInformationProvided', data: { channel: 'online-form' } });
    const byPhone = step(asked, command({ type: 'ProvideFeedbackInformation', content: 'Ông Lâm gọi điện: số hồ sơ là …', channel: 'phone' }, head));
    expect(byPhone.events[0]).toMatchObject({ type: 'FeedbackInformationProvided', data: { channel: 'phone', content: 'Ông Lâm gọi điện: số hồ sơ là …' } });
    expect(byPhone.state.status).toBe('waiting-to-receive');
    // Staff name how it came; the sender cannot claim a letter, nor staff an online reply; an officer does not enter replies; another unit's staff do not.
    expect(refusal(asked, command({ type: 'ProvideFeedbackInformation', content: 'thêm' }, reception))).toBe('FEEDBACK_CHANNEL_NOT_ALLOWED');
    expect(refusal(asked, command({ type: 'ProvideFeedbackInformation', content: 'thêm', channel: 'online-form' }, reception))).toBe('FEEDBACK_CHANNEL_NOT_ALLOWED');
    expect(refusal(asked, command({ type: 'ProvideFeedbackInformation', content: 'thêm', channel: 'paper' }, citizen))).toBe('FEEDBACK_CHANNEL_NOT_ALLOWED');
    expect(refusal(asked, command({ type: 'ProvideFeedbackInformation', content: 'thêm', channel: 'paper' }, officer))).toBe('ROLE_NOT_ALLOWED');
    expect(refusal(asked, command({ type: 'ProvideFeedbackInformation', content: 'thêm', channel: 'paper' }, { ...head, agencyCode: OTHER }))).toBe('NOT_THE_HANDLING_UNIT');
  });

  it('marks the first request before acceptance as the one 766 times', () => {
    const first = step(receivedItem(), command({ type: 'RequestFeedbackInformation', question: 'Số hồ sơ?' }, officer));
    expect(first.events[0]).toMatchObject({ data: { first: true } });
    const back = step(first.state, command({ type: 'ProvideFeedbackInformation', content: 'Số hồ sơ là …', channel: 'phone' }, reception)).state;
    expect(back.status).toBe('waiting-to-receive');
    expect(nationalFeedbackLabel(back as ReceivedFeedback)).toBe('Phản ánh đã bổ sung');
    const second = step(back, command({ type: 'RequestFeedbackInformation', question: 'Thêm?' }, officer));
    expect(second.events[0]).toMatchObject({ data: { first: false } });
  });

  it('refuses an item with its reason, and ends it', () => {
    const refused = step(receivedItem(), command({ type: 'RefuseFeedback', reason: 'Nội dung không rõ ràng', legalBasis: 'Nghị định 20/2008 điều 11' }, head)).state;
    expect(refused.status).toBe('refused');
    expect(nationalFeedbackLabel(refused as ReceivedFeedback)).toBe('Từ chối tiếp nhận');
    expect(isFinalFeedback(refused)).toBe(true);
  });

  it('moves an item within the engine to the unit named, and ends it when it leaves the engine', () => {
    const transfer = (outside: boolean) => command({ type: 'TransferFeedback', toAgencyCode: OTHER, reason: 'Thuộc thẩm quyền của huyện', outside }, reception);
    const moved = step(classifiedItem(), transfer(false)).state as ReceivedFeedback;
    expect(moved).toMatchObject({ status: 'waiting-to-receive', currentAgencyCode: OTHER });
    expect(refusal(moved, command({ type: 'AcceptFeedback' }, reception))).toBe('NOT_THE_HANDLING_UNIT');
    expect(step(moved, command({ type: 'AcceptFeedback' }, { ...reception, agencyCode: OTHER })).state.status).toBe('in-processing');
    const out = step(classifiedItem(), transfer(true)).state;
    expect(out.status).toBe('transferred-out');
    expect(isFinalFeedback(out)).toBe(true);
    expect(refusal(classifiedItem(), command({ type: 'TransferFeedback', toAgencyCode: UNIT, reason: 'x' }, reception))).toBe('FEEDBACK_TRANSFER_TO_SAME_UNIT');
  });

  it('keeps a private answer unpublished and ends the item with it', () => {
    const accepted = step(classifiedItem(), command({ type: 'AcceptFeedback' }, reception)).state;
    const answered = step(accepted, command({ type: 'AnswerFeedback', answer: 'Trả lời riêng', signer: { fullName: 'A', title: 'B' }, publish: false }, head)).state;
    expect(answered.status).toBe('answered-not-published');
    expect(isFinalFeedback(answered)).toBe(true);
  });

  it('records the national system’s id and reactions, and nothing when they did not change', () => {
    const published = receivedItem();
    const first = step(published, command({ type: 'RecordNationalFeedbackStatus', externalId: 'DVCQG-123', likes: 1, dislikes: 3 }, system));
    expect(first.events.map((event) => event.type)).toEqual(['FeedbackLinkedToNational', 'FeedbackReactionsRecorded']);
    expect(step(first.state, command({ type: 'RecordNationalFeedbackStatus', externalId: 'DVCQG-123', likes: 1, dislikes: 3 }, system)).events).toEqual([]);
  });

  it('raises an alert only when it is due', () => {
    const item = receivedItem();
    expect(refusal(item, command({ type: 'MarkFeedbackDeadline', clock: 'answer', alert: 'overdue' }, system))).toBe('ALERT_NOT_DUE');
    expect(refusal(item, command({ type: 'MarkFeedbackDeadline', clock: 'publish', alert: 'due-soon' }, system))).toBe('ALERT_NOT_DUE');
  });
});

describe('the history lines of an item', () => {
  it('labels every event type in English and Vietnamese, through the log’s one label function', async () => {
    const { storedEventLabel } = await import('../../db/dossier-history.js');
    const { FEEDBACK_EVENT_TYPES } = await import('../../domain/feedback/events.js');
    let state = classifiedItem();
    const events: FeedbackEvent[] = [];
    const take = (cmd: FeedbackCommand) => {
      const result = step(state, cmd);
      state = result.state;
      events.push(...result.events);
    };
    take(command({ type: 'RequestFeedbackInformation', question: 'Số hồ sơ?' }, officer));
    take(command({ type: 'ProvideFeedbackInformation', content: 'Số hồ sơ là …' }, citizen));
    take(command({ type: 'AcceptFeedback' }, reception));
    take(command({ type: 'AnswerFeedback', answer: 'Trả lời', signer: { fullName: 'Lê Văn Cường', title: 'Chủ tịch' } }, head));
    take(command({ type: 'RecordFeedbackAnswerDocument', documentId: 'doc-1', file: { sha256: 'b'.repeat(64), size: 10, mediaType: 'application/pdf' }, signer: 'Lê Văn Cường' }, system));
    take(command({ type: 'PublishFeedback' }, head));
    take(command({ type: 'RecordNationalFeedbackStatus', externalId: 'X-1', likes: 2, dislikes: 0 }, system));
    const all: FeedbackEvent[] = [
      ...step(newFeedback(ID), receive()).events,
      ...step(receivedItem(), command({ type: 'ClassifyFeedback', category: 'procedure' }, officer)).events,
      ...step(classifiedItem(), command({ type: 'TransferFeedback', toAgencyCode: OTHER, reason: 'x', outside: false }, reception)).events,
      ...step(receivedItem(), command({ type: 'RefuseFeedback', reason: 'x' }, head)).events,
      { type: 'FeedbackDeadlineAlerted', schemaVersion: 1, data: { at: tick(), clock: 'answer', alert: 'overdue', due: tick() } },
      ...events,
    ];
    expect(new Set(all.map((event) => event.type))).toEqual(new Set(FEEDBACK_EVENT_TYPES));
    for (const event of all) {
      const label = storedEventLabel(event);
      expect(label.en.length, event.type).toBeGreaterThan(3);
      expect(label.vi, event.type).toMatch(/[^\u0000-\u007f]/);
    }
  });
});

describe('what a caller may do now (for GET /feedback/{id}/actions)', () => {
  it('offers each role the steps the rules would take, and says why the others of its role are refused', async () => {
    const { feedbackCommandAvailability } = await import('../../domain/feedback/decide-feedback.js');
    const item = receivedItem();
    expect(feedbackCommandAvailability(item, reception).available).toEqual(['ClassifyFeedback', 'TransferFeedback', 'RefuseFeedback', 'RequestFeedbackInformation']);
    expect(feedbackCommandAvailability(item, reception).refused.map(({ type, code }) => [type, code])).toEqual([
      ['AcceptFeedback', 'FEEDBACK_NOT_CLASSIFIED'],
      ['ProvideFeedbackInformation', 'FEEDBACK_STEP_NOT_ALLOWED'],
      ['PublishFeedback', 'FEEDBACK_STEP_NOT_ALLOWED'],
    ]);
    const accepted = step(classifiedItem(), command({ type: 'AcceptFeedback' }, reception)).state;
    expect(feedbackCommandAvailability(accepted, head).available).toEqual(['ClassifyFeedback', 'TransferFeedback', 'RequestFeedbackInformation', 'AnswerFeedback']);
    expect(feedbackCommandAvailability(accepted, { ...head, agencyCode: OTHER }).available).toEqual([]);
    expect(feedbackCommandAvailability(accepted, citizen)).toEqual({ available: [], refused: [expect.objectContaining({ type: 'ProvideFeedbackInformation', code: 'FEEDBACK_STEP_NOT_ALLOWED' })] });
    // Each command offered is one the decider takes.
    for (const type of feedbackCommandAvailability(accepted, head).available) {
      const body = { ClassifyFeedback: { category: 'procedure' }, TransferFeedback: { toAgencyCode: OTHER, reason: 'x', outside: false }, RequestFeedbackInformation: { question: 'x' }, AnswerFeedback: { answer: 'x', signer: { fullName: 'A', title: 'B' } } }[type as string];
      expect(decideFeedback(accepted, command({ type, ...body }, head), { now: tick() }).ok, type).toBe(true);
    }
  });
});
