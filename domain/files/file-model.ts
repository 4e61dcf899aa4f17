// A file that belongs to a dossier, as the events record it: its digest in the content-addressed
// store (documents/document-store.ts), its size and type as the bytes showed them when it came in,
// and where it came from. The bytes themselves never travel in a command or an event.
import { z } from 'zod';
import { lineText } from '../text.js';
import { agencyCodeSchema } from '../dossier/actor.js';

import { FILE_MEDIA_TYPES } from './file-rules.js';

export { FILE_MEDIA_TYPES, type FileMediaType } from './file-rules.js';
export const fileMediaTypeSchema = z.enum(FILE_MEDIA_TYPES);

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256 digest');

export const storedFileSchema = z.object({
  sha256: sha256HexSchema,
  size: z.number().int().positive(),
  mediaType: fileMediaTypeSchema,
  /** Pages of a PDF, as counted when it came in. */
  pages: z.number().int().positive().optional(),
  /** The file's name as the sender gave it: personal data like the bytes, shown only to who may read them. */
  name: lineText(255).min(1).optional(),
});
export type StoredFile = z.infer<typeof storedFileSchema>;

/** Where a component's file came from; the reuse indicator (Decision 766, 4.3) counts the last three. */
export const fileOriginSchema = z.discriminatedUnion('kind', [
  /** Scanned or uploaded by the official who holds the dossier. */
  z.object({ kind: z.literal('upload') }),
  /** Sent with an online submission by a public-service portal. */
  z.object({ kind: z.literal('portal'), portal: lineText(50).min(1) }),
  /** An approved file of the same applicant's earlier dossier (TaiLieuNop.DuocTaiSuDung = 1). */
  z.object({ kind: z.literal('earlier-dossier'), dossierCode: lineText(100).min(1), componentId: lineText(200).min(1) }),
  /** A result this engine issued to the same applicant (DuocTaiSuDung = 2). */
  z.object({ kind: z.literal('issued-result'), dossierCode: lineText(100).min(1), resultCode: lineText(120).min(1) }),
  /** The applicant's e-data store on the national portal (DuocLayTuKhoDMQG = 1). */
  z.object({
    kind: z.literal('data-store'),
    store: z.literal('national-portal'),
    /** MaKetQua: the kind of paper in the national catalogue. */
    documentCode: lineText(100).min(1).optional(),
    /** SoKyHieu: the paper's number. */
    documentNumber: lineText(200).min(1).optional(),
    /** CoQuanChuQuan: who keeps it. */
    keeper: lineText(500).min(1).optional(),
    keeperAgencyCode: agencyCodeSchema.optional(),
  }),
]);
export type FileOrigin = z.infer<typeof fileOriginSchema>;
