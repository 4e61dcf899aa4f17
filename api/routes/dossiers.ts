import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { receptionRequestSchema } from '../../domain/dossier/commands.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import { storedEventLabel } from '../../db/dossier-history.js';
import { readStream } from '../../db/event-store.js';
import type { Database } from '../../db/schema.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { callerOf, DOSSIER_READERS, forbidden } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { receiveDossier } from '../commands/receive-dossier.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams, idempotencyKeySchema } from '../request-schemas.js';
import { dossierHeadline } from './dossier-list.js';
import { mirrorView, mirrorViewSchema } from './mirror-view.js';
import { registrationSchema, slipRow, slipRowOf } from './step-rows.js';
import { controlSlipOf } from '../../db/control-slip.js';
import { dossierObligations } from '../../db/dossier-files.js';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../../domain/interagency/systems.js';

export interface DossierRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly lookupKey: string;
  readonly commandTimeoutMs: number;
}

const receptionResponse = z.object({
  dossierCode: z.string(),
  status: z.string(),
  streamVersion: z.number().int(),
});

const answerFile = z.object({ sha256: z.string(), size: z.number().int(), mediaType: z.string(), pages: z.number().int().optional(), name: z.string().optional() });

const dossierSummary = z.object({
  dossierCode: z.string(),
  agencyCode: z.string(),
  procedureCode: z.string(),
  channel: z.string(),
  status: z.string(),
  portalStatus: z.number().int().describe('National portal status code (TrangThaiHoSo)'),
  applicant: z.object({ kind: z.string(), fullName: z.string() }),
  receivedAt: z.string(),
  streamVersion: z.number().int(),
  updatedAt: z.string(),
  procedureVersion: z.string().nullable(),
  competentAgencyCode: z.string().nullable(),
  calendarVersion: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  appointment: z.string().nullable().describe('The appointment printed on the receipt (form 01)'),
  appointmentInForce: z.string().nullable().describe('The appointment the applicant now expects: the latest new appointment of an apology for lateness, else the form 04 extension, else the receipt\'s'),
  due: z.string().nullable().describe('The due time of the current legal period, without extension'),
  extendedDue: z.string().nullable().describe('The new appointment after an apology (form 04)'),
  clockState: z.string().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  supplementRequests: z.number().int(),
  currentAgencies: z.array(z.string()).describe('Agencies holding a step in progress'),
  resultCode: z.string().nullable(),
  closedAt: z.string().nullable(),
  mirroredFrom: z.string().nullable().describe("A mirror of a dossier handled on a ministry's own system: that system's name. It takes no commands here (409 DOSSIER_MIRRORED); its history is GET /dossiers/{code}/events. Null for the engine's own"),
  mirror: mirrorViewSchema.nullable().describe("The mirror's facts as its source last pushed them; null for the engine's own dossiers"),
  heldBySystems: z.array(z.enum(INTERAGENCY_SYSTEMS)).describe("Outside systems holding a step now: the dossier waits for their answer (docs/integrations.md#interagency)"),
  registrations: z
    .array(registrationSchema.extend({ stepId: z.string() }))
    .describe('Registrations the result carries, as the outside systems recorded them on the steps (civil status); empty before the result or when there are none'),
  obligations: z
    .object({
      notices: z.array(z.object({ stepId: z.string(), noticeNumber: z.string(), amountVnd: z.number().int(), dueDate: z.string().nullable().describe('The last day to pay, as the notice states it'), requestedAt: z.string(), noticeFile: answerFile.nullable().describe("The notice as a file (the tax system's electronic notice): GET /dossiers/{code}/files/{sha256}") })),
      requests: z
        .array(
          z.object({
            reference: z.string().describe("The payment platform's reference (MaThamChieu)"),
            purpose: z.enum(['fees', 'obligation']),
            amountVnd: z.number().int(),
            items: z.array(z.object({ name: z.string(), amountVnd: z.number().int(), kind: z.enum(['fee', 'charge', 'obligation']).optional() })),
            noticeNumber: z.string().nullable().describe('The notice an obligation request asks to pay'),
            note: z.string().nullable(),
            requestedAt: z.string(),
            status: z.enum(['pending', 'paid', 'settled-otherwise', 'cancelled']).describe('settled-otherwise: its notice, or the fees, paid some other way first; cancelled: the dossier closed before it was paid'),
            paidAt: z.string().nullable(),
            transactionId: z.string().nullable().describe("The platform's transaction (MaGiaoDich) that paid it"),
            cancelledAt: z.string().nullable(),
            refundDue: z.enum(['dossier-closed', 'settled-otherwise']).nullable().describe('Paid online when no longer to be paid: the money is owed back to the applicant (through the platform\'s operator)'),
          }),
        )
        .describe('Payment requests the applicant pays online (docs/rules.md#payment-requests-and-online-payments)'),
      payments: z.array(
        z.object({
          receiptNumber: z.string(),
          amountVnd: z.number().int(),
          method: z.enum(['counter', 'bank-transfer', 'post', 'online']),
          paidAt: z.string().describe('As the receipt states it, else when it was recorded'),
          recordedAt: z.string(),
          receiptFile: answerFile.nullable().describe("The receipt as a file (the tax system's electronic receipt, the payment platform's receipt): GET /dossiers/{code}/files/{sha256}"),
          platformPayment: z.object({ reference: z.string(), transactionId: z.string(), bankCode: z.string().optional() }).nullable().describe("The national payment platform's confirmation of an online payment"),
        }),
      ),
    })
    .describe('The financial obligations the dossier was asked to meet (notices), the payment requests, and the payments recorded, oldest first'),
  steps: z.array(slipRow).describe('Every run of every step of the route, in the order handed over: the control slip (form 06) rows, with what an outside system said and returned'),
});

/** What an event did, in a line, in English and Vietnamese (domain/dossier/event-labels.ts). */
export const eventLabelSchema = z.object({ en: z.string(), vi: z.string() }).describe('What happened, in a line, in English and Vietnamese');

const dossierEvent = z.object({
  globalPosition: z.number().int(),
  streamVersion: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  schemaVersion: z.number().int(),
  data: z.unknown(),
  metadata: z.object({
    actor: z.object({ userId: z.string(), role: z.string(), agencyCode: z.string() }),
    commandId: z.string(),
    correlationId: z.string().optional(),
  }),
  occurredAt: z.string(),
  recordedAt: z.string(),
  label: eventLabelSchema,
});

export const dossierRoutes: FastifyPluginAsyncZod<DossierRoutesDeps> = async (app, { db, temporal, taskQueue, commandTimeoutMs }) => {
  const readers = { access: { roles: DOSSIER_READERS } };
  app.post(
    '/dossiers',
    {
      schema: {
        summary: 'Receive a dossier at a one-stop unit (tiếp nhận hồ sơ)',
        tags: ['dossiers'],
        headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional().describe('Retries with the same key and body replay the first answer and receive the dossier once') }),
        body: receptionRequestSchema,
        response: { 201: receptionResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      // A portal receives through the intake (api/routes/portal-intake.ts), never here.
      config: { access: { roles: COMMAND_ROLES.ReceiveDossier.filter((role) => role !== 'portal') } },
    },
    async (request, reply) => {
      const { actor } = callerOf(request);
      if (actor.agencyCode !== request.body.agencyCode) {
        return forbidden(reply, `${actor.userId} works at ${actor.agencyCode} and cannot receive dossiers for ${request.body.agencyCode}.`);
      }
      const outcome = await receiveDossier({ db, temporal, taskQueue, commandTimeoutMs, log: request.log }, { request: request.body, actor, idempotency: request.idempotency });
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      const { dossierCode, answer } = outcome;
      return reply.code(201).header('location', `/dossiers/${dossierCode}`).send({ dossierCode, status: answer.status, streamVersion: answer.streamVersion });
    },
  );

  app.get(
    '/dossiers/:code',
    {
      schema: {
        summary: "A dossier's current summary; its ETag is the stream version, for If-Match",
        tags: ['dossiers'],
        params: dossierCodeParams,
        response: { 200: dossierSummary, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: readers,
    },
    async (request, reply) => {
      const row = await findDossierSummary(db, request.params.code);
      if (!row) return dossierNotFound(reply, request.params.code);
      if (!(await agencyTakesPart(db, callerOf(request), request.params.code))) return notYourDossier(reply, request.params.code);
      const steps = await controlSlipOf(db, request.params.code);
      reply.header('etag', `"${row.stream_version}"`);
      return {
        ...dossierHeadline(row),
        applicant: { kind: row.applicant_kind, fullName: row.applicant_name },
        receivedAt: row.received_at.toISOString(),
        streamVersion: row.stream_version,
        updatedAt: row.updated_at.toISOString(),
        procedureVersion: row.procedure_version,
        competentAgencyCode: row.competent_agency_code,
        calendarVersion: row.calendar_version,
        acceptedAt: iso(row.accepted_at),
        appointment: iso(row.appointment_at),
        appointmentInForce: iso(row.appointment_in_force_at),
        due: iso(row.due_at),
        extendedDue: iso(row.extended_due_at),
        clockState: row.clock_state,
        overdue: row.overdue,
        dueSoon: row.due_soon,
        supplementRequests: row.supplement_requests,
        currentAgencies: row.current_agencies,
        resultCode: row.result_code,
        closedAt: iso(row.closed_at),
        mirror: row.mirrored_from === null ? null : await mirrorView(db, request.params.code),
        heldBySystems: row.held_by_systems as InteragencySystem[],
        registrations: (row.result_registrations ?? []).map((registration) => ({ ...registration, system: registration.system as InteragencySystem })),
        obligations: await dossierObligations(db, request.params.code),
        steps: steps.map(slipRowOf),
      };
    },
  );

  app.get(
    '/dossiers/:code/events',
    {
      schema: {
        summary: "A dossier's history: its events, oldest first, with actor and command; page with `after`",
        tags: ['dossiers'],
        params: dossierCodeParams,
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0).describe('Only events after this stream version (the nextAfter of the previous page)'),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
        }),
        response: {
          200: z.object({ dossierCode: z.string(), events: z.array(dossierEvent), nextAfter: z.number().int().nullable() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
      config: readers,
    },
    async (request, reply) => {
      const events = await readStream(db, request.params.code);
      if (events.length === 0) return dossierNotFound(reply, request.params.code);
      if (!(await agencyTakesPart(db, callerOf(request), request.params.code))) return notYourDossier(reply, request.params.code);
      const page = events.filter((event) => event.streamVersion > request.query.after).slice(0, request.query.limit);
      const last = page[page.length - 1];
      return {
        dossierCode: request.params.code,
        events: page.map((event) => ({
          ...event,
          occurredAt: event.occurredAt.toISOString(),
          recordedAt: event.recordedAt.toISOString(),
          label: storedEventLabel(event),
        })),
        nextAfter: last && last.streamVersion < events[events.length - 1]!.streamVersion ? last.streamVersion : null,
      };
    },
  );
};

export function notYourDossier(reply: Parameters<typeof sendProblem>[0], code: string) {
  return forbidden(reply, `Your agency takes no part in dossier ${code}: it did not receive it, does not decide it and held no step of it.`);
}

export function dossierNotFound(reply: Parameters<typeof sendProblem>[0], code: string) {
  return sendProblem(reply, {
    type: 'urn:motcua:problem:dossier-not-found',
    title: 'Dossier not found',
    status: 404,
    detail: `No dossier has the code ${code}. Check the code on the receipt (form 01).`,
  });
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
