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
import type { Receiver } from '../../domain/outbox/deliveries.js';
import { dossierExists, agencyTakesPartInDossier } from '../../db/dossier-summary.js';
import { closeDelivery, countDeadLetters, DeliveryNotDead, DeliveryNotFound, dossierDeliveries, type Lane, listDeadLetters, type OperatorOutcome, retryAllDead, retryDelivery } from '../../db/outbox/operator-queries.js';
import type { Database } from '../../db/schema.js';
import { callerOf } from '../auth/access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';
import { cursorSchema as cursorQuery, dossierCodeParams, instantSchema } from '../request-schemas.js';
import { closeBody, deadLetterCursor, deadLetterItem, deliveryItem, historyCursor, keyParams, linksOf, operatorHeaders, outcomeAnswer, receiverSchema, retryAllAnswer, retryAllBody } from './delivery-schemas.js';
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
          attempts: z.coerce.number().int().min(0).max(20).default(10).describe('The latest attempts listed per delivery (each may carry a request and a 4 KiB answer)'),
          limit: z.coerce.number().int().min(1).max(100).default(50),
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
    const woken = (await wakeLanes(request, [outcome])) === 1;
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

  /** Wakes each lane (20 at a time); answers how many were woken. A lane not woken waits for the relay's sweep. */
  const wakeLanes = async (request: FastifyRequest, lanes: readonly Lane[]): Promise<number> => {
    if (!deliveries) return 0;
    let woken = 0;
    for (let start = 0; start < lanes.length; start += 20) {
      const results = await Promise.allSettled(lanes.slice(start, start + 20).map((lane) => deliveries.wake(lane.receiver, lane.dossierCode)));
      for (const result of results) {
        if (result.status === 'fulfilled') woken += 1;
        // Committed already: the sweep wakes the lane; the operator is told which happened.
        else request.log.warn({ err: result.reason }, 'lane not woken; the relay sweep will');
      }
    }
    return woken;
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

  app.post(
    '/deliveries/dead-letters/retry',
    {
      schema: {
        summary: "After a receiver's outage: retry its dead letters, oldest first, at most `limit` per call (call again while `remaining` is not 0)",
        tags: ['deliveries'],
        headers: operatorHeaders,
        body: retryAllBody,
        response: { 200: retryAllAnswer, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: DELIVERY_OPERATORS } },
    },
    async (request) => {
      const { receiver, agency, since, limit } = request.body;
      const result = await retryAllDead(db, { receiver, ...(agency ? { agencyCode: agency } : {}), ...(since ? { since } : {}), limit }, { userId: callerOf(request).actor.userId });
      request.log.info({ receiver, retried: result.retried, remaining: result.remaining }, 'dead letters retried');
      const woken = await wakeLanes(request, result.lanes);
      const rest = result.lanes.length - woken;
      return {
        receiver,
        retried: result.retried,
        lanes: result.lanes.length,
        woken,
        remaining: result.remaining,
        detail: `${result.retried} dead letter(s) of ${receiver} are pending again${rest > 0 ? `; the relay's dispatcher wakes ${rest} lane(s) at its next sweep` : ''}${result.remaining > 0 ? `; ${result.remaining} still dead: call again` : ''}.`,
      };
    },
  );
};
