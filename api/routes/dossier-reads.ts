// Reads beyond the summary: the control slip (form 06), the due-date explanation, and the work
// queue of an agency. The first two come from the event log and its read models, never from
// Temporal, so they work for closed dossiers too.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { explainDossierDue } from '../../domain/dossier/dossier-clock.js';
import { foldDossier, isReceived, newDossier } from '../../domain/dossier/state.js';
import { controlSlipOf } from '../../db/control-slip.js';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../../domain/interagency/systems.js';
import { slipRow, slipRowOf } from './step-rows.js';
import { dossierAt } from '../../db/dossier-history.js';
import { dossierExists } from '../../db/dossier-summary.js';
import { verifyStream } from '../../db/event-integrity.js';
import { readStream } from '../../db/event-store.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import { asMirrorEvent, isMirrorStream } from '../../domain/mirror/events.js';
import { mirroredDossierProblem } from '../mirror-refusal.js';
import type { Database } from '../../db/schema.js';
import { type QueuePosition, workQueuePage } from '../../db/work-queue.js';
import { callerOf, DOSSIER_READERS, forbidden } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { booleanQuery, cursorSchema, dossierCodeParams as params, instantSchema } from '../request-schemas.js';
import { dossierNotFound, eventLabelSchema, notYourDossier } from './dossiers.js';

export interface DossierReadRoutesDeps {
  readonly db: Kysely<Database>;
}

/** The queue's sort key: due time (or 'infinity' for undated items), dossier, item. */
const queueCursorSchema = z.tuple([z.union([z.literal('infinity'), z.iso.datetime({ offset: true })]), z.string(), z.string()]);


const queueItem = z.object({
  dossierCode: z.string(),
  item: z.string(),
  kind: z.string(),
  task: z.string(),
  since: z.string(),
  dueAt: z.string().nullable(),
  handlerUserId: z.string().nullable(),
  dueSoon: z.boolean(),
  overdue: z.boolean(),
  heldBySystem: z.enum(INTERAGENCY_SYSTEMS).nullable().describe('The outside system holding the step: the item waits for its answer (kind follow-up: the receiving centre watches it)'),
});

/** What a read of one dossier may answer besides its 200. */
const readProblems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const readers = { access: { roles: DOSSIER_READERS } };

export const dossierReadRoutes: FastifyPluginAsyncZod<DossierReadRoutesDeps> = async (app, { db }) => {
  /**
   * Answers 404 for a dossier that does not exist and 403 for one the caller's agency takes no part
   * in; true when it did, and the route is done.
   */
  const refusedRead = async (request: FastifyRequest, reply: FastifyReply, code: string, exists: boolean): Promise<boolean> => {
    if (!exists) {
      dossierNotFound(reply, code);
      return true;
    }
    if (!(await agencyTakesPart(db, callerOf(request), code))) {
      notYourDossier(reply, code);
      return true;
    }
    return false;
  };

  app.get(
    '/dossiers/:code/control-slip',
    {
      schema: { summary: 'The process control slip (form 06): each hand-off with its times and mark', tags: ['dossiers'], params, response: { 200: z.object({ dossierCode: z.string(), steps: z.array(slipRow) }), ...readProblems } },
      config: readers,
    },
    async (request, reply) => {
      if (await refusedRead(request, reply, request.params.code, await dossierExists(db, request.params.code))) return reply;
      const rows = await controlSlipOf(db, request.params.code);
      return { dossierCode: request.params.code, steps: rows.map(slipRowOf) };
    },
  );

  app.get(
    '/dossiers/:code/due-explanation',
    {
      schema: {
        summary: 'Why the due date is what it is: each counted and skipped day, pauses, calendar version',
        tags: ['dossiers'],
        params,
        querystring: z.object({ asOf: instantSchema.optional().describe('The instant to explain at; now by default') }),
        response: { 200: z.unknown(), ...readProblems, 409: problemSchema },
      },
      config: readers,
    },
    async (request, reply) => {
      const stored = await readStream(db, request.params.code);
      if (await refusedRead(request, reply, request.params.code, stored.length > 0)) return reply;
      // A mirror's time is its source's: no clock of the engine's to explain.
      if (isMirrorStream(stored[0]?.type)) return sendProblem(reply, mirroredDossierProblem(request.params.code, asMirrorEvent(stored[0]!).data.system));
      const state = foldDossier(newDossier(request.params.code), stored.map(asDossierEvent));
      if (!isReceived(state) || !state.accepted) {
        return sendProblem(reply, { type: 'urn:motcua:problem:clock-not-started', title: 'The clock has not started', status: 409, detail: `Dossier ${request.params.code} has not been accepted; its legal time starts at acceptance (form 01).` });
      }
      const asOf = request.query.asOf ?? new Date().toISOString();
      if (Date.parse(asOf) < Date.parse(state.accepted.at)) {
        return sendProblem(reply, { type: 'urn:motcua:problem:clock-not-started', title: 'The clock has not started', status: 409, detail: `Dossier ${request.params.code} was accepted at ${state.accepted.at}; ask about an instant after that.` });
      }
      return explainDossierDue(state, asOf);
    },
  );

  app.get(
    '/dossiers/:code/state',
    {
      schema: {
        summary: 'The dossier as it stood at an instant: the fold of its events up to then, with its clock as it read then; with `since`, what changed between two instants',
        tags: ['audit'],
        params,
        querystring: z.object({
          at: instantSchema.describe('The instant to look at'),
          since: instantSchema.optional().describe('An earlier instant: list the events between the two'),
        }),
        response: {
          200: z.object({
            dossierCode: z.string(),
            at: z.string(),
            streamVersion: z.number().int(),
            state: z.unknown(),
            clock: z.unknown().nullable(),
            changes: z.array(z.object({ streamVersion: z.number().int(), type: z.string(), occurredAt: z.string(), actor: z.object({ userId: z.string(), role: z.string(), agencyCode: z.string() }), label: eventLabelSchema })).optional(),
          }),
          ...readProblems,
        },
      },
      config: readers,
    },
    async (request, reply) => {
      const stored = await readStream(db, request.params.code);
      if (await refusedRead(request, reply, request.params.code, stored.length > 0)) return reply;
      return dossierAt(request.params.code, stored, request.query.at, request.query.since);
    },
  );

  app.get(
    '/dossiers/:code/integrity',
    {
      schema: {
        summary: "Recompute the dossier's hash chain: intact, or the first version that was changed after it was written",
        tags: ['audit'],
        params,
        response: {
          200: z.object({ dossierCode: z.string(), intact: z.boolean(), events: z.number().int(), brokenAt: z.number().int().optional(), reason: z.string().optional() }),
          ...readProblems,
        },
      },
      config: readers,
    },
    async (request, reply) => {
      const result = await verifyStream(db, request.params.code);
      if (await refusedRead(request, reply, request.params.code, result.events > 0)) return reply;
      const { streamId, ...rest } = result;
      return { dossierCode: streamId, ...rest };
    },
  );

  app.get(
    '/agencies/:agencyCode/queue',
    {
      schema: {
        summary: "An agency's work queue: steps in hand and the centre's next acts, soonest due first",
        tags: ['queues'],
        params: z.object({ agencyCode: agencyCodeSchema }),
        querystring: z.object({
          overdue: booleanQuery.optional(),
          kind: z.string().max(50).regex(/^[a-z]+(-[a-z]+)*$/, 'must be a queue item kind such as check-dossier').optional().describe('step, check-dossier, return-result, …'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: cursorSchema.optional(),
        }),
        response: { 200: z.object({ agencyCode: z.string(), items: z.array(queueItem), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: readers,
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      if (actor.role !== 'auditor' && actor.agencyCode !== request.params.agencyCode) {
        return forbidden(reply, `${actor.userId} works at ${actor.agencyCode}; only that agency's queue (or an auditor) may be read.`);
      }
      let after: QueuePosition | undefined;
      if (request.query.cursor) {
        const cursor = decodeCursor(request.query.cursor, queueCursorSchema);
        if (!cursor) return invalidCursor(reply);
        after = { due: cursor[0], dossierCode: cursor[1], item: cursor[2] };
      }
      const page = await workQueuePage(db, {
        agencyCode: request.params.agencyCode,
        overdue: request.query.overdue === undefined ? undefined : request.query.overdue === 'true',
        kind: request.query.kind,
        limit: request.query.limit,
        after,
      });
      return {
        agencyCode: request.params.agencyCode,
        nextCursor: page.next ? encodeCursor([page.next.due, page.next.dossierCode, page.next.item]) : null,
        items: page.rows.map((row) => ({
          dossierCode: row.dossier_code,
          item: row.item,
          kind: row.kind,
          task: row.task,
          since: row.since.toISOString(),
          dueAt: row.due_at?.toISOString() ?? null,
          handlerUserId: row.handler_user_id,
          dueSoon: row.due_soon,
          overdue: row.overdue,
          heldBySystem: row.held_by_system as InteragencySystem | null,
        })),
      };
    },
  );
};
