// Commands on a dossier's files (docs/files.md): a component's scan or e-file attached to the
// dossier, and approved by the receiving official, which makes the component digitised.
import { z } from 'zod';
import { fileOriginSchema, sha256HexSchema, storedFileSchema } from '../files/file-model.js';
import { lineText } from '../text.js';
import { dossierCommand } from './command-envelope.js';

export const componentIdSchema = lineText(200).min(1).describe("The procedure component's id (thành phần hồ sơ)");

/** A file for a component, as it came in: what reception or a portal sends with it. */
export const componentFileSchema = z.object({
  componentId: componentIdSchema,
  file: storedFileSchema,
  origin: fileOriginSchema,
});
export type ComponentFile = z.infer<typeof componentFileSchema>;

/**
 * Attach a stored file to a component. The API has stored and checked the bytes first; the command
 * carries their digest. A replacement names the file it replaces, which stays in the log.
 */
export const attachComponentFileSchema = dossierCommand('AttachComponentFile', {
  ...componentFileSchema.shape,
  /** The receiving official approves the copy as they attach it (a scan they made themselves). */
  approve: z.boolean().default(false),
  replaces: sha256HexSchema.optional(),
});
export type AttachComponentFile = z.infer<typeof attachComponentFileSchema>;

/** The receiving official approves an attached file as the digitised copy of its component. */
export const approveComponentFileSchema = dossierCommand('ApproveComponentFile', {
  componentId: componentIdSchema,
  sha256: sha256HexSchema,
});
export type ApproveComponentFile = z.infer<typeof approveComponentFileSchema>;

/** An online submission as the portal identified it: the same portal id is the same submission. */
export const portalSubmissionSchema = z.object({
  /** The sending portal's name in the engine's configuration, e.g. dvcqg or the province's portal. */
  portal: lineText(50).min(1),
  /** The portal's own dossier id (its MaHoSo), unique per portal. */
  portalDossierId: lineText(100).min(1),
  /** When the applicant submitted it on the portal. */
  submittedAt: z.iso.datetime({ offset: true }),
  /** The applicant's account was authenticated with VNeID at this level (TaiKhoanDuocXacThucVoiVNeID). */
  assuranceLevel: z.number().int().min(1).max(4).optional(),
});
export type PortalSubmission = z.infer<typeof portalSubmissionSchema>;

/** At most this many files come with one reception. */
export const MAX_FILES_AT_RECEPTION = 100;
