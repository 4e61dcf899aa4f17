// What an outside system answers about a step it carries out (docs/integrations.md#interagency):
// the engine's own reference contract, which the loopback doubles speak and which an adapter for a
// real system translates its answers into. Each answer is one thing the system did, identified by
// the system's own id (a resend is recognised by it) and numbered per dossier (`sequence`), so
// answers that arrive out of order are applied in the order the system gave them.
import { z } from 'zod';
import { isoDateSchema } from '../calendar/date-schemas.js';
import { missingItemSchema } from '../dossier/commands.js';
import { freeText, lineText } from '../text.js';
import { FILE_MEDIA_TYPES } from '../files/file-rules.js';

/** The largest file an answer may carry inline, before base64 (a notice, a receipt, a result). */
export const MAX_ANSWER_FILE_BYTES = 10 * 1024 * 1024;
/** Answers in one callback or one page of a poll. */
export const MAX_ANSWERS_PER_MESSAGE = 50;

const text = (max: number) => freeText({ max, multiline: true });

/** A file an answer carries: its bytes inline, checked and stored by the engine like any upload. */
export const answerFileSchema = z
  .object({
    name: lineText(255).min(1),
    mediaType: z.enum(FILE_MEDIA_TYPES),
    contentBase64: z
      .string()
      .max(Math.ceil(MAX_ANSWER_FILE_BYTES / 3) * 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be standard base64 without line breaks'),
  })
  .strict();
export type AnswerFile = z.infer<typeof answerFileSchema>;

export const ANSWER_KINDS = ['progress', 'completed', 'sent-back', 'refused', 'supplement-requested', 'financial-obligation', 'payment-receipt'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

const answerEnvelope = {
  /** The system's own id of this answer: unique within the system; a resend carries the same one. */
  answerId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1 to 100 letters, digits, dots, colons, underscores or dashes'),
  dossierCode: lineText(100).min(1),
  stepId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,199}$/, 'must be the step id the hand-off named'),
  /** The step's run the hand-off named (a step sent back and done again has run 2, 3, …). */
  run: z.number().int().min(1).max(1000),
  /** 1, 2, 3, … per dossier, in the order the system did things: the engine applies them in that order. */
  sequence: z.number().int().min(1).max(1_000_000),
  /** When the system did it, with its offset. The engine's own time of receipt is what the clock counts. */
  at: z.iso.datetime({ offset: true }),
};

export const interagencyAnswerSchema = z.discriminatedUnion('kind', [
  /** The system took the step further (received, measuring, awaiting signature): shown, changes nothing. */
  z.object({ ...answerEnvelope, kind: z.literal('progress'), status: lineText(200).min(1), note: text(2000).optional() }).strict(),
  /** The step is done and approved; with the system's result file and, for civil status, the registration. */
  z
    .object({
      ...answerEnvelope,
      kind: z.literal('completed'),
      note: text(2000).optional(),
      file: answerFileSchema.optional(),
      /** Civil status: the number (and book) under which the system recorded the registration. */
      registration: z.object({ number: lineText(100).min(1), book: lineText(200).min(1).optional() }).strict().optional(),
    })
    .strict(),
  /** Back to the previous stage for rework. */
  z.object({ ...answerEnvelope, kind: z.literal('sent-back'), reason: text(2000) }).strict(),
  /** The body will not do its task: the step is completed as not approved, for the competent head to decide. */
  z.object({ ...answerEnvelope, kind: z.literal('refused'), reasons: z.array(text(2000)).min(1).max(20), legalBasis: text(500).optional() }).strict(),
  /** Form 02 during processing: the applicant must supplement; the clock stops. */
  z
    .object({
      ...answerEnvelope,
      kind: z.literal('supplement-requested'),
      missing: z.array(missingItemSchema).min(1).max(50),
      /** Required by the dossier's rules for a second or later request during processing (it makes the dossier late). */
      reasonForAnotherRequest: text(2000).optional(),
    })
    .strict(),
  /** The tax authority's notice of a financial obligation (thông báo nộp tiền): the clock stops until payment. */
  z
    .object({
      ...answerEnvelope,
      kind: z.literal('financial-obligation'),
      noticeNumber: lineText(100).min(1),
      amountVnd: z.number().int().positive().max(1e15),
      /** The last day to pay, as the notice states it. */
      dueDate: isoDateSchema,
      file: answerFileSchema.optional(),
    })
    .strict(),
  /** The tax authority's receipt of payment (chứng từ nộp tiền): the obligation is settled, the clock runs again. */
  z
    .object({
      ...answerEnvelope,
      kind: z.literal('payment-receipt'),
      receiptNumber: lineText(100).min(1),
      amountVnd: z.number().int().positive().max(1e15),
      paidAt: z.iso.datetime({ offset: true }),
      method: z.enum(['counter', 'bank-transfer', 'online']),
      file: answerFileSchema.optional(),
    })
    .strict(),
]);
export type InteragencyAnswer = z.infer<typeof interagencyAnswerSchema>;

/** A callback's body: the answers the system sends at once, each applied on its own. */
export const answerBatchSchema = z.object({ answers: z.array(interagencyAnswerSchema).min(1).max(MAX_ANSWERS_PER_MESSAGE) }).strict();

/** A page of answers when the engine polls: the next page starts after `next`. */
export const answerPageSchema = z
  .object({ answers: z.array(interagencyAnswerSchema).max(MAX_ANSWERS_PER_MESSAGE), next: lineText(200).min(1).nullable() })
  .strict();
