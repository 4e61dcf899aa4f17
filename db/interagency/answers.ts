// The inbox of the outside systems' answers (docs/integrations.md#answers-from-the-systems): stored
// first, in one transaction per message (with the poll's cursor, when polled), then applied lane by
// lane, a lane being one system's answers about one dossier. An answer is recognised by its
// system's id: the same id with the same body is a resend (nothing to do), with another body a
// contract breach (an answer never changes), refused whole. Only one process applies a lane at a
// time: a session advisory lock on (system, dossier), taken without waiting.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { LaneStatus } from '../../domain/interagency/answer-order.js';

/** An answer ready to store: its body without file bytes, and that body's digest. */
export interface InboxAnswer {
  readonly answerId: string;
  readonly dossierCode: string;
  readonly stepId: string;
  readonly run: number;
  readonly sequence: number;
  readonly kind: string;
  readonly body: unknown;
  readonly bodySha256: string;
  readonly commandId: string;
  /** Kept as refused from the start (a polled answer whose file was refused: there is no one to answer). */
  readonly refused?: { readonly code: string; readonly message: string };
}

export type StoreVerdict = 'stored' | 'duplicate' | 'changed';

export interface InboxRow {
  readonly system: string;
  readonly answerId: string;
  readonly dossierCode: string;
  readonly stepId: string;
  readonly run: number;
  readonly sequence: number;
  readonly kind: string;
  readonly receivedAt: Date;
  readonly via: 'callback' | 'poll';
  readonly body: unknown;
  readonly status: LaneStatus;
  readonly outcomeCode: string | null;
  readonly outcomeMessage: string | null;
  readonly commandId: string;
  readonly appliedAt: Date | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** An answer id already stored with another body: the transaction was rolled back, nothing stored. */
export class AnswerChanged extends Error {
  override readonly name = 'AnswerChanged';
  constructor(readonly answerIds: readonly string[]) {
    super(`answers ${answerIds.join(', ')} were stored before with another body`);
  }
}

/** The ids of the answers already stored with another body (a changed resend), looked up before anything of the message is kept. */
export async function changedResends(db: Kysely<Database>, system: string, answers: readonly { readonly answerId: string; readonly bodySha256: string }[]): Promise<string[]> {
  if (answers.length === 0) return [];
  const held = await db.selectFrom('interagency_answers').select(['answer_id', 'body_sha256']).where('system', '=', system).where('answer_id', 'in', answers.map((answer) => answer.answerId)).execute();
  const digests = new Map(held.map((row) => [row.answer_id, row.body_sha256]));
  return answers.filter((answer) => digests.has(answer.answerId) && digests.get(answer.answerId) !== answer.bodySha256).map((answer) => answer.answerId);
}

/**
 * Stores a message's answers in one transaction, each as new, a resend (`duplicate`) or `changed`.
 * `onChanged: 'refuse'` (a callback) rolls the whole message back when one changed (AnswerChanged);
 * `'keep-first'` (a poll) keeps the first body and goes on. With `cursor`, the poll's cursor moves
 * in the same transaction, so a page is stored and passed at once or not at all.
 */
export async function storeAnswers(
  db: Kysely<Database>,
  system: string,
  via: 'callback' | 'poll',
  answers: readonly InboxAnswer[],
  options: { readonly onChanged: 'refuse' | 'keep-first'; readonly cursor?: string | null },
): Promise<StoreVerdict[]> {
  return db.transaction().execute(async (trx) => {
    const verdicts: StoreVerdict[] = [];
    for (const answer of answers) {
      const inserted = await trx
        .insertInto('interagency_answers')
        .values({
          system,
          answer_id: answer.answerId,
          dossier_code: answer.dossierCode,
          step_id: answer.stepId,
          run: answer.run,
          sequence: answer.sequence,
          kind: answer.kind,
          via,
          body: JSON.stringify(answer.body),
          body_sha256: answer.bodySha256,
          command_id: answer.commandId,
          ...(answer.refused ? { status: 'refused' as const } : {}),
          outcome_code: answer.refused?.code ?? null,
          outcome_message: answer.refused?.message ?? null,
          last_error: null,
        })
        .onConflict((conflict) => conflict.columns(['system', 'answer_id']).doNothing())
        .returning('answer_id')
        .executeTakeFirst();
      if (inserted) {
        verdicts.push('stored');
        continue;
      }
      const held = await trx.selectFrom('interagency_answers').select('body_sha256').where('system', '=', system).where('answer_id', '=', answer.answerId).executeTakeFirstOrThrow();
      verdicts.push(held.body_sha256 === answer.bodySha256 ? 'duplicate' : 'changed');
    }
    const changed = answers.filter((_answer, index) => verdicts[index] === 'changed').map((answer) => answer.answerId);
    if (changed.length > 0 && options.onChanged === 'refuse') throw new AnswerChanged(changed);
    if (options.cursor !== undefined) {
      await trx
        .insertInto('interagency_poll_cursors')
        .values({ system, cursor: options.cursor, polled_at: new Date() })
        .onConflict((conflict) => conflict.column('system').doUpdateSet({ cursor: options.cursor ?? null, polled_at: new Date() }))
        .execute();
    }
    return verdicts;
  });
}

/** Where the poll of a system stands: the cursor to ask after (null: from the start). */
export async function pollCursorOf(db: Kysely<Database>, system: string): Promise<string | null> {
  const row = await db.selectFrom('interagency_poll_cursors').select('cursor').where('system', '=', system).executeTakeFirst();
  return row?.cursor ?? null;
}

const inboxColumns = [
  'system',
  'answer_id as answerId',
  'dossier_code as dossierCode',
  'step_id as stepId',
  'run',
  'sequence',
  'kind',
  'received_at as receivedAt',
  'via',
  'body',
  'status',
  'outcome_code as outcomeCode',
  'outcome_message as outcomeMessage',
  'command_id as commandId',
  'applied_at as appliedAt',
  'attempts',
  'last_error as lastError',
] as const;

/** Every answer of one lane (one system, one dossier), in sequence order. */
export async function laneAnswers(db: Kysely<Database>, system: string, dossierCode: string): Promise<InboxRow[]> {
  return db.selectFrom('interagency_answers').select(inboxColumns).where('system', '=', system).where('dossier_code', '=', dossierCode).orderBy('sequence').orderBy('received_at').execute() as Promise<InboxRow[]>;
}

/** The answers of one dossier, every system, newest first (the operators' and auditors' view). */
export async function dossierAnswers(db: Kysely<Database>, dossierCode: string, limit: number): Promise<InboxRow[]> {
  return db.selectFrom('interagency_answers').select(inboxColumns).where('dossier_code', '=', dossierCode).orderBy('received_at', 'desc').orderBy('answer_id').limit(limit).execute() as Promise<InboxRow[]>;
}

/**
 * The lanes with answers still to apply (pending or held): those with an answer pending first, then
 * the lanes only holding answers for a predecessor (most of which wait, their hold not run out), each
 * group the oldest waiting first, so many held lanes never crowd a pending one out of a sweep. A lane
 * whose answer the service just failed to apply waits attempts × 5 s (at most 5 minutes) before the next try.
 */
export async function waitingLanes(db: Kysely<Database>, limit: number): Promise<{ system: string; dossierCode: string }[]> {
  return db
    .selectFrom('interagency_answers')
    .select(['system', 'dossier_code as dossierCode'])
    .select((eb) => eb.fn.min('received_at').as('oldest'))
    .where('status', 'in', ['pending', 'held'])
    .groupBy(['system', 'dossier_code'])
    .having(sql<boolean>`bool_and(tried_at IS NULL OR tried_at + make_interval(secs => least(attempts * 5, 300)) <= now())`)
    .orderBy(sql`bool_or(status = 'pending')`, 'desc')
    .orderBy('oldest')
    .limit(limit)
    .execute();
}

/** Answers held for a predecessor now, by system (the held gauge). */
export async function countHeldAnswers(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('interagency_answers').select(['system']).select((eb) => eb.fn.countAll<string>().as('count')).where('status', '=', 'held').groupBy('system').execute();
  return Object.fromEntries(rows.map((row) => [row.system, Number(row.count)]));
}

/** The outcome of an answer applied, refused by the dossier's rules, or not applied (a duplicate sequence). */
export async function settleAnswer(db: Kysely<Database>, system: string, answerId: string, outcome: { readonly status: 'applied' | 'refused' | 'duplicate-content'; readonly code?: string; readonly message?: string }): Promise<void> {
  await db
    .updateTable('interagency_answers')
    .set((eb) => ({ status: outcome.status, outcome_code: outcome.code ?? null, outcome_message: outcome.message ?? null, applied_at: new Date(), attempts: eb('attempts', '+', 1), last_error: null, tried_at: null }))
    .where('system', '=', system)
    .where('answer_id', '=', answerId)
    .execute();
}

/** An apply that failed for the service, not the rules (Temporal down, no answer in time): tried again later. */
export async function recordApplyFailure(db: Kysely<Database>, system: string, answerId: string, error: string): Promise<void> {
  await db
    .updateTable('interagency_answers')
    .set((eb) => ({ status: 'pending', attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), tried_at: new Date() }))
    .where('system', '=', system)
    .where('answer_id', '=', answerId)
    .execute();
}

/** Marks answers as held for their predecessor. */
export async function holdAnswers(db: Kysely<Database>, system: string, answerIds: readonly string[]): Promise<void> {
  if (answerIds.length === 0) return;
  await db.updateTable('interagency_answers').set({ status: 'held' }).where('system', '=', system).where('answer_id', 'in', answerIds).where('status', 'in', ['pending', 'held']).execute();
}

/**
 * Runs `work` while this process alone holds the lane (a session advisory lock on its own
 * connection, released after, or when the connection drops). Undefined when another holds it.
 */
export async function withLaneLock<T>(db: Kysely<Database>, system: string, dossierCode: string, work: () => Promise<T>): Promise<{ readonly result: T } | undefined> {
  // The lock holds a pooled connection while the work takes others: a few lanes at a time per
  // process, so concurrent callbacks never take the whole pool and wait on each other for the rest.
  const release = await laneSlot(db);
  try {
    return await lockedLane(db, system, dossierCode, work);
  } finally {
    release();
  }
}

/** Lanes a process applies at once; the pool needs more connections than this (DATABASE_POOL_SIZE, 10 by default). */
export const LANES_AT_ONCE = 2;
const slots = new WeakMap<object, { busy: number; waiting: (() => void)[] }>();

async function laneSlot(db: Kysely<Database>): Promise<() => void> {
  let state = slots.get(db);
  if (!state) slots.set(db, (state = { busy: 0, waiting: [] }));
  const held = state;
  if (held.busy >= LANES_AT_ONCE) await new Promise<void>((resolve) => held.waiting.push(resolve));
  else held.busy += 1;
  return () => {
    const next = held.waiting.shift();
    if (next) next();
    else held.busy -= 1;
  };
}

async function lockedLane<T>(db: Kysely<Database>, system: string, dossierCode: string, work: () => Promise<T>): Promise<{ readonly result: T } | undefined> {
  return db.connection().execute(async (connection) => {
    const lane = `${system}/${dossierCode}`;
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtext('motcua/interagency-answers'), hashtext(${lane})) AS locked`.execute(connection);
    if (!rows[0]?.locked) return undefined;
    try {
      return { result: await work() };
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('motcua/interagency-answers'), hashtext(${lane}))`.execute(connection);
    }
  });
}
