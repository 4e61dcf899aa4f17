// Calendar amendments loaded as data (docs/deadlines.md#amendments-loaded-as-data-and-their-adoption):
// an admin posts the days a government letter fixes, with its source; the amendment is checked,
// stored once under its version, and sent to every open dossier by a roll-out workflow, whose
// progress the list shows. Posting the same content again changes nothing and makes sure its
// roll-out has run (started again once finished, to catch up any dossier it could not reach).
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { calendarAmendmentSchema } from '../../domain/calendar/calendar-schemas.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { STAFF_ROLES } from '../auth/token-verifier.js';
import { listBuiltInRollouts, listCalendarAmendments } from '../../db/calendar-amendments.js';
import type { Database } from '../../db/schema.js';
import { callerOf } from '../auth/access.js';
import { loadCalendarAmendment } from '../commands/load-calendar-amendment.js';
import { problemSchema, ruleRefused, sendProblem } from '../problem-details.js';

export interface CalendarAmendmentRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  /** The wait between the roll-out's passes (workflows/calendar-rollout.ts); 10 minutes by default. */
  readonly rolloutSettleMs?: number;
}

/** A roll-out's columns, as the list reads them (null when the amendment has no roll-out yet). */
type RolloutRow = { readonly [column in 'state' | 'passes' | 'adopted' | 'already' | 'refused' | 'not_running' | 'updated_at' | 'finished_at']: unknown };

// Only the civil-service calendar takes amendments as data; its id is in the path.
const CALENDAR_ID = VIETNAM_CIVIL_SERVICE_CALENDAR.id;

const EXAMPLE = {
  version: '2025.2',
  effectiveFrom: '2025-12-25',
  reason: 'New Year 2026 for civil servants: off Thursday 1 – Sunday 4 January, Friday 2 January swapped for Saturday 10 January.',
  legalReference: 'Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ',
  changes: [{ type: 'official-schedule', schedule: { year: 2026, holidayId: 'new-year', daysOff: [{ date: '2026-01-01', kind: 'holiday' }, { date: '2026-01-02', kind: 'swapped' }], makeUpWorkingDays: [{ date: '2026-01-10', insteadOf: '2026-01-02' }] } }],
};

export const calendarAmendmentRoutes: FastifyPluginAsyncZod<CalendarAmendmentRoutesDeps> = async (app, { db, temporal, taskQueue, rolloutSettleMs }) => {
  app.post(
    `/calendars/${CALENDAR_ID}/amendments`,
    {
      schema: {
        summary: 'Load a calendar amendment (days off, swaps, make-up days) with its legal source; open dossiers adopt it (admins)',
        tags: ['catalogue'],
        body: calendarAmendmentSchema.meta({ examples: [EXAMPLE] }),
        response: {
          200: z.object({ calendarId: z.string(), version: z.string(), stored: z.literal(false), rollout: z.string().nullable() }).describe('The same version with the same content was already stored (or is built in: then no roll-out)'),
          201: z.object({ calendarId: z.string(), version: z.string(), stored: z.literal(true), rollout: z.string() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          422: problemSchema,
        },
      },
      config: { access: { roles: ['admin'] } },
    },
    async (request, reply) => {
      const outcome = await loadCalendarAmendment({ db, temporal, taskQueue, ...(rolloutSettleMs !== undefined ? { rolloutSettleMs } : {}) }, request.body, callerOf(request).actor.userId);
      if (outcome.kind === 'refused') {
        return sendProblem(reply, ruleRefused('CALENDAR_AMENDMENT_REFUSED', `Amendment ${request.body.version} of ${CALENDAR_ID} was not stored: ${outcome.problems.join('; ')}.`));
      }
      const { calendarId, version, rollout } = outcome;
      request.log.info({ calendarId, version, stored: outcome.kind === 'stored', rollout }, 'calendar amendment loaded');
      if (outcome.kind === 'unchanged') return reply.code(200).send({ calendarId, version, stored: false as const, rollout });
      // A stored amendment always has its roll-out.
      return reply.code(201).send({ calendarId, version, stored: true as const, rollout: rollout! });
    },
  );

  app.get(
    `/calendars/${CALENDAR_ID}/amendments`,
    {
      schema: {
        summary: 'The amendments loaded as data, latest first, each with how far its roll-out to the open dossiers has gone',
        tags: ['catalogue'],
        response: {
          200: z.object({
            amendments: z.array(z.unknown()),
            /** The roll-outs of versions built into the code, which reach dossiers accepted before their release. */
            builtInRollouts: z.array(z.object({ version: z.string(), rollout: z.unknown() })),
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      config: { access: { roles: STAFF_ROLES } },
    },
    async () => {
      const rows = await listCalendarAmendments(db, CALENDAR_ID);
      const progress = (row: RolloutRow) =>
        row.state === null ? null : { state: row.state, passes: row.passes, adopted: row.adopted, already: row.already, refused: row.refused, notRunning: row.not_running, updatedAt: row.updated_at, finishedAt: row.finished_at };
      return {
        amendments: rows.map((row) => ({
          version: row.version,
          effectiveFrom: row.effective_from,
          legalReference: row.legal_reference,
          amendment: row.amendment,
          loadedBy: row.loaded_by,
          loadedAt: row.loaded_at,
          rollout: progress(row),
        })),
        builtInRollouts: (await listBuiltInRollouts(db, CALENDAR_ID)).map((row) => ({ version: row.version, rollout: progress(row) })),
      };
    },
  );
};
