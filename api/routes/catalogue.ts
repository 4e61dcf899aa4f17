// The catalogues over HTTP: anyone signed in reads the procedures, agencies, the agency directory and
// the holiday table of a year; admins load a catalogue file (the same format and rules as `npm run catalogue:load`).
// Holiday-calendar amendments are built in (domain/calendar/) or loaded as data (calendar-amendments.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { latestHolidayCalendar } from '../../domain/calendar/holiday-calendar.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { catalogueFileSchema } from '../../domain/catalogue/catalogue-file.js';
import { STAFF_ROLES } from '../auth/token-verifier.js';
import { agencyEntries, CatalogueError, currentDirectory, listProcedures, listProceduresInForce, loadCatalogue } from '../../db/catalogue.js';
import { currentCalendarDefinition } from '../../db/calendar-amendments.js';
import type { Database } from '../../db/schema.js';
import { problemSchema, ruleRefused, sendProblem } from '../problem-details.js';
import { calendarDateSchema } from '../request-schemas.js';

export interface CatalogueRoutesDeps {
  readonly db: Kysely<Database>;
}

const signedIn = { access: { roles: STAFF_ROLES } };

export const catalogueRoutes: FastifyPluginAsyncZod<CatalogueRoutesDeps> = async (app, { db }) => {
  app.get(
    '/catalogue/procedures',
    {
      schema: {
        summary: 'Procedure versions in the catalogue, with their budgets, routes and components',
        description: 'Every version of every procedure; with inForceOn, only the version of each procedure in force that day (procedures with none that day are left out).',
        tags: ['catalogue'],
        querystring: z.object({
          inForceOn: calendarDateSchema
            .optional()
            .describe('A civil day (Vietnam), YYYY-MM-DD: answer for each procedure code only the version in force that day (domain/catalogue/procedure.ts versionInForce)')
            .meta({ examples: ['2026-03-02'] }),
        }),
        response: { 200: z.object({ procedures: z.array(z.unknown()) }), 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      config: signedIn,
    },
    async (request) => ({ procedures: request.query.inForceOn === undefined ? await listProcedures(db) : await listProceduresInForce(db, request.query.inForceOn) }),
  );

  app.get(
    '/catalogue/agencies',
    {
      schema: { summary: 'Agencies in the catalogue', tags: ['catalogue'], response: { 200: z.object({ agencies: z.array(z.unknown()) }), 401: problemSchema, 403: problemSchema } },
      config: signedIn,
    },
    async () => ({ agencies: await agencyEntries(db) }),
  );

  app.get(
    '/catalogue/directory',
    {
      schema: {
        summary: "The province's agency directory acceptances read: administrative units, and who plays which role for which of them, when (docs/catalogue.md)",
        tags: ['catalogue'],
        response: { 200: z.object({ directory: z.unknown().nullable() }), 401: problemSchema, 403: problemSchema },
      },
      config: signedIn,
    },
    async () => ({ directory: await currentDirectory(db) }),
  );

  app.put(
    '/catalogue',
    {
      schema: {
        summary: 'Load a catalogue file: agencies are updated, new procedure and directory versions added (admins)',
        tags: ['catalogue'],
        body: catalogueFileSchema.meta({
          examples: [{ sample: false, agencies: [{ code: '000.01.01.H99', name: 'Bộ phận Một cửa UBND xã Hòa Bình', kind: 'one-stop-centre', parentCode: null }], procedures: [] }],
        }),
        response: { 200: z.object({ agencies: z.number().int(), proceduresAdded: z.number().int(), proceduresUnchanged: z.number().int(), targets: z.number().int(), directory: z.object({ version: z.string(), added: z.boolean() }).optional() }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema },
      },
      config: { access: { roles: ['admin'] } },
      bodyLimit: 10 * 1_048_576,
    },
    async (request, reply) => {
      try {
        const result = await loadCatalogue(db, request.body);
        request.log.info(result, 'catalogue loaded');
        return result;
      } catch (error) {
        if (!(error instanceof CatalogueError)) throw error;
        return sendProblem(reply, ruleRefused('CATALOGUE_REFUSED', error.message));
      }
    },
  );

  app.get(
    '/calendars/vn-civil-service/:year',
    {
      schema: {
        summary: "The civil-service holiday table of a year: days off, compensatory and swapped days, make-up Saturdays, each with its source",
        tags: ['catalogue'],
        params: z.object({ year: z.coerce.number().int().min(2021).max(2100) }),
        response: { 200: z.object({ calendarVersion: z.string(), year: z.number().int(), days: z.array(z.object({ date: z.string(), mark: z.unknown() })) }), 400: problemSchema, 401: problemSchema },
      },
      config: signedIn,
    },
    async (request) => {
      // The built-in versions and those loaded as data (db/calendar-amendments.ts).
      const calendar = latestHolidayCalendar(await currentCalendarDefinition(db, VIETNAM_CIVIL_SERVICE_CALENDAR));
      return { calendarVersion: calendar.versionId, year: request.params.year, days: calendar.marksOfYear(request.params.year) };
    },
  );
};
