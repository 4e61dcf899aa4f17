// Documents: the forms the engine issued for a dossier (recorded by DocumentIssued events with their
// digests) and its results (the competent body's signed files, recorded by ResultIssued), the files themselves from the content-addressed store, the citizen's
// result with the receipt's lookup secret, and a verification anyone can run on a PDF or a result
// code.
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DOCUMENT_KINDS } from '../../domain/documents/document-model.js';
import { signatureReportSchema } from '../../domain/dossier/commands.js';
import { dossierExists } from '../../db/dossier-summary.js';
import { documentsIssuedFor, documentsSignedWith, documentsWithDigest, type IssuedDocument, resultsIssuedFor, resultsNumbered } from '../../db/issued-documents.js';
import type { Database } from '../../db/schema.js';
import { type DocumentStore, sha256Hex } from '../../documents/document-store.js';
import { type SignatureReport, verifyPdfSignature } from '../../documents/signing/verify-signature.js';
import { agenciesDeclaringCertificate, findAgencies } from '../../db/catalogue.js';
import { agencyCodesNamedBy, agencyOfCertificate } from '../../domain/catalogue/signing-identity.js';
import { callerOf, DOSSIER_READERS } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { isLookupSecret } from '../auth/lookup-secret.js';
import { pdfSchema, withRequestBody } from '../openapi-responses.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams, lookupSecretQuery, resultCodeSchema, sha256Schema } from '../request-schemas.js';
import { trustAnchorsOrUnavailable } from '../trust-anchors.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';

export interface DocumentRoutesDeps {
  readonly db: Kysely<Database>;
  readonly store: DocumentStore;
  /** PEM files of the CAs a verification trusts, read at each verification so a new CA needs no restart. */
  readonly trustAnchorFiles: readonly string[];
  readonly lookupKey: string;
}

/** The largest PDF the verification accepts. */
export const VERIFY_BODY_LIMIT = 20 * 1024 * 1024;

const documentSchema = z.object({
  documentId: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  number: z.string(),
  issuedAt: z.string(),
  issuerAgencyCode: z.string(),
  forVersion: z.number().int(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  href: z.string().describe('GET it here'),
  signature: signatureReportSchema,
});

const verificationSchema = signatureReportSchema.extend({
  signedByAgency: z
    .object({ agencyCode: z.string() })
    .nullable()
    .describe('The agency that signs with the signer\'s certificate: one of this engine\'s, or one the agency catalogue gives it to (its declared certificates, or its code in the subject); null makes the document invalid'),
  issuedByThisEngine: z
    .object({ dossierCode: z.string(), documentId: z.string(), kind: z.enum(DOCUMENT_KINDS), number: z.string(), issuedAt: z.string() })
    .nullable()
    .describe('The record of this exact file, when this engine issued it or recorded it as a result'),
});

function describe(row: IssuedDocument) {
  const data = row.payload;
  return {
    documentId: data.documentId,
    kind: data.kind,
    number: data.number,
    issuedAt: data.issuedAt,
    issuerAgencyCode: data.issuerAgencyCode,
    forVersion: data.forVersion,
    sha256: data.file.sha256,
    size: data.file.size,
    mediaType: data.file.mediaType,
    href: `/documents/${data.file.sha256}`,
    signature: data.signature,
  };
}

export const documentRoutes: FastifyPluginAsyncZod<DocumentRoutesDeps> = async (app, { db, store, trustAnchorFiles, lookupKey }) => {
  const sendPdf = async (reply: Parameters<typeof sendProblem>[0], sha256: string, filename: string) => {
    const file = await store.get(sha256);
    if (!file) return sendProblem(reply, { type: 'urn:motcua:problem:document-not-found', title: 'Document not found', status: 404, detail: `No stored file has the digest ${sha256}.` });
    return reply
      .type(file.mediaType)
      .header('content-disposition', `inline; filename="${filename}"`)
      .header('etag', `"${sha256}"`)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(file.bytes);
  };

  app.get(
    '/dossiers/:code/documents',
    {
      schema: {
        summary: 'The documents issued for a dossier (forms 01–06, results), with their digests and signature reports',
        tags: ['documents'],
        params: dossierCodeParams,
        response: { 200: z.object({ items: z.array(documentSchema) }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { code } = request.params;
      if (!(await dossierExists(db, code))) return dossierNotFound(reply, code);
      if (!(await agencyTakesPart(db, callerOf(request), code))) return notYourDossier(reply, code);
      return { items: (await documentsIssuedFor(db, code)).map(describe) };
    },
  );

  app.get(
    '/documents/:sha256',
    {
      schema: {
        summary: 'A stored document (PDF) by its SHA-256, for the staff of a dossier it belongs to and auditors',
        tags: ['documents'],
        params: z.object({ sha256: sha256Schema }),
        response: { 200: { description: 'The file as it was issued', content: { 'application/pdf': { schema: pdfSchema } } }, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { sha256 } = request.params;
      const caller = callerOf(request);
      const owners = await documentsWithDigest(db, sha256);
      let allowed = false;
      for (const owner of owners) if (await agencyTakesPart(db, caller, owner.stream_id)) allowed = true;
      // Unknown and not-yours look the same, so a digest does not reveal a dossier.
      if (!allowed) return sendProblem(reply, { type: 'urn:motcua:problem:document-not-found', title: 'Document not found', status: 404, detail: `No document with the digest ${sha256} belongs to a dossier your agency takes part in.` });
      return sendPdf(reply, sha256, `${owners[0]!.payload.documentId.replaceAll('/', '_')}.pdf`);
    },
  );

  app.get(
    '/lookup/:code/result',
    {
      schema: {
        summary: 'The citizen\'s signed result (PDF), with the code and the lookup secret on the receipt; no token',
        tags: ['citizens'],
        security: [],
        params: dossierCodeParams,
        querystring: lookupSecretQuery,
        response: { 200: { description: 'The latest result issued, as signed', content: { 'application/pdf': { schema: pdfSchema } } }, 400: problemSchema, 404: problemSchema },
      },
      config: { access: { public: true } },
    },
    async (request, reply) => {
      const { code } = request.params;
      const notFound = () =>
        sendProblem(reply, { type: 'urn:motcua:problem:result-not-found', title: 'Result not found', status: 404, detail: 'No result matches this code and lookup secret yet. Check both on the receipt (form 01); the result is here once it is issued.' });
      if (!isLookupSecret(lookupKey, code, request.query.secret)) return notFound();
      const results = await resultsIssuedFor(db, code);
      const latest = results[results.length - 1];
      if (!latest) return notFound();
      return sendPdf(reply, latest.payload.file.sha256, `${latest.payload.number.replace(/^Số: /, '')}.pdf`);
    },
  );

  // Anyone may check a document: a citizen, a bank, another agency. The body is the PDF itself.
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: VERIFY_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/verify',
    {
      schema: {
        summary: 'Verify a signed PDF: valid or invalid with reasons, the signer, and whether this engine issued this exact file',
        description: 'Send the PDF as the body with `Content-Type: application/pdf` (at most 20 MB). No token needed.',
        tags: ['documents'],
        security: [],
        response: { 200: verificationSchema, 400: problemSchema, 413: problemSchema, 415: problemSchema, 503: problemSchema },
      },
      // The body is the PDF itself, read by the parser above rather than validated by a schema, so
      // the document learns of it here.
      config: { access: { public: true }, swaggerTransform: (route) => withRequestBody(jsonSchemaTransform(route), 'application/pdf') },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        return sendProblem(reply, { type: 'urn:motcua:problem:validation-failed', title: 'The request is invalid', status: 400, detail: 'Send the PDF file as the request body with Content-Type: application/pdf.' });
      }
      return verification(reply, new Uint8Array(request.body));
    },
  );

  app.get(
    '/verify/results/:resultCode',
    {
      schema: {
        summary: 'Verify the result issued under a result code (<dossier code>-KQ<n>): valid or invalid with reasons',
        tags: ['documents'],
        security: [],
        params: z.object({ resultCode: resultCodeSchema }),
        response: { 200: verificationSchema, 400: problemSchema, 404: problemSchema, 503: problemSchema },
      },
      config: { access: { public: true } },
    },
    async (request, reply) => {
      const [issued] = await resultsNumbered(db, request.params.resultCode);
      const file = issued ? await store.get(issued.payload.file.sha256) : undefined;
      if (!issued || !file) {
        return sendProblem(reply, { type: 'urn:motcua:problem:result-not-found', title: 'Result not found', status: 404, detail: `No result was issued under ${request.params.resultCode}. Check the code on the result document.` });
      }
      return verification(reply, new Uint8Array(file.bytes));
    },
  );

  /** The agency that signs with this certificate: the engine's own documents first, then the catalogue's rule. */
  async function signingAgencyOf(signer: NonNullable<SignatureReport['signer']>): Promise<string | undefined> {
    const [own] = await documentsSignedWith(db, signer);
    if (own) return own.payload.issuerAgencyCode;
    const candidates = [
      ...(signer.certificateSha256 ? await agenciesDeclaringCertificate(db, signer.certificateSha256) : []),
      ...(await findAgencies(db, agencyCodesNamedBy(signer))),
    ];
    return agencyOfCertificate(candidates, signer)?.code;
  }

  async function verification(reply: Parameters<typeof sendProblem>[0], pdf: Uint8Array) {
    const trustAnchors = trustAnchorsOrUnavailable(reply, trustAnchorFiles);
    if (!trustAnchors) return reply;
    const report = await verifyPdfSignature(pdf, trustAnchors);
    const [known] = await documentsWithDigest(db, sha256Hex(pdf));
    // A trusted CA also certifies people and other organisations: a valid signature counts only
    // when the certificate is one an agency signs with: one the engine signs its own documents
    // with, or one the catalogue's rule gives to an agency (a competent body's result,
    // domain/catalogue/signing-identity.ts).
    const signer = report.signer;
    const agencyCode = signer ? await signingAgencyOf(signer) : undefined;
    const reasons = signer && !agencyCode ? [...report.reasons, 'The signer\'s certificate is not one an agency of this engine signs with (its own documents, or a certificate the agency catalogue gives to an agency), so the document was not issued by one of its agencies.'] : report.reasons;
    return {
      ...report,
      valid: report.valid && agencyCode !== undefined,
      reasons,
      signedByAgency: agencyCode ? { agencyCode } : null,
      issuedByThisEngine: known ? { dossierCode: known.stream_id, documentId: known.payload.documentId, kind: known.payload.kind, number: known.payload.number, issuedAt: known.payload.issuedAt } : null,
    };
  }
};
