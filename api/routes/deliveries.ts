// The outbox for its operators (docs/integrations.md#dead-letters-and-the-operators-routine): the
// dead-letter list, what was sent where and when for one dossier, and the two ways out of a dead
// letter: retry (dead → pending) and close (dead → closed, with a reason). A delivery's key holds
// `/` (receiver/dossier/sequence/trigger), so it travels as ONE percent-encoded path segment
// (`portal%2F000.00.31.H38-250701-0005%2F7%2Fstatus`); the lists give each row its links ready made.
// Admins (the operators) do everything; auditors read; a head reads the deliveries of a dossier
// its agency takes part in. A retry or close commits first, then wakes the lane (`wake`, a Temporal
// signal); without one, or if it fails, the relay's dispatcher wakes the lane at its next sweep.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agencyCodeSchema, type Role } from '../../domain/dossier/actor.js';
import { RECEIVERS, type Receiver } from '../../domain/outbox/deliveries.js';
import { dossierExists, agencyTakesPartInDossier } from '../../db/dossier-summary.js';
import { CLOSE_REASON_MAX, closeDelivery, closeReasonSchema, countDeadLetters, DELIVERY_STATES, DeliveryNotDead, DeliveryNotFound, deliveryKeySchema, dossierDeliveries, listDeadLetters, type OperatorOutcome, retryDelivery } from '../../db/outbox/operator-queries.js';
import type { Database } from '../../db/schema.js';
import { callerOf } from '../auth/access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';
import { cursorSchema as cursorQuery, dossierCodeParams, idempotencyKeySchema, instantSchema } from '../request-schemas.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';

/** Wakes a lane at once (the lead's Temporal signal `wake` to workflows/delivery-lane.ts). */
export interface DeliveryLaneWaker {
  wake(receiver: Receiver, dossierCode: string): Promise<void>;
}

export interface DeliveryRoutesDeps {
  readonly db: Kysely<Database>;
  /** Absent: retry and close still change the database, and the relay's next sweep wakes the lane. */
  readonly deliveries?: DeliveryLaneWaker;
}

/** Who operates the outbox, who reads its lists, who reads one dossier's deliveries. */
export const DELIVERY_OPERATORS: readonly Role[] = ['admin'];
export const DEAD_LETTER_READERS: readonly Role[] = ['admin', 'auditor'];
export const DELIVERY_HISTORY_READERS: readonly Role[] = ['admin', 'auditor', 'head'];

/** A delivery key as a path segment: the whole key percent-encoded, `/` as %2F. */
export const deliveryKeySegment = (key: string) => encodeURIComponent(key);
const linksOf = (key: string, dossierCode: string) => ({
  history: `/dossiers/${encodeURIComponent(dossierCode)}/deliveries`,
  retry: `/deliveries/${deliveryKeySegment(key)}/retry`,
  close: `/deliveries/${deliveryKeySegment(key)}/close`,
});

const EXAMPLE_KEY = 'portal/000.00.31.H38-250701-0005/7/status';
const keyParams = z.object({
  key: deliveryKeySchema.describe(`The delivery's key, percent-encoded as one segment: ${encodeURIComponent(EXAMPLE_KEY)}`),
});
const receiverSchema = z.enum(RECEIVERS);
const linksSchema = z.object({ history: z.string(), retry: z.string(), close: z.string() }).describe('Paths to call, the key already percent-encoded');

const deadLetterItem = z.object({
  key: z.string(),
  receiver: z.string(),
  dossierCode: z.string(),
  agencyCode: z.string().nullable().describe('The receiving centre of the dossier'),
  sequence: z.number().int().describe("The event's stream version: the lane's order"),
  eventType: z.string(),
  trigger: z.string(),
  eventCommittedAt: z.string(),
  plannedAt: z.string(),
  deadAt: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  links: linksSchema,
});

const attemptItem = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(['delivered', 'already-delivered', 'failed', 'refused']),
  request: z.unknown().describe("What was sent, personal fields masked; the real body's digest is requestSha256"),
  requestSha256: z.string().nullable(),
  response: z.string().nullable().describe("The receiver's answer, at most 4 KiB"),
  error: z.string().nullable(),
});

const deliveryItem = z.object({
  key: z.string(),
  receiver: z.string(),
  sequence: z.number().int(),
  eventType: z.string(),
  trigger: z.string(),
  state: z.enum(DELIVERY_STATES),
  notBefore: z.string().nullable().describe('Held back until then (quiet hours)'),
  eventCommittedAt: z.string(),
  plannedAt: z.string(),
  dispatchedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deadAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedReason: z.string().nullable(),
  attempts: z.number().int().describe('Attempts made in all'),
  lastError: z.string().nullable(),
  receiverReference: z.string().nullable().describe("The receiver's own id for it (a Message-ID, a gateway's message id)"),
  recentAttempts: z.array(attemptItem).describe('The latest attempts (query `attempts`), oldest of them first'),
  links: linksSchema,
});

const outcomeAnswer = z.object({
  key: z.string(),
  receiver: z.string(),
  dossierCode: z.string(),
  state: z.enum(DELIVERY_STATES),
  lane: z.enum(['woken', 'next-sweep']).describe('woken: its lane was signalled; next-sweep: the relay wakes it within its sweep interval'),
  detail: z.string(),
});

const closeBody = z
  .object({ reason: closeReasonSchema.describe(`Why nothing more is to be sent for it (10–${CLOSE_REASON_MAX} characters), kept with the delivery`) })
  .meta({ examples: [{ reason: 'Số điện thoại không còn liên lạc được; đã gọi điện báo công dân nhận kết quả tại bộ phận một cửa.' }] });
const operatorHeaders = z.object({ 'idempotency-key': idempotencyKeySchema.optional().describe('Retries with the same key replay the first answer') });

const deadLetterCursor = z.tuple([z.iso.datetime({ offset: true }), deliveryKeySchema]);
const historyCursor = z.tuple([z.number().int().min(0).max(2_147_483_647), deliveryKeySchema]);
const iso = (value: Date | null) => value?.toISOString() ?? null;

export const deliveryRoutes: FastifyPluginAsyncZod<DeliveryRoutesDeps> = async (app, { db, deliveries }) => {
  app.get(
    '/deliveries/dead-letters',
    {
      schema: {
        summary: 'Dead letters, oldest first: deliveries that failed past their dead-letter time and hold back their lane; filter by receiver, agency, since',
        tags: ['deliveries'],
        querystring: z.object({
          receiver: receiverSchema.optional(),
          agency: agencyCodeSchema.optional().describe("The dossier's receiving centre"),
          since: instantSchema.optional().describe('Dead at or after this instant'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: cursorQuery.optional(),
        }),
        response: {
          200: z.object({ items: z.array(deadLetterItem), nextCursor: z.string().nullable(), counts: z.record(z.string(), z.number().int()).describe('Every dead letter by receiver, whatever the filter') }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      config: { access: { roles: DEAD_LETTER_READERS } },
    },
    async (request, reply) => {
      const query = request.query;
      let after: { deadAt: string; key: string } | undefined;
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor, deadLetterCursor);
        if (!cursor) return invalidCursor(reply);
        after = { deadAt: cursor[0], key: cursor[1] };
      }
      const [page, counts] = await Promise.all([
        listDeadLetters(db, { ...(query.receiver ? { receiver: query.receiver } : {}), ...(query.agency ? { agencyCode: query.agency } : {}), ...(query.since ? { since: query.since } : {}), limit: query.limit, ...(after ? { after } : {}) }),
        countDeadLetters(db),
      ]);
      return {
        items: page.rows.map((row) => ({ ...row, eventCommittedAt: row.eventCommittedAt.toISOString(), plannedAt: row.plannedAt.toISOString(), deadAt: row.deadAt.toISOString(), links: linksOf(row.key, row.dossierCode) })),
        nextCursor: page.next ? encodeCursor([page.next.deadAt, page.next.key]) : null,
        counts,
      };
    },
  );

  app.get(
    '/dossiers/:code/deliveries',
    {
      schema: {
        summary: "What was sent where and when for a dossier: its deliveries in event order, each with its state and latest attempts (masked request, its digest, the receiver's answer)",
        tags: ['deliveries'],
        params: dossierCodeParams,
        querystring: z.object({
          receiver: receiverSchema.optional(),
          attempts: z.coerce.number().int().min(0).max(50).default(10).describe('The latest attempts listed per delivery'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: cursorQuery.optional(),
        }),
        response: { 200: z.object({ dossierCode: z.string(), items: z.array(deliveryItem), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: DELIVERY_HISTORY_READERS } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const code = request.params.code;
      const query = request.query;
      let after: { sequence: number; key: string } | undefined;
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor, historyCursor);
        if (!cursor) return invalidCursor(reply);
        after = { sequence: cursor[0], key: cursor[1] };
      }
      const exists = await dossierExists(db, code);
      // A head reads only the dossiers its agency takes part in (api/auth/dossier-access.ts).
      if (actor.role === 'head') {
        if (!exists) return dossierNotFound(reply, code);
        if (!(await agencyTakesPartInDossier(db, actor.agencyCode, code))) return notYourDossier(reply, code);
      }
      const page = await dossierDeliveries(db, code, { ...(query.receiver ? { receiver: query.receiver } : {}), attemptsPerDelivery: query.attempts, limit: query.limit, ...(after ? { after } : {}) });
      if (!exists && page.rows.length === 0 && !after) return dossierNotFound(reply, code);
      return {
        dossierCode: code,
        items: page.rows.map(({ dossierCode: _dossier, attemptCount, recentAttempts, ...row }) => ({
          ...row,
          notBefore: iso(row.notBefore),
          eventCommittedAt: row.eventCommittedAt.toISOString(),
          plannedAt: row.plannedAt.toISOString(),
          dispatchedAt: iso(row.dispatchedAt),
          deliveredAt: iso(row.deliveredAt),
          deadAt: iso(row.deadAt),
          closedAt: iso(row.closedAt),
          attempts: attemptCount,
          recentAttempts: recentAttempts.map((attempt) => ({ ...attempt, startedAt: attempt.startedAt.toISOString(), finishedAt: attempt.finishedAt.toISOString() })),
          links: linksOf(row.key, code),
        })),
        nextCursor: page.next ? encodeCursor([page.next.sequence, page.next.key]) : null,
      };
    },
  );

  /** Commits the change, then wakes the lane; the answer says which of the two woke it. */
  const operate = async (request: FastifyRequest, reply: FastifyReply, action: 'retry' | 'close', change: () => Promise<OperatorOutcome>) => {
    let outcome: OperatorOutcome;
    try {
      outcome = await change();
    } catch (error) {
      if (error instanceof DeliveryNotFound) return sendProblem(reply, codedProblem('DELIVERY_NOT_FOUND', `${error.message} Copy the key from GET /deliveries/dead-letters or GET /dossiers/{code}/deliveries, percent-encoded as one path segment (/ as %2F).`));
      if (error instanceof DeliveryNotDead) return sendProblem(reply, codedProblem('DELIVERY_NOT_DEAD', `${error.message} Nothing was changed.`));
      throw error;
    }
    request.log.info({ key: outcome.key, receiver: outcome.receiver, action }, action === 'retry' ? 'dead letter retried' : 'dead letter closed');
    const woken = await wakeLane(request, outcome);
    const done = action === 'retry' ? 'The delivery is pending again' : 'The delivery is closed; its lane goes on with the next delivery';
    return {
      key: outcome.key,
      receiver: outcome.receiver,
      dossierCode: outcome.dossierCode,
      state: outcome.state,
      lane: woken ? ('woken' as const) : ('next-sweep' as const),
      detail: woken ? `${done}, and its lane was woken.` : `${done}; the relay's dispatcher wakes its lane at its next sweep.`,
    };
  };

  const wakeLane = async (request: FastifyRequest, outcome: OperatorOutcome): Promise<boolean> => {
    if (!deliveries) return false;
    try {
      await deliveries.wake(outcome.receiver, outcome.dossierCode);
      return true;
    } catch (error) {
      // Committed already: the sweep wakes the lane; the operator is told which happened.
      request.log.warn({ err: error, key: outcome.key, receiver: outcome.receiver }, 'lane not woken; the relay sweep will');
      return false;
    }
  };

  const answers = { 200: outcomeAnswer, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  app.post(
    '/deliveries/:key/retry',
    {
      schema: {
        summary: 'Retry a dead letter: dead → pending, and its lane tries it again (the key percent-encoded, / as %2F)',
        tags: ['deliveries'],
        params: keyParams,
        headers: operatorHeaders,
        response: answers,
      },
      config: { access: { roles: DELIVERY_OPERATORS } },
    },
    async (request, reply) => operate(request, reply, 'retry', () => retryDelivery(db, request.params.key, { userId: callerOf(request).actor.userId })),
  );

  app.post(
    '/deliveries/:key/close',
    {
      schema: {
        summary: 'Close a dead letter with a reason: dead → closed, nothing more is sent for it, and its lane goes on (the key percent-encoded, / as %2F)',
        tags: ['deliveries'],
        params: keyParams,
        headers: operatorHeaders,
        body: closeBody,
        response: answers,
      },
      config: { access: { roles: DELIVERY_OPERATORS } },
    },
    async (request, reply) => operate(request, reply, 'close', () => closeDelivery(db, request.params.key, { userId: callerOf(request).actor.userId }, request.body.reason)),
  );
};
