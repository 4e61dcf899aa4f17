// The commands of signed documents: the competent body's result, with the report of its signature
// check, and the record of a document the engine itself rendered and signed (docs/documents.md).
import { z } from 'zod';
import { DOCUMENT_KINDS } from '../documents/document-model.js';
import { freeText, lineText, storableText } from '../text.js';
import { agencyCodeSchema } from './actor.js';
import { dossierCommand } from './command-envelope.js';

/** What a signature check found: the report recorded with every signed document. */
export const signatureReportSchema = z.object({
  valid: z.boolean(),
  reasons: z.array(storableText(2000, { multiline: true })),
  signer: z.object({
    subject: lineText(2000),
    serialNumber: lineText(200),
    issuer: lineText(2000),
    notBefore: lineText(100),
    notAfter: lineText(100),
    /** Absent in reports recorded before results were checked against the competent body. */
    certificateSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    organizationIdentifiers: z.array(lineText(500)).max(20).optional(),
    organizationalUnits: z.array(lineText(500)).max(20).optional(),
  }).optional(),
  digestAlgorithm: lineText(100).optional(),
  signingTime: lineText(100).optional(),
  coversWholeDocument: z.boolean(),
});
export type SignatureReport = z.infer<typeof signatureReportSchema>;

/**
 * The result is ready: the file the competent body signed (decision, certificate, licence). The API
 * verified the PDF's signature and its signer, and stored the file; the command carries only what it
 * found (never the bytes), and the rules check again what they can without I/O.
 */
export const issueResultSchema = dossierCommand('IssueResult', {
  document: z.object({
    reference: freeText({ max: 200 }).describe('Số, ký hiệu of the result document'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256 digest'),
    size: z.number().int().positive(),
    mediaType: z.literal('application/pdf'),
  }),
  /** The verifier's report on the file's signature, against the configured trust anchors. */
  signature: signatureReportSchema,
  /** The agency the signer's certificate belongs to (domain/catalogue/signing-identity.ts). */
  signerAgencyCode: agencyCodeSchema,
});

/**
 * Record a document the engine rendered and signed for this dossier (a form, the result). Sent by
 * the workflow after the document activity, never by a person.
 */
export const recordDocumentIssuedSchema = dossierCommand('RecordDocumentIssued', {
  kind: z.enum(DOCUMENT_KINDS),
  documentId: lineText(300).min(1),
  number: lineText(300).min(1),
  forVersion: z.number().int().min(1),
  issuerAgencyCode: agencyCodeSchema,
  issuedAt: z.iso.datetime({ offset: true }),
  file: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().positive(), mediaType: z.literal('application/pdf') }),
  signature: signatureReportSchema,
});
