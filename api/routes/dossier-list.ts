// GET /dossiers: the dossiers a caller may see, newest first, with filters and cursor pagination.
// Staff see their agency's dossiers (received, decided, or held by it); auditors see all.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { DOSSIER_STATUSES } from '../../domain/dossier/state.js';
import type { Database } from '../../db/schema.js';
import { callerOf, DOSSIER_READERS } from '../auth/access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { problemSchema } from '../problem-details.js';

export interface DossierListRoutesDeps {
  readonly db: Kysely<Database>;
}

const cursorSchema = z.tuple([z.iso.datetime({ offset: true }), z.string()]);

const listItem = z.object({
  dossierCode: z.string(),
  agencyCode: z.string(),
  procedureCode: z.string(),
  channel: z.string(),
  status: z.string(),
  portalStatus: z.number().int(),
  receivedAt: z.string(),
  due: z.string().nullable(),
  extendedDue: z.string().nullable(),
  overdue: z.boolean(),
  currentAgencies: z.array(z.string()),
});

export const dossierListRoutes: FastifyPluginAsyncZod<DossierListRoutesDeps> = async (app, { db }) => {
  app.get(
    '/dossiers',
    {
      schema: {
        summary: 'Dossiers, newest first: filter by agency, status, procedure, due date, overdue, reception dates; page with the cursor',
        tags: ['dossiers'],
        querystring: z.object({
          agency: agencyCodeSchema.optional().describe('Receiving centre'),
          status: z.enum(DOSSIER_STATUSES).optional(),
          procedure: z.string().max(50).optional(),
          dueBefore: z.iso.datetime({ offset: true }).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          receivedFrom: z.iso.datetime({ offset: true }).optional(),
          receivedTo: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ items: z.array(listItem), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const query = request.query;
      let select = db.selectFrom('dossier_summary').selectAll();
      if (actor.role !== 'auditor') {
        select = select.where((eb) =>
          // The same agencies that may read a dossier (api/auth/dossier-access.ts).
          eb.or([
            eb('agency_code', '=', actor.agencyCode),
            eb('competent_agency_code', '=', actor.agencyCode),
            eb.exists(eb.selectFrom('control_slip').select('control_slip.dossier_code').whereRef('control_slip.dossier_code', '=', 'dossier_summary.dossier_code').where('control_slip.to_agency_code', '=', actor.agencyCode)),
          ]),
        );
      }
      if (query.agency) select = select.where('agency_code', '=', query.agency);
      if (query.status) select = select.where('status', '=', query.status);
      if (query.procedure) select = select.where('procedure_code', '=', query.procedure);
      if (query.dueBefore) select = select.where(sql<Date>`coalesce(extended_due_at, due_at)`, '<', new Date(query.dueBefore));
      if (query.overdue) select = select.where('overdue', '=', query.overdue === 'true');
      if (query.receivedFrom) select = select.where('received_at', '>=', new Date(query.receivedFrom));
      if (query.receivedTo) select = select.where('received_at', '<', new Date(query.receivedTo));
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor, cursorSchema);
        if (!cursor) return invalidCursor(reply);
        select = select.where(sql<boolean>`(received_at, dossier_code) < (${new Date(cursor[0])}, ${cursor[1]})`);
      }
      const rows = await select.orderBy('received_at', 'desc').orderBy('dossier_code', 'desc').limit(query.limit + 1).execute();
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((row) => ({
          dossierCode: row.dossier_code,
          agencyCode: row.agency_code,
          procedureCode: row.procedure_code,
          channel: row.channel,
          status: row.status,
          portalStatus: row.portal_status,
          receivedAt: row.received_at.toISOString(),
          due: row.due_at?.toISOString() ?? null,
          extendedDue: row.extended_due_at?.toISOString() ?? null,
          overdue: row.overdue,
          currentAgencies: row.current_agencies,
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.received_at.toISOString(), last.dossier_code]) : null,
      };
    },
  );
};
