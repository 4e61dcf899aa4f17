// A feedback item (PAKN) on the real PostgreSQL and Temporal: received through the engine's own
// sending functions (api/commands/send-feedback-command.ts, which the API's routes call), decided by
// its workflow (workflows/feedback.ts), stored in the event log with its summary, its clocks alerted
// across the National Day of 2026, and counted in the 766 indicators.
//
// The two edges of the workflow, the signed answer and the push to the national PAKN system, are
// H5's activities (activities/feedback-documents.ts, activities/feedback-national-sync.ts). Until
// they are merged this test registers recording stand-ins with the same interface
// (activities/feedback-edge-activities.ts): the answer stand-in stores real bytes in the document
// store, so the recorded document points at a stored file; what is checked here is that the
// workflow calls them with the right versions and records what they return through the rules.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FeedbackEdgeActivities, IssueFeedbackAnswerInput, SyncFeedbackInput } from '../../activities/feedback-edge-activities.js';
import { type FeedbackCommandDeps, receiveFeedback, sendFeedbackCommand, type FeedbackCommandRequest } from '../../api/commands/send-feedback-command.js';
import { allocateFeedbackId, feedbackIndicatorCounts, feedbackQueue, findFeedback, loadFeedback } from '../../db/feedback/feedback-queries.js';
import { checkFeedbackProjections, rebuildFeedbackSummary } from '../../db/feedback/feedback-projection.js';
import { holidayCalendarAt } from '../../domain/calendar/holiday-calendar.js';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import type { Actor } from '../../domain/dossier/actor.js';
import { citizenOf } from '../../domain/feedback/decide-feedback.js';
import { feedbackIndicatorsOf } from '../../domain/reporting/feedback-indicators.js';
import { reportPeriod } from '../../domain/reporting/report-period.js';
import { feedbackStateQuery, feedbackWorkflow, feedbackWorkflowId, receiveFeedbackUpdate } from '../../workflows/feedback.js';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { DEFAULT_FEEDBACK_LIMITS, type FeedbackCommandOfType } from '../../domain/feedback/commands.js';
import { replayDossierHistories } from '../../worker/history-replay.js';
import { authAs, postJson, receptionBody, registerCentre, startTestEngine, type TestEngine } from '../support/engine.js';
import { actor, CENTRE } from '../support/dossier-fixtures.js';
import { civilServiceDays, isWorkingDay } from '../support/office-time.js';

/** A unit code of the four-group shape a feedback id names, no other test uses. */
function feedbackUnitCode(): string {
  return `${randomBytes(2).toString('hex').toUpperCase().slice(0, 3)}.${String(randomBytes(1)[0]! % 100).padStart(2, '0')}.01.H${String(randomBytes(1)[0]! % 100).padStart(2, '0')}`;
}

const issued: IssueFeedbackAnswerInput[] = [];
const synced: SyncFeedbackInput[] = [];
let engine: TestEngine;
let deps: FeedbackCommandDeps;
let unit: string;
let other: string;

const edges: FeedbackEdgeActivities = {
  async issueFeedbackAnswer(input) {
    issued.push(input);
    const stored = await engine.documentStore.put(Buffer.from(`%PDF-1.4\n% answer of ${input.feedbackId} at version ${input.upToVersion}\n%%EOF\n`), 'application/pdf');
    return { documentId: `feedback-answer-${input.feedbackId}`, file: { sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' }, signer: 'Lê Văn Cường' };
  },
  async syncFeedbackToNational(input) {
    synced.push(input);
    return 'not-configured';
  },
};

const staff = (role: 'reception' | 'officer' | 'head', agencyCode = unit): Actor => ({ userId: `${role}-${agencyCode}`, role, agencyCode });
const system: Actor = { userId: 'pakn:national', role: 'system', agencyCode: 'system' };

type Body = FeedbackCommandRequest extends infer C ? (C extends unknown ? Omit<C, 'commandId'> : never) : never;

let commands = 0;
async function send(body: Body): Promise<void> {
  commands += 1;
  const result = await sendFeedbackCommand(deps, { ...body, commandId: `test-${commands}-${randomBytes(4).toString('hex')}` } as FeedbackCommandRequest);
  if (result.kind !== 'answered') throw new Error(`${body.type} was not answered: ${JSON.stringify(result)}`);
}

async function refusedCode(body: Body): Promise<string | undefined> {
  const result = await sendFeedbackCommand(deps, { ...body, commandId: `test-refused-${randomBytes(4).toString('hex')}` } as FeedbackCommandRequest);
  return result.kind === 'refused' ? result.problem.code : undefined;
}

/** Waits (polling the read model) until `check` holds; fails with what it last saw. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let tries = 0; tries < 150; tries += 1) {
    last = await read();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: never happened; last seen ${JSON.stringify(last)}`);
}

async function receive(request: Partial<Parameters<typeof receiveFeedback>[1]['request']>, actor: Actor, intakeKey?: string) {
  const result = await receiveFeedback(deps, {
    request: {
      agencyCode: unit,
      channel: actor.role === 'citizen' ? 'online-form' : actor.role === 'system' ? 'national-pakn' : 'paper',
      submitter: { fullName: 'Phạm Thị Dung', email: 'dung@example.vn' },
      title: 'Bị hẹn trả kết quả nhiều lần',
      content: 'Hồ sơ của tôi bị hẹn lại nhiều lần mà không có văn bản xin lỗi.',
      attachments: [],
      ...request,
    },
    actor,
    ...(intakeKey ? { intakeKey } : {}),
  });
  if (result.kind !== 'received') throw new Error(`not received: ${JSON.stringify(result)}`);
  return result;
}

beforeAll(async () => {
  engine = await startTestEngine({ name: 'feedback', feedbackEdges: edges });
  unit = await registerCentre(engine.db, feedbackUnitCode());
  other = await registerCentre(engine.db, feedbackUnitCode());
  deps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, commandTimeoutMs: 20_000, log: engine.app.log };
});

afterAll(async () => {
  await engine?.close();
});

describe('a feedback item from the public form to its published answer', () => {
  it('is received once per intake key, handled step by step, answered with a signed document, published, and its run ends', async () => {
    const citizen = { userId: 'citizen:public-form', role: 'citizen', agencyCode: unit } as const;
    const key = `public/${randomBytes(6).toString('hex')}`;
    const first = await receive({}, citizen, key);
    expect(first.feedbackId).toMatch(new RegExp(`^PAKN-${unit.replace(/\./g, '\\.')}-\\d{6}-\\d{4}$`));
    // The same intake key again: the same item, received once.
    const again = await receive({}, citizen, key);
    expect(again.feedbackId).toBe(first.feedbackId);
    expect(again.answer).toEqual(first.answer);
    const feedbackId = first.feedbackId;

    const row = await findFeedback(engine.db, feedbackId);
    expect(row).toMatchObject({ status: 'waiting-to-receive', national_label: 'Tiếp nhận ở địa phương', agency_code: unit, current_agency_code: unit, channel: 'online-form', on_time: null });
    // No personal data in the summary.
    expect(JSON.stringify(row)).not.toContain('Phạm Thị Dung');
    expect((await feedbackQueue(engine.db, [unit])).map((item) => item.feedback_id)).toContain(feedbackId);

    expect(await refusedCode({ type: 'AcceptFeedback', actor: staff('reception'), feedbackId })).toBe('FEEDBACK_NOT_CLASSIFIED');
    // A code that names no dossier (any string the form or staff typed) is not counted by 766 §5.4; a dossier's code is.
    await send({ type: 'ClassifyFeedback', actor: staff('officer'), feedbackId, category: 'staff-conduct', dossierCode: `${unit}-261120-0007` });
    const thisYear = reportPeriod('2026-08-01', '2026-12-31', '2026-12-03');
    if ('code' in thisYear) throw new Error(thisYear.message);
    expect((await feedbackIndicatorCounts(engine.db, thisYear, [unit])).dossiersNamed).toBe(0);
    const dossier = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE), await authAs(actor('reception', CENTRE)));
    expect(dossier.status, JSON.stringify(dossier.json)).toBe(201);
    await send({ type: 'ClassifyFeedback', actor: staff('officer'), feedbackId, category: 'staff-conduct', dossierCode: dossier.json.dossierCode });
    expect((await feedbackIndicatorCounts(engine.db, thisYear, [unit])).dossiersNamed).toBe(1);
    await send({ type: 'AcceptFeedback', actor: staff('reception'), feedbackId });
    await send({ type: 'RequestFeedbackInformation', actor: staff('officer'), feedbackId, question: 'Xin gửi giấy hẹn trả kết quả.' });
    expect((await findFeedback(engine.db, feedbackId))?.national_label).toBe('PA chờ bổ sung');
    await send({ type: 'ProvideFeedbackInformation', actor: { userId: citizenOf(feedbackId), role: 'citizen', agencyCode: unit }, feedbackId, content: 'Giấy hẹn ngày 20/11 và 27/11.', attachments: [] });
    expect((await findFeedback(engine.db, feedbackId))?.national_label).toBe('PAKN đã bổ sung');
    expect(await refusedCode({ type: 'AnswerFeedback', actor: staff('officer'), feedbackId, answer: 'x', signer: { fullName: 'A', title: 'B' }, attachments: [], publish: true })).toBe('ROLE_NOT_ALLOWED');
    await send({ type: 'AnswerFeedback', actor: staff('head'), feedbackId, answer: 'Đơn vị xin lỗi ông/bà và đã chấn chỉnh cán bộ.', signer: { fullName: 'Lê Văn Cường', title: 'Chủ tịch' }, attachments: [], publish: true });

    // The workflow issues the answer (H5's activity) and records it through the rules.
    const documented = await eventually(() => loadFeedback(engine.db, feedbackId), (item) => item?.state.status !== 'none' && item?.state.status !== undefined && 'answerDocument' in item.state && item.state.answerDocument !== undefined, 'the answer document recorded');
    const answeredAt = documented!.events.findIndex((event) => event.type === 'FeedbackAnswered') + 1;
    expect(issued.filter((call) => call.feedbackId === feedbackId)).toEqual([{ feedbackId, upToVersion: answeredAt }]);
    const documentEvent = documented!.events.find((event) => event.type === 'FeedbackAnswerDocumentIssued');
    expect(await engine.documentStore.get((documentEvent!.data as { file: { sha256: string } }).file.sha256)).toBeDefined();

    await send({ type: 'PublishFeedback', actor: staff('reception'), feedbackId });
    await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).result();
    const published = await findFeedback(engine.db, feedbackId);
    expect(published).toMatchObject({ status: 'published', national_label: 'PAKN đã công khai', category: 'staff-conduct', on_time: true, late_clocks: [] });
    expect(published?.handled_at).not.toBeNull();
    // The national system was told up to the last version before the run ended.
    expect(Math.max(...synced.filter((call) => call.feedbackId === feedbackId).map((call) => call.upToVersion))).toBe(published!.stream_version);

    // The national system's reactions to a published answer: a run started from the log takes them.
    await send({ type: 'RecordNationalFeedbackStatus', actor: system, feedbackId, externalId: 'DVCQG-PAKN-1', likes: 1, dislikes: 4 });
    const reacted = await findFeedback(engine.db, feedbackId);
    expect(reacted).toMatchObject({ likes: 1, dislikes: 4, external_id: 'DVCQG-PAKN-1', status: 'published' });
    expect(await refusedCode({ type: 'ClassifyFeedback', actor: staff('officer'), feedbackId, category: 'procedure' })).toBe('FEEDBACK_CLOSED');

    // Its workflow's history (the first run and the one started for the reactions) replays on the current code.
    const replay = await replayDossierHistories(engine.temporal, { workflowBundlePath: inject('workflowBundlePath'), query: `WorkflowId = '${feedbackWorkflowId(feedbackId)}'` });
    expect(replay.failures).toEqual([]);
    expect(replay.replayed).toBeGreaterThanOrEqual(2);

    // Rebuilt from the log (npm run projections:rebuild feedback-summary), every summary still agrees with its events.
    const rebuilt = await rebuildFeedbackSummary(engine.db);
    expect(rebuilt.dossiers).toBeGreaterThan(0);
    expect(await findFeedback(engine.db, feedbackId)).toEqual(reacted);
    const mismatches: unknown[] = [];
    await checkFeedbackProjections(engine.db, (mismatch) => mismatches.push(mismatch));
    expect(mismatches).toEqual([]);
  });

  it('refuses a reception dated in the future, and its run ends with nothing recorded', async () => {
    const result = await receiveFeedback(deps, { request: { agencyCode: unit, channel: 'paper', submitter: { fullName: 'Võ Thị Giang' }, title: 'Thư đề ngày mai', content: 'x', attachments: [], sentAt: new Date(Date.now() + 86_400_000).toISOString() }, actor: staff('reception') });
    expect(result.kind === 'refused' && result.problem.code).toBe('FEEDBACK_SENT_IN_FUTURE');
    const [spent] = await engine.db.selectFrom('feedback_daily_serials').select('last_serial').where('agency_code', '=', unit).execute();
    const feedbackId = `PAKN-${unit}-${formatIsoDate(vietnamDateOf(new Date())).slice(2).replace(/-/g, '')}-${String(spent!.last_serial).padStart(4, '0')}`;
    await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).result();
    expect(await findFeedback(engine.db, feedbackId)).toBeUndefined();
  });

  it('moves an item to another unit of the engine, and lets it leave the engine for a body outside it', async () => {
    const { feedbackId } = await receive({}, staff('reception'));
    await send({ type: 'ClassifyFeedback', actor: staff('officer'), feedbackId, category: 'regulation' });
    await send({ type: 'TransferFeedback', actor: staff('reception'), feedbackId, toAgencyCode: other, reason: 'Thuộc thẩm quyền của đơn vị khác' });
    expect(await findFeedback(engine.db, feedbackId)).toMatchObject({ status: 'waiting-to-receive', agency_code: unit, current_agency_code: other });
    expect(await refusedCode({ type: 'AcceptFeedback', actor: staff('reception'), feedbackId })).toBe('NOT_THE_HANDLING_UNIT');
    expect((await feedbackQueue(engine.db, [other])).map((item) => item.feedback_id)).toContain(feedbackId);
    // A body the catalogue does not know is outside the engine: the item leaves it, and its run ends.
    await send({ type: 'TransferFeedback', actor: staff('reception', other), feedbackId, toAgencyCode: 'G09.99.99.X99', toAgencyName: 'Bộ Xây dựng', reason: 'Kiến nghị về quy định của Bộ' });
    expect(await findFeedback(engine.db, feedbackId)).toMatchObject({ status: 'transferred-out', national_label: 'BNĐP gửi trả lại BNĐP khác' });
    await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).result();
  });
});

describe('a feedback item whose workflow history grows long', () => {
  it('continues as new, carrying the item, the outcomes of its latest commands and what the national system was told', async () => {
    const now = new Date();
    // At the other unit, so the 766 counts of `unit` below stay its own.
    const { feedbackId } = await allocateFeedbackId(engine.db, other, now);
    const reception: FeedbackCommandOfType<'ReceiveFeedback'> = {
      type: 'ReceiveFeedback',
      commandId: `feedback/long-${randomBytes(4).toString('hex')}`,
      actor: staff('reception', other),
      feedbackId,
      agencyCode: other,
      channel: 'phone',
      submitter: { fullName: 'Đỗ Văn Em' },
      title: 'Hỏi về lệ phí',
      content: 'Lệ phí niêm yết khác với lệ phí thu.',
      attachments: [],
      sentAt: now.toISOString(),
      calendarVersion: holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, now.getTime()).version,
      limits: { ...DEFAULT_FEEDBACK_LIMITS },
    };
    // Started as the API starts it, but told to continue as new after 40 history events.
    await engine.temporal.workflow.executeUpdateWithStart(receiveFeedbackUpdate, {
      args: [reception],
      updateId: reception.commandId,
      startWorkflowOperation: new WithStartWorkflowOperation(feedbackWorkflow, { workflowId: feedbackWorkflowId(feedbackId), taskQueue: engine.taskQueue, args: [{ feedbackId, historyLimit: 40 }], workflowIdConflictPolicy: 'USE_EXISTING' }),
    });
    const handle = engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId));
    const firstRun = (await handle.describe()).runId;
    const first = await sendFeedbackCommand(deps, { type: 'ClassifyFeedback', commandId: `classify-first-${feedbackId}`, actor: staff('officer', other), feedbackId, category: 'procedure' });
    expect(first.kind).toBe('answered');
    for (let round = 0; round < 8; round += 1) await send({ type: 'ClassifyFeedback', actor: staff('officer', other), feedbackId, category: round % 2 === 0 ? 'regulation' : 'procedure', note: `lần ${round}` });
    const later = await eventually(() => handle.describe(), (description) => description.runId !== firstRun, 'a new run');
    expect(later.runId).not.toBe(firstRun);

    // The carried state decides on: its version matches the log's, and a retried command gets its first outcome.
    const { state, streamVersion } = await handle.query(feedbackStateQuery);
    expect(streamVersion).toBe((await findFeedback(engine.db, feedbackId))!.stream_version);
    expect(state.status).toBe('waiting-to-receive');
    const retried = await sendFeedbackCommand(deps, { type: 'ClassifyFeedback', commandId: `classify-first-${feedbackId}`, actor: staff('officer', other), feedbackId, category: 'procedure' });
    expect(retried).toEqual(first);
    await send({ type: 'AcceptFeedback', actor: staff('head', other), feedbackId });
    expect((await findFeedback(engine.db, feedbackId))?.status).toBe('in-processing');
    // The national system is told of the events of every run, not again of those already told.
    await eventually(async () => synced.filter((call) => call.feedbackId === feedbackId).map((call) => call.upToVersion), (versions) => versions.includes(streamVersion + 1), 'the push of the acceptance');
    const versions = synced.filter((call) => call.feedbackId === feedbackId).map((call) => call.upToVersion);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });
});

describe('the clocks of an item entered late, across the National Day of 2026', () => {
  // Sent on Friday 28 August 2026 at 10:00 on paper and entered now: 31 August (swapped), 1 and 2
  // September were days off. Every clock has run out; the workflow raises them as overdue at once.
  const sentAt = '2026-08-28T10:00:00+07:00';
  const calendar = holidayCalendarAt(VIETNAM_CIVIL_SERVICE_CALENDAR, Date.now());
  const days = civilServiceDays([2026, 2027].flatMap((year) => calendar.marksOfYear(year)));
  /** Midnight (Vietnam time) after the N-th working day after 28 August, counted from the list of days off. */
  function endOfWorkingDay(n: number): string {
    let date = '2026-08-28';
    for (let counted = 0; counted < n; ) {
      date = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      if (isWorkingDay(days, date)) counted += 1;
    }
    return new Date(Date.parse(`${date}T00:00:00+07:00`) + 86_400_000).toISOString();
  }

  it('has its due times counted across the holiday, raises overdue alerts, and is counted late in the 766 indicators', async () => {
    const { feedbackId } = await receive({ sentAt, channel: 'paper' }, staff('reception'));
    const alerted = await eventually(() => loadFeedback(engine.db, feedbackId), (item) => (item?.events.filter((event) => event.type === 'FeedbackDeadlineAlerted').length ?? 0) >= 3, 'three overdue alerts');
    expect(alerted!.events.filter((event) => event.type === 'FeedbackDeadlineAlerted').map((event) => event.data)).toEqual(
      expect.arrayContaining([expect.objectContaining({ clock: 'refuse', alert: 'overdue' }), expect.objectContaining({ clock: 'info-request', alert: 'overdue' }), expect.objectContaining({ clock: 'answer', alert: 'overdue' })]),
    );
    const row = await findFeedback(engine.db, feedbackId);
    expect(row?.refuse_due_at?.toISOString()).toBe(endOfWorkingDay(2));
    expect(row?.refuse_due_at?.toISOString()).toBe('2026-09-04T17:00:00.000Z');
    expect(row?.info_request_due_at?.toISOString()).toBe(endOfWorkingDay(5));
    expect(row?.answer_due_at?.toISOString()).toBe(endOfWorkingDay(15));
    expect(row).toMatchObject({ overdue: true, on_time: false, late_clocks: ['answer'] });
    expect((await feedbackQueue(engine.db, [unit]))[0]?.feedback_id).toBe(feedbackId);

    // Refused today, long after its two working days: late on the refusal clock too.
    await send({ type: 'RefuseFeedback', actor: staff('head'), feedbackId, reason: 'Nội dung đã được trả lời tại văn bản khác' });
    await engine.temporal.workflow.getHandle(feedbackWorkflowId(feedbackId)).result();
    expect(await findFeedback(engine.db, feedbackId)).toMatchObject({ status: 'refused', on_time: false });
    expect((await findFeedback(engine.db, feedbackId))?.late_clocks).toContain('refuse');

    // Counted by the period it was sent in. At the end of September it was still open, past its answer's clock.
    const september = reportPeriod('2026-08-01', '2026-09-30', '2026-12-03');
    if ('code' in september) throw new Error(september.message);
    const counts = await feedbackIndicatorCounts(engine.db, september, [unit]);
    expect(counts).toMatchObject({ received: 1, handled: 0, open: 1, openInTime: 0, late: 1, unsatisfactory: 1, unclassified: 1 });
    expect(feedbackIndicatorsOf(counts).find((indicator) => indicator.id === 'feedback-on-time-rate')).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    // Read to the end of the year, with the unit's two items above (this file's tests run in order):
    // the published one (on time, but more dislikes than likes), the one sent outside (on time), and
    // this one (refused, late).
    const year = reportPeriod('2026-08-01', '2026-12-31', '2026-12-03');
    if ('code' in year) throw new Error(year.message);
    const all = await feedbackIndicatorCounts(engine.db, year, [unit]);
    expect(all).toMatchObject({ received: 3, regulation: 1, staffConduct: 1, unclassified: 1, handled: 3, handledOnTime: 2, open: 0, late: 1, moreDislikes: 1, unsatisfactory: 2, dossiersNamed: 1 });
    expect(feedbackIndicatorsOf(all).map((indicator) => [indicator.id, indicator.value])).toEqual([
      ['feedback-regulation-share', 33.33],
      ['feedback-procedure-share', 0],
      ['feedback-staff-conduct-share', 33.33],
      ['feedback-on-time-rate', 66.67],
      ['feedback-satisfaction', 33.33],
    ]);
  });
});
