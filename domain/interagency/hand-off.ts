// What the engine sends an outside system for a step it carries out (docs/integrations.md#interagency):
// the engine's reference contract, spoken by the loopback doubles; an adapter for a real system
// builds that system's own request from the same facts. Built from the dossier's events up to the
// one that caused the delivery, so a resend is the same message under the same key.
import { z } from 'zod';
import { applicantSchema } from '../dossier/commands.js';
import { FILE_MEDIA_TYPES } from '../files/file-rules.js';
import { lineText, freeText } from '../text.js';
import { INTERAGENCY_SYSTEMS } from './systems.js';

/**
 * Why the engine writes: `hand-off`, the step reached the system's body (its clock started);
 * `update`, the applicant supplemented or paid while the system holds the step (the files and
 * facts are sent again, whole); `cancel`, the dossier ended (withdrawn, refused, stopped) while the
 * system held the step: it should do no more.
 */
export const HAND_OFF_KINDS = ['hand-off', 'update', 'cancel'] as const;
export type HandOffKind = (typeof HAND_OFF_KINDS)[number];

const linkedFileSchema = z
  .object({
    name: lineText(255).min(1).optional(),
    mediaType: z.enum(FILE_MEDIA_TYPES),
    size: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** A signed link valid for 30 to 60 days (integrations/outbox/channels.ts publicFileLinks). */
    url: z.url(),
  })
  .strict();

export const handOffMessageSchema = z
  .object({
    /** The delivery's idempotency key: also the `Idempotency-Key` header. */
    key: lineText(200).min(1),
    kind: z.enum(HAND_OFF_KINDS),
    system: z.enum(INTERAGENCY_SYSTEMS),
    dossier: z
      .object({
        code: lineText(100).min(1),
        receivingAgencyCode: lineText(50).min(1),
        competentAgencyCode: lineText(50).min(1),
        procedure: z.object({ code: lineText(50).min(1), version: lineText(100).min(1), name: freeText({ max: 2000 }) }).strict(),
        receivedAt: z.iso.datetime({ offset: true }),
        acceptedAt: z.iso.datetime({ offset: true }),
        /** The appointment in force (ngày hẹn trả). */
        appointment: z.iso.datetime({ offset: true }),
        applicant: applicantSchema,
        components: z.array(z.object({ componentId: lineText(200).min(1), name: freeText({ max: 2000 }), files: z.array(linkedFileSchema) }).strict()),
      })
      .strict(),
    step: z
      .object({
        stepId: lineText(200).min(1),
        run: z.number().int().min(1),
        agencyCode: lineText(50).min(1),
        task: freeText({ max: 4000, multiline: true }),
        startedAt: z.iso.datetime({ offset: true }),
        /** When the step is due on the legal clock (its own budget). */
        due: z.iso.datetime({ offset: true }),
        /** What earlier steps of this dossier produced, for the next body (the land office's transfer slip for tax). */
        earlierResults: z.array(z.object({ stepId: lineText(200).min(1), files: z.array(linkedFileSchema) }).strict()),
      })
      .strict(),
    /** Where the system sends its answers (docs/integrations.md#interagency), unless it is polled. */
    answers: z.object({ callbackUrl: z.url().optional(), mode: z.enum(['callback', 'poll']) }).strict(),
    /** `cancel`: why the dossier ended. */
    reason: freeText({ max: 2000, multiline: true }).optional(),
  })
  .strict();
export type HandOffMessage = z.infer<typeof handOffMessageSchema>;
