// Reads beyond the summary: the control slip (form 06), the due-date explanation, and the work
// queue of an agency. The first two come from the event log and its read models, never from
// Temporal, so they work for closed dossiers too.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { isDossierCode } from '../../domain/dossier/dossier-code.js';
import { dossierCalendar, readDossierClock } from '../../domain/dossier/dossier-clock.js';
import { foldDossier, isReceived, newDossier } from '../../domain/dossier/state.js';
import { explainDue } from '../../domain/clock/explain-due.js';
import { dossierAt } from '../../db/dossier-history.js';
import { verifyStream } from '../../db/event-integrity.js';
import { readStream } from '../../db/event-store.js';
import { asDossierEvent } from '../../domain/dossier/upcast.js';
import type { Database } from '../../db/schema.js';
import { callerOf, DOSSIER_READERS, forbidden } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierNotFound, eventLabelSchema, notYourDossier } from './dossiers.js';

export interface DossierReadRoutesDeps {
  readonly db: Kysely<Database>;
}

/** The queue's sort key: due time (or 'infinity' for undated items), dossier, item. */
const queueCursorSchema = z.tuple([z.union([z.literal('infinity'), z.iso.datetime({ offset: true })]), z.string(), z.string()]);

const params = z.object({ code: z.string().refine(isDossierCode, 'must be a dossier code such as 000.00.31.H38-250701-0005') });

const slipRow = z.object({
  stepId: z.string(),
  run: z.number().int(),
  stageIndex: z.number().int(),
  fromAgencyCode: z.string(),
  toAgencyCode: z.string(),
  task: z.string(),
  receivedAt: z.string(),
  dueAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.string(),
  handlerUserId: z.string().nullable(),
  allottedMinutes: z.number().nullable(),
  usedMinutes: z.number().nullable(),
  mark: z.enum(['early', 'on-time', 'late']).nullable().describe('trước hạn / đúng hạn / quá hạn'),
});

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
});

export const dossierReadRoutes: FastifyPluginAsyncZod<DossierReadRoutesDeps> = async (app, { db }) => {
  app.get(
    '/dossiers/:code/control-slip',
    {
      schema: { summary: 'The process control slip (form 06): each hand-off with its times and mark', tags: ['dossiers'], params, response: { 200: z.object({ dossierCode: z.string(), steps: z.array(slipRow) }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const exists = await db.selectFrom('dossier_summary').select('dossier_code').where('dossier_code', '=', request.params.code).executeTakeFirst();
      if (!exists) return dossierNotFound(reply, request.params.code);
      if (!(await agencyTakesPart(db, callerOf(request), request.params.code))) return notYourDossier(reply, request.params.code);
      const rows = await db.selectFrom('control_slip').selectAll().where('dossier_code', '=', request.params.code).orderBy('received_at').orderBy('step_id').execute();
      return {
        dossierCode: request.params.code,
        steps: rows.map((row) => ({
          stepId: row.step_id,
          run: row.run,
          stageIndex: row.stage_index,
          fromAgencyCode: row.from_agency_code,
          toAgencyCode: row.to_agency_code,
          task: row.task,
          receivedAt: row.received_at.toISOString(),
          dueAt: row.due_at.toISOString(),
          finishedAt: row.finished_at?.toISOString() ?? null,
          status: row.status,
          handlerUserId: row.handler_user_id,
          allottedMinutes: row.allotted_minutes === null ? null : Number(row.allotted_minutes),
          usedMinutes: row.used_minutes === null ? null : Number(row.used_minutes),
          mark: row.mark as 'early' | 'on-time' | 'late' | null,
        })),
      };
    },
  );

  app.get(
    '/dossiers/:code/due-explanation',
    {
      schema: {
        summary: 'Why the due date is what it is: each counted and skipped day, pauses, calendar version',
        tags: ['dossiers'],
        params,
        querystring: z.object({ asOf: z.iso.datetime({ offset: true }).optional().describe('The instant to explain at; now by default') }),
        response: { 200: z.unknown(), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const stored = await readStream(db, request.params.code);
      if (stored.length === 0) return dossierNotFound(reply, request.params.code);
      if (!(await agencyTakesPart(db, callerOf(request), request.params.code))) return notYourDossier(reply, request.params.code);
      const state = foldDossier(newDossier(request.params.code), stored.map(asDossierEvent));
      if (!isReceived(state) || !state.accepted) {
        return sendProblem(reply, { type: 'urn:motcua:problem:clock-not-started', title: 'The clock has not started', status: 409, detail: `Dossier ${request.params.code} has not been accepted; its legal time starts at acceptance (form 01).` });
      }
      const asOf = request.query.asOf ?? new Date().toISOString();
      if (Date.parse(asOf) < Date.parse(state.accepted.at)) {
        return sendProblem(reply, { type: 'urn:motcua:problem:clock-not-started', title: 'The clock has not started', status: 409, detail: `Dossier ${request.params.code} was accepted at ${state.accepted.at}; ask about an instant after that.` });
      }
      return explainDue(dossierCalendar(state), state.accepted.procedure.clock, state.clock, asOf);
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
          at: z.iso.datetime({ offset: true }).describe('The instant to look at'),
          since: z.iso.datetime({ offset: true }).optional().describe('An earlier instant: list the events between the two'),
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
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const stored = await readStream(db, request.params.code);
      if (stored.length === 0) return dossierNotFound(reply, request.params.code);
      if (!(await agencyTakesPart(db, callerOf(request), request.params.code))) return notYourDossier(reply, request.params.code);
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
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const result = await verifyStream(db, request.params.code);
      if (result.events === 0) return dossierNotFound(reply, request.params.code);
      if (!(await agencyTakesPart(db, callerOf(request), request.params.code))) return notYourDossier(reply, request.params.code);
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
          overdue: z.enum(['true', 'false']).optional(),
          kind: z.string().max(50).optional().describe('step, check-dossier, return-result, …'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ agencyCode: z.string(), items: z.array(queueItem), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      if (actor.role !== 'auditor' && actor.agencyCode !== request.params.agencyCode) {
        return forbidden(reply, `${actor.userId} works at ${actor.agencyCode}; only that agency's queue (or an auditor) may be read.`);
      }
      let query = db.selectFrom('work_queue').selectAll().where('agency_code', '=', request.params.agencyCode);
      if (request.query.overdue) query = query.where('overdue', '=', request.query.overdue === 'true');
      if (request.query.kind) query = query.where('kind', '=', request.query.kind);
      // Soonest due first, undated last; the cursor is the last row's (due, dossier, item).
      const dueKey = sql<Date>`coalesce(due_at, 'infinity'::timestamptz)`;
      if (request.query.cursor) {
        const cursor = decodeCursor(request.query.cursor, queueCursorSchema);
        if (!cursor) return invalidCursor(reply);
        query = query.where(sql<boolean>`(${dueKey}, dossier_code, item) > (${cursor[0]}::timestamptz, ${cursor[1]}, ${cursor[2]})`);
      }
      const fetched = await query.orderBy(dueKey).orderBy('dossier_code').orderBy('item').limit(request.query.limit + 1).execute();
      const rows = fetched.slice(0, request.query.limit);
      const last = rows[rows.length - 1];
      return {
        agencyCode: request.params.agencyCode,
        nextCursor: fetched.length > request.query.limit && last ? encodeCursor([last.due_at?.toISOString() ?? 'infinity', last.dossier_code, last.item]) : null,
        items: rows.map((row) => ({
          dossierCode: row.dossier_code,
          item: row.item,
          kind: row.kind,
          task: row.task,
          since: row.since.toISOString(),
          dueAt: row.due_at?.toISOString() ?? null,
          handlerUserId: row.handler_user_id,
          dueSoon: row.due_soon,
          overdue: row.overdue,
        })),
      };
    },
  );
};

