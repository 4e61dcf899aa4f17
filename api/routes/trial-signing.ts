// `POST /dossiers/{code}/trial-result`: under `npm start` only, a sample decision for the dossier
// signed with the head's agency's keystore of the local PKI, for the console's issue-result form
// when the trial's head has no signed decision at hand (docs/console.md#trial-signing). The result
// is then issued like any other, through POST /dossiers/{code}/issue-result, which verifies it. The
// route does not exist in production (api/main.ts never gives the app a trial signer).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { findDossierSummary } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import { callerOf } from '../auth/access.js';
import { pdfSchema } from '../openapi-responses.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams } from '../request-schemas.js';
import { dossierNotFound } from './dossiers.js';

/** Signs a sample decision naming the dossier with an agency's trial keystore. */
export interface TrialSigning {
  sign(agencyCode: string, dossierCode: string, pdf?: Uint8Array): Promise<Uint8Array>;
}

export const trialSigningRoutes: FastifyPluginAsyncZod<{ readonly db: Kysely<Database>; readonly signing: TrialSigning }> = async (app, { db, signing }) => {
  app.post(
    '/dossiers/:code/trial-result',
    {
      schema: {
        summary: "Trial only (npm start): a sample decision for the dossier signed with the head's agency's local trial keystore, to issue as its result",
        description: 'Absent in production, where the competent body signs its results with its own tools. Send no body.',
        tags: ['console'],
        params: dossierCodeParams,
        response: { 200: { description: 'The signed sample decision', content: { 'application/pdf': { schema: pdfSchema } } }, 401: problemSchema, 403: problemSchema, 404: problemSchema, 422: problemSchema },
      },
      config: { access: { roles: ['head'] } },
    },
    async (request, reply) => {
      const dossierCode = request.params.code;
      const caller = callerOf(request);
      const summary = await findDossierSummary(db, dossierCode);
      if (!summary) return dossierNotFound(reply, dossierCode);
      if (summary.competent_agency_code === null) {
        return sendProblem(reply, codedProblem('COMMAND_OUT_OF_ORDER', `Dossier ${dossierCode} is not accepted, so it has no competent body and no result to sign yet.`));
      }
      if (caller.actor.agencyCode !== summary.competent_agency_code) {
        return sendProblem(reply, codedProblem('NOT_THE_COMPETENT_AGENCY', `Only the competent agency ${summary.competent_agency_code} signs the result of dossier ${dossierCode}, not ${caller.actor.agencyCode}.`));
      }
      const signed = await signing.sign(caller.actor.agencyCode, dossierCode);
      // The PDF's bytes, past the JSON serializer of the route's typed answers.
      const raw = reply as Parameters<typeof sendProblem>[0];
      return raw.type('application/pdf').header('content-disposition', `attachment; filename="${dossierCode}-ket-qua-mau.pdf"`).send(Buffer.from(signed));
    },
  );
};
