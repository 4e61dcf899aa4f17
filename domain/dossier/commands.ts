import { z } from 'zod';
import { actorSchema, agencyCodeSchema } from './actor.js';

// Channels through which a dossier reaches the one-stop unit (KenhThucHien on the national portal):
// at the counter (trực tiếp), online (trực tuyến), through the public postal service (bưu chính công ích).
export const CHANNELS = ['counter', 'online', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];

// National procedure code from the National TTHC Database, e.g. 1.001193, optionally with a
// provincial suffix such as 1.000948.H38 (../shared/domain.md §5).
export const PROCEDURE_CODE_PATTERN = /^[12]\.\d{6}(\.[0-9A-Z]{1,8})*$/;

/** The applicant (tổ chức, cá nhân). Personal data: never logged, read only by roles that need it. */
export const applicantSchema = z.object({
  kind: z.enum(['citizen', 'organisation']),
  fullName: z.string().trim().min(1).max(300),
  // Citizen: 12-digit personal identification number (CCCD); organisation: enterprise or tax code.
  identityNumber: z.string().regex(/^[0-9A-Z-]{6,20}$/, 'must be 6 to 20 digits, capitals or dashes'),
  phone: z.string().regex(/^\+?[0-9 .-]{8,20}$/, 'must be a phone number of 8 to 20 digits').optional(),
  email: z.email().max(320).optional(),
  address: z.string().trim().min(1).max(500).optional(),
});
export type Applicant = z.infer<typeof applicantSchema>;

/** What reception staff send to register a dossier: the body of `POST /dossiers`. */
export const receptionRequestSchema = z.object({
  agencyCode: agencyCodeSchema.describe('The receiving one-stop unit'),
  procedureCode: z
    .string()
    .regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193')
    .describe('National procedure code (mã TTHC)'),
  channel: z.enum(CHANNELS),
  applicant: applicantSchema,
});
export type ReceptionRequest = z.infer<typeof receptionRequestSchema>;

const commandEnvelope = {
  /** Unique per command: the Temporal update id and the causation id of the events it produces. */
  commandId: z.string().min(1).max(200),
  actor: actorSchema,
};

/** Register a dossier at reception (tiếp nhận hồ sơ). */
export const receiveDossierSchema = receptionRequestSchema.extend({
  type: z.literal('ReceiveDossier'),
  ...commandEnvelope,
  dossierCode: z.string().min(1),
  /** When reception registered the dossier; its Vietnamese date is the one in the dossier code. */
  receivedAt: z.iso.datetime(),
});
export type ReceiveDossier = z.infer<typeof receiveDossierSchema>;

export type DossierCommand = ReceiveDossier;
