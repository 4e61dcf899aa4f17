// GET /dossiers: the dossiers a caller may see, newest first, with filters and cursor pagination.
// Staff see their agency's dossiers (received, decided, or held by it); auditors see all.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { DOSSIER_STATUSES } from '../../domain/dossier/state.js';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../../domain/interagency/systems.js';
import { type DossierListPosition, listDossiers } from '../../db/dossier-summary.js';
import type { Database, DossierSummaryRow } from '../../db/schema.js';
import { callerOf, DOSSIER_READERS } from '../auth/access.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { problemSchema } from '../problem-details.js';
import { booleanQuery, cursorSchema as cursorQuery, instantSchema, procedureCodeSchema } from '../request-schemas.js';
import { invalidRequest } from '../invalid-request.js';
import { NAME_PATTERN } from '../../domain/text.js';
import { applicantSearchHashes } from '../../db/projections/applicant-search.js';

export interface DossierListRoutesDeps {
  readonly db: Kysely<Database>;
  /**
   * MOTCUA_APPLICANT_KEY: the key of the identity number's hash the summary holds
   * (db/projections/applicant-search.ts). Without it, the search by number is refused.
   */
  readonly applicantKey?: string;
}

/** A name or part of one, as a person types it into the search (personal data: never logged). */
const applicantNameQuery = z
  .string()
  .min(2)
  .max(100)
  .regex(NAME_PATTERN, 'must be a name or part of one: letters, digits, spaces and . , \' " ( ) & / - only')
  .describe('Part of the applicant\'s name, matched without diacritics or case ("nguyen van an" finds "Nguyễn Văn An")')
  .meta({ examples: ['nguyen van an', 'Nguyễn Văn'] });
/** An identity number as typed: any case; the API compares a keyed hash of it, never the number. */
const applicantIdQuery = z
  .string()
  .regex(/^[0-9A-Za-z-]{6,20}$/, 'must be an identity number: 6 to 20 digits, letters or dashes (a CCCD has 12 digits)')
  .describe("The applicant's whole identity number (CCCD) or organisation code")
  .meta({ examples: ['001090012345'] });

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
  dueSoon: z.boolean(),
  currentAgencies: z.array(z.string()),
  heldBySystems: z.array(z.enum(INTERAGENCY_SYSTEMS)).describe('Outside systems holding a step now: the dossier waits for their answer'),
  /** Whom a search found: read by the same roles that read the dossier's own summary. */
  applicant: z.object({ kind: z.string(), fullName: z.string() }),
  mirroredFrom: z.string().nullable().describe("A mirror of a dossier handled on a ministry's own system: that system's name; it takes no commands here (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere). Null for the engine's own dossiers"),
});

export const dossierListRoutes: FastifyPluginAsyncZod<DossierListRoutesDeps> = async (app, { db, applicantKey }) => {
  app.get(
    '/dossiers',
    {
      schema: {
        summary: "Dossiers, newest first: filter by agency, status, procedure, due date, overdue, reception dates, the applicant's name or identity number; page with the cursor",
        tags: ['dossiers'],
        querystring: z.object({
          agency: agencyCodeSchema.optional().describe('Receiving centre'),
          status: z.enum(DOSSIER_STATUSES).optional(),
          procedure: procedureCodeSchema.optional(),
          dueBefore: instantSchema.optional(),
          overdue: booleanQuery.optional(),
          receivedFrom: instantSchema.optional(),
          receivedTo: instantSchema.optional(),
          applicantName: applicantNameQuery.optional(),
          applicantId: applicantIdQuery.optional(),
          mirrored: booleanQuery.optional().describe("true: only mirrors of dossiers handled on a ministry's system; false: only the engine's own"),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: cursorQuery.optional(),
        }),
        response: { 200: z.object({ items: z.array(listItem), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      const query = request.query;
      let before: DossierListPosition | undefined;
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor, cursorSchema);
        if (!cursor) return invalidCursor(reply);
        before = { receivedAt: cursor[0], dossierCode: cursor[1] };
      }
      if (query.applicantId !== undefined && !applicantKey) {
        return invalidRequest(reply, 'This deployment cannot look dossiers up by identity number: it has no MOTCUA_APPLICANT_KEY (docs/files.md#reuse). Search by name or code instead.', { field: 'querystring.applicantId', message: 'is not searchable without the applicant key' });
      }
      const page = await listDossiers(db, {
        // Staff list what their agency may read (api/auth/dossier-access.ts); auditors list all.
        visibleTo: actor.role === 'auditor' ? undefined : actor.agencyCode,
        agencyCode: query.agency,
        status: query.status,
        procedureCode: query.procedure,
        dueBefore: query.dueBefore,
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        ...(query.mirrored !== undefined ? { mirrored: query.mirrored === 'true' } : {}),
        receivedFrom: query.receivedFrom,
        receivedTo: query.receivedTo,
        ...(query.applicantName !== undefined ? { applicantName: query.applicantName } : {}),
        ...(query.applicantId !== undefined && applicantKey ? { applicantIdHashes: applicantSearchHashes(applicantKey, query.applicantId) } : {}),
        limit: query.limit,
        before,
      });
      return {
        items: page.rows.map((row) => ({
          ...dossierHeadline(row),
          receivedAt: row.received_at.toISOString(),
          due: row.due_at?.toISOString() ?? null,
          extendedDue: row.extended_due_at?.toISOString() ?? null,
          overdue: row.overdue,
          dueSoon: row.due_soon,
          currentAgencies: row.current_agencies,
          heldBySystems: row.held_by_systems as InteragencySystem[],
          applicant: { kind: row.applicant_kind, fullName: row.applicant_name },
        })),
        nextCursor: page.next ? encodeCursor([page.next.receivedAt, page.next.dossierCode]) : null,
      };
    },
  );
};

/** What names a dossier in a list and heads its summary: its code, where and how it came, its status. */
export function dossierHeadline(row: DossierSummaryRow) {
  return {
    dossierCode: row.dossier_code,
    agencyCode: row.agency_code,
    procedureCode: row.procedure_code,
    channel: row.channel,
    status: row.status,
    portalStatus: row.portal_status,
    mirroredFrom: row.mirrored_from,
  };
}
