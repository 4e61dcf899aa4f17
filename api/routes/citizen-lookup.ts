// The citizen's lookup: with the dossier code and the lookup secret printed on the receipt, and
// no account, anyone holding the receipt sees the status, the appointment and who holds the
// dossier. Nothing personal is shown, and a wrong secret looks exactly like an unknown code.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { PORTAL_STATUS_LABELS } from '../../domain/dossier/state.js';
import { agencyNames, latestProcedureName } from '../../db/catalogue.js';
import { evaluationWindow } from '../../domain/dossier/evaluation-window.js';
import { findEvaluation } from '../../db/dossier-evaluation.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import type { Database, DossierSummaryRow } from '../../db/schema.js';
import { isLookupSecret } from '../auth/lookup-secret.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams, lookupSecretQuery } from '../request-schemas.js';
import { recordedEvaluationAnswer, recordedEvaluationSchema } from './citizen-evaluation.js';

export interface CitizenLookupRoutesDeps {
  readonly db: Kysely<Database>;
  readonly lookupKey: string;
}


/** Where the appointment in force comes from, told to the applicant: an apology's new appointment, or none. */
function appointmentNote(row: DossierSummaryRow): string | null {
  const inForce = row.appointment_in_force_at?.getTime();
  if (inForce === undefined) return null;
  if (inForce !== (row.extended_due_at ?? row.appointment_at)?.getTime()) return 'Ngày hẹn mới theo văn bản xin lỗi vì hồ sơ giải quyết quá hạn';
  if (row.extended_due_at !== null) return 'Ngày hẹn mới theo phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)';
  return null;
}

export const citizenLookupRoutes: FastifyPluginAsyncZod<CitizenLookupRoutesDeps> = async (app, { db, lookupKey }) => {
  app.get(
    '/lookup/:code',
    {
      schema: {
        summary: 'Citizen lookup (tra cứu hồ sơ) with the code and the secret on the receipt; no token, no personal data',
        tags: ['citizens'],
        security: [],
        params: dossierCodeParams,
        querystring: lookupSecretQuery,
        response: {
          200: z.object({
            dossierCode: z.string(),
            procedure: z.object({ code: z.string(), name: z.string().nullable() }),
            status: z.object({ code: z.number().int(), label: z.string() }),
            receivedAt: z.string(),
            appointment: z.string().nullable().describe('Ngày hẹn trả kết quả: the appointment in force (the latest new one an apology gave, else the receipt\'s)'),
            appointmentNote: z.string().nullable().describe('Why the appointment is not the receipt\'s, in Vietnamese; null when it is'),
            heldBy: z.array(z.object({ agencyCode: z.string(), name: z.string().nullable() })).describe('Agencies working on it now'),
            evaluation: z
              .object({
                state: z.enum(['not-yet-open', 'open', 'recorded', 'closed']).describe('not-yet-open: the dossier is not finished; open: POST /lookup/{code}/evaluation takes it until `until`; recorded: evaluated (the comment is never shown); closed: the 30 days after it finished have passed'),
                until: z.string().nullable().describe('The last instant it is taken (open), or was (closed)'),
                recorded: recordedEvaluationSchema.nullable(),
              })
              .describe("The applicant's evaluation of the handling (docs/rules.md#one-evaluation)"),
          }),
          400: problemSchema,
          404: problemSchema,
        },
      },
      config: { access: { public: true } },
    },
    async (request, reply) => {
      const { code } = request.params;
      const row = await findDossierSummary(db, code);
      if (!row || !isLookupSecret(lookupKey, code, request.query.secret)) {
        return sendProblem(reply, {
          type: 'urn:motcua:problem:dossier-not-found',
          title: 'Dossier not found',
          status: 404,
          detail: 'No dossier matches this code and lookup secret. Check both on the receipt (form 01).',
        });
      }
      const procedureName = await latestProcedureName(db, row.procedure_code);
      const holders = await agencyNames(db, row.current_agencies);
      const appointment = row.appointment_in_force_at;
      const recorded = await findEvaluation(db, code);
      const window = evaluationWindow(row.closed_at?.getTime(), recorded !== undefined, Date.now());
      return {
        dossierCode: code,
        procedure: { code: row.procedure_code, name: procedureName ?? null },
        status: { code: row.portal_status, label: PORTAL_STATUS_LABELS[row.portal_status] ?? String(row.portal_status) },
        receivedAt: row.received_at.toISOString(),
        appointment: appointment?.toISOString() ?? null,
        appointmentNote: appointmentNote(row),
        heldBy: row.current_agencies.map((agencyCode) => ({ agencyCode, name: holders.get(agencyCode) ?? null })),
        evaluation: {
          state: window.state,
          until: 'until' in window ? new Date(window.until).toISOString() : null,
          recorded: recorded ? recordedEvaluationAnswer(recorded) : null,
        },
      };
    },
  );
};
