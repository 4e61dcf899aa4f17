// POST /dossiers/:code/issue-result: the competent body's signed result file (decision, certificate,
// licence) as multipart/form-data. The API does the I/O the rules cannot: it reads the file whole (a
// signature is verified over all of it), checks it is a PDF by its bytes, verifies its signature
// against the configured trust anchors, checks the signer belongs to the dossier's competent body
// (domain/catalogue/signing-identity.ts), stores it content-addressed, and sends the rules a command
// that carries only what it found: reference, digest, size, media type, the signature report and the
// signer's agency (docs/decisions/0017-result-signed-by-the-competent-body.md). Nothing is stored
// or recorded for a file that is refused.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { certificateBelongsTo } from '../../domain/catalogue/signing-identity.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { issueResultSchema } from '../../domain/dossier/commands.js';
import { findAgency } from '../../db/catalogue.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import { type DocumentStore, sha256Hex } from '../../documents/document-store.js';
import { verifyPdfSignature } from '../../documents/signing/verify-signature.js';
import { callerOf } from '../auth/access.js';
import { type DossierCommandRequest, sendDossierCommand } from '../commands/send-dossier-command.js';
import { mirroredDossierProblem } from '../mirror-refusal.js';
import { claimIdempotencyAfterUpload, commandIdFor } from '../idempotency.js';
import { invalidRequest } from '../invalid-request.js';
import { withMultipartBody } from '../openapi-responses.js';
import { codedProblem, problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams } from '../request-schemas.js';
import { trustAnchorsOrUnavailable } from '../trust-anchors.js';
import { commandAnswer, commandResponse, ifMatch, issueResultForm } from './dossier-commands.js';
import { dossierNotFound } from './dossiers.js';

export interface IssueResultRouteDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
  /** PEM files of the CAs whose certificates a result may be signed with (MOTCUA_TRUST_ANCHORS). */
  readonly trustAnchorFiles: readonly string[];
}

/** The largest signed result accepted: it is read whole to verify its signature. */
export const RESULT_FILE_LIMIT = 20 * 1024 * 1024;

export type ResultUpload =
  | { readonly kind: 'file'; readonly bytes: Uint8Array; readonly reference: string | undefined }
  | { readonly kind: 'missing'; readonly detail: string }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'malformed'; readonly detail: string };

/**
 * Reads the one `file` part and the `reference` field of a multipart request, the file whole and at
 * most `limit` bytes. Kept to itself so the shared upload plumbing (api/uploads.ts) can replace it.
 */
export async function readSignedResultUpload(request: FastifyRequest, limit = RESULT_FILE_LIMIT): Promise<ResultUpload> {
  if (!request.isMultipart()) {
    return { kind: 'missing', detail: 'Send the request as multipart/form-data with the signed PDF as the part named file and its số, ký hiệu as the field named reference.' };
  }
  let bytes: Uint8Array | undefined;
  let reference: string | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: limit, files: 1, fields: 4, fieldSize: 4096, parts: 5 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          return { kind: 'malformed', detail: `The file part must be named file, not ${JSON.stringify(part.fieldname.slice(0, 50))}.` };
        }
        bytes = new Uint8Array(await part.toBuffer());
      } else if (part.fieldname === 'reference') {
        reference = String(part.value);
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') return { kind: 'too-large' };
    if (typeof code === 'string' && code.startsWith('FST_')) return { kind: 'malformed', detail: `The multipart body is not one file part and a reference field (${(error as Error).message}).` };
    throw error;
  }
  if (!bytes || bytes.length === 0) return { kind: 'missing', detail: 'The request has no file part named file, or it is empty: send the signed PDF as the part named file.' };
  return { kind: 'file', bytes, reference };
}

/** Whether the bytes are a PDF: the %PDF- header in its first kilobyte, as readers accept it. */
function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1').includes('%PDF-');
}

export const issueResultRoute: FastifyPluginAsyncZod<IssueResultRouteDeps> = async (app, { db, temporal, taskQueue, commandTimeoutMs, store, trustAnchorFiles }) => {
  app.post(
    '/dossiers/:code/issue-result',
    {
      schema: {
        summary: 'Issue the result: the signed PDF of the competent body (its code is <dossier code>-KQ<n>)',
        description:
          'multipart/form-data with the part `file` (the PDF the competent body signed, at most 20 MB) and the field `reference` (số, ký hiệu). ' +
          'The signature is verified against the trust anchors and its signer must belong to the competent body of the dossier (docs/documents.md#the-result-file); ' +
          'nothing is stored or recorded when it is refused.',
        tags: ['commands'],
        params: dossierCodeParams,
        headers: ifMatch,
        response: { 200: commandResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      config: {
        access: { roles: COMMAND_ROLES.IssueResult },
        upload: true,
        swaggerTransform: (route) =>
          withMultipartBody(jsonSchemaTransform(route), { name: 'file', accept: ['application/pdf'], description: issueResultForm.shape.file.description ?? 'The signed result (PDF)' }, issueResultForm.pick({ reference: true })),
      },
    },
    async (request, reply) => {
      const dossierCode = request.params.code;
      const caller = callerOf(request);
      const summary = await findDossierSummary(db, dossierCode);
      if (!summary) return dossierNotFound(reply, dossierCode);
      if (summary.mirrored_from !== null) return sendProblem(reply, mirroredDossierProblem(dossierCode, summary.mirrored_from));
      const competent = summary.competent_agency_code;
      // Before reading a file: the rules would refuse these anyway, and a file then stays unstored.
      if (competent === null) {
        return sendProblem(reply, codedProblem('COMMAND_OUT_OF_ORDER', `Dossier ${dossierCode} is not accepted, so it has no competent body and no result yet.`));
      }
      if (caller.actor.agencyCode !== competent) {
        return sendProblem(reply, codedProblem('NOT_THE_COMPETENT_AGENCY', `Only the competent agency ${competent} issues the result of dossier ${dossierCode}, not ${caller.actor.agencyCode}.`));
      }

      const upload = await readSignedResultUpload(request);
      if (upload.kind === 'too-large') return sendProblem(reply, codedProblem('RESULT_FILE_TOO_LARGE', `The result file is larger than ${RESULT_FILE_LIMIT / 1024 / 1024} MB; nothing was stored.`));
      if (upload.kind === 'missing') return sendProblem(reply, codedProblem('RESULT_FILE_MISSING', upload.detail, { errors: [{ field: 'file', message: 'required: the signed PDF' }] }));
      if (upload.kind === 'malformed') return invalidRequest(reply, upload.detail, { field: 'body', message: upload.detail });
      const reference = issueResultSchema.shape.document.shape.reference.safeParse(upload.reference ?? '');
      if (!reference.success) {
        const message = upload.reference === undefined ? 'required: the số, ký hiệu of the result' : (reference.error.issues[0]?.message ?? 'invalid');
        return invalidRequest(reply, `Send the result's số, ký hiệu as the field named reference (${message}).`, { field: 'reference', message });
      }
      // The Idempotency-Key is claimed now that the body is read: the reference and the file's digest are part of the request.
      const claimed = await claimIdempotencyAfterUpload(request, reply, { reference: upload.reference ?? null, sha256: sha256Hex(upload.bytes) });
      if (claimed) return reply;
      if (!isPdf(upload.bytes)) return sendProblem(reply, codedProblem('RESULT_NOT_A_PDF', 'The file is not a PDF: its first kilobyte has no %PDF- header, whatever its name or declared type.', { errors: [{ field: 'file', message: 'not a PDF' }] }));

      const trustAnchors = trustAnchorsOrUnavailable(reply, trustAnchorFiles, ', so no result can be verified');
      if (!trustAnchors) return reply;
      const report = await verifyPdfSignature(upload.bytes, trustAnchors);
      if (!report.valid || !report.signer) {
        return sendProblem(reply, codedProblem('RESULT_SIGNATURE_INVALID', `The signature of the result file does not verify: ${report.reasons.join(' ')}`, { errors: report.reasons.map((reason) => ({ field: 'file', message: reason })) }));
      }
      const agency = await findAgency(db, competent);
      if (!agency || !certificateBelongsTo(agency, report.signer)) {
        const name = agency ? `${agency.name} (${competent})` : competent;
        const how = agency?.signingCertificates?.length
          ? `its certificate (SHA-256 ${report.signer.certificateSha256}) is not one the catalogue declares for ${competent}`
          : `its certificate names no organizationIdentifier or OU equal to ${competent}`;
        return sendProblem(reply, codedProblem('RESULT_NOT_SIGNED_BY_COMPETENT_BODY', `The result file is signed by ${report.signer.subject}, and ${how}: the competent body of dossier ${dossierCode} is ${name}, which must sign it.`, { errors: [{ field: 'file', message: 'not signed by the competent body' }] }));
      }

      const stored = await store.put(upload.bytes, 'application/pdf');
      const expected = request.headers['if-match'];
      const command = {
        type: 'IssueResult',
        commandId: commandIdFor(request, randomUUID),
        actor: caller.actor,
        dossierCode,
        ...(expected ? { expectedStreamVersion: Number(expected.replace(/\D/g, '')) } : {}),
        document: { reference: reference.data, sha256: stored.sha256, size: stored.size, mediaType: 'application/pdf' },
        signature: report,
        signerAgencyCode: competent,
      } as DossierCommandRequest;
      const outcome = await sendDossierCommand({ db, temporal, taskQueue, commandTimeoutMs, log: request.log }, command);
      if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply, dossierCode);
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      return commandAnswer(reply, dossierCode, outcome.answer);
    },
  );
};
