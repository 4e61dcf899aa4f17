// The commands a feedback item (PAKN) takes, as zod schemas: the API validates bodies with them and
// the feedback decider (./decide-feedback.ts) decides them. The envelope is the dossier's (command
// id = Temporal update id, actor, optimistic version) with the item's id instead of a dossier code.
import { z } from 'zod';
import { calendarAmendmentSchema } from '../calendar/calendar-schemas.js';
import { storedFileSchema } from '../files/file-model.js';
import { freeText, lineText, nameText } from '../text.js';
import { actorSchema, agencyCodeSchema } from '../dossier/actor.js';
import { FEEDBACK_CATEGORIES, FEEDBACK_CHANNELS, FEEDBACK_CLOCKS } from './events.js';

/** `PAKN-<unit>-<YYMMDD>-<NNNN>`: the receiving unit, the day it was received, that day's serial there. */
export const FEEDBACK_ID_PATTERN = /^PAKN-[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}-[0-9]{6}-[0-9]{4,7}$/;
export const feedbackIdSchema = z.string().regex(FEEDBACK_ID_PATTERN, 'must be a feedback id PAKN-<unit>-<YYMMDD>-<serial>, e.g. PAKN-000.01.01.H99-261203-0001');

const text = (max: number) => freeText({ max, multiline: true });

export const feedbackEnvelope = {
  commandId: lineText(500).min(1),
  actor: actorSchema,
  feedbackId: feedbackIdSchema,
  expectedStreamVersion: z.number().int().nonnegative().optional(),
};

function feedbackCommand<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ ...feedbackEnvelope, type: z.literal(type), ...shape });
}

export const feedbackSubmitterSchema = z
  .object({
    fullName: nameText(300),
    email: z.email().max(320).optional(),
    phone: z.string().regex(/^\+?[0-9 .-]{8,20}$/, 'must be a phone number of 8 to 20 digits').optional(),
    address: text(500).optional(),
  })
  .strict();

/** The limits in working days (766 §5.2); a deployment may set others (docs/feedback.md). */
export const feedbackLimitsSchema = z
  .object({
    refuse: z.number().int().min(1).max(60),
    infoRequest: z.number().int().min(1).max(60),
    answer: z.number().int().min(1).max(120),
    publish: z.number().int().min(1).max(60),
  })
  .strict();
export const DEFAULT_FEEDBACK_LIMITS = { refuse: 2, infoRequest: 5, answer: 15, publish: 2 } as const;

export const receiveFeedbackSchema = feedbackCommand('ReceiveFeedback', {
  agencyCode: agencyCodeSchema,
  channel: z.enum(FEEDBACK_CHANNELS),
  submitter: feedbackSubmitterSchema,
  title: lineText(300).min(1),
  content: text(10_000).min(1),
  attachments: z.array(storedFileSchema).max(10).default([]),
  dossierCode: lineText(100).min(1).optional(),
  /** When the citizen sent it; staff entering a paper item give the date on it. Not after `now`. */
  sentAt: z.iso.datetime({ offset: true }),
  externalId: lineText(200).min(1).optional(),
  followUpOf: feedbackIdSchema.optional(),
  calendarVersion: lineText(100).min(1),
  /** The calendar amendments loaded as data in force at receipt (the sending path pins them). */
  calendarAmendments: z.array(calendarAmendmentSchema).optional(),
  limits: feedbackLimitsSchema,
});

export const classifyFeedbackSchema = feedbackCommand('ClassifyFeedback', {
  category: z.enum(FEEDBACK_CATEGORIES),
  dossierCode: lineText(100).min(1).optional(),
  note: text(2000).optional(),
});

export const acceptFeedbackSchema = feedbackCommand('AcceptFeedback', {});

export const transferFeedbackSchema = feedbackCommand('TransferFeedback', {
  toAgencyCode: agencyCodeSchema,
  toAgencyName: lineText(300).optional(),
  reason: text(2000).min(1),
  /**
   * Set by the engine from its agency catalogue (api/commands/send-feedback-command.ts): true when
   * the body is not one of the engine's units, so the item leaves the engine. A sender's value is replaced.
   */
  outside: z.boolean().optional(),
});

export const refuseFeedbackSchema = feedbackCommand('RefuseFeedback', {
  reason: text(2000).min(1),
  legalBasis: text(500).optional(),
});

export const requestFeedbackInformationSchema = feedbackCommand('RequestFeedbackInformation', {
  question: text(2000).min(1),
});

export const provideFeedbackInformationSchema = feedbackCommand('ProvideFeedbackInformation', {
  content: text(10_000).min(1),
  attachments: z.array(storedFileSchema).max(10).default([]),
  /**
   * How the sender's reply came: staff entering a reply that came on paper, by phone, e-mail or in
   * person name it (required of them); the sender's own reply online is `online-form` (the default).
   */
  channel: z.enum(FEEDBACK_CHANNELS).optional(),
});

export const answerFeedbackSchema = feedbackCommand('AnswerFeedback', {
  answer: text(20_000).min(1),
  signer: z.object({ fullName: nameText(300), title: lineText(200).min(1) }).strict(),
  legalBasis: text(1000).optional(),
  attachments: z.array(storedFileSchema).max(10).default([]),
  publish: z.boolean().default(true),
});

export const publishFeedbackSchema = feedbackCommand('PublishFeedback', {
  url: z.url().max(2000).optional(),
});

/** Raised by the workflow's timer, never by a person. */
export const markFeedbackDeadlineSchema = feedbackCommand('MarkFeedbackDeadline', {
  clock: z.enum(FEEDBACK_CLOCKS),
  alert: z.enum(['due-soon', 'overdue']),
});

/** The signed answer document, recorded by the workflow once issued. */
export const recordFeedbackAnswerDocumentSchema = feedbackCommand('RecordFeedbackAnswerDocument', {
  documentId: lineText(200).min(1),
  file: storedFileSchema,
  signer: lineText(300).min(1),
});

/** What the national PAKN system reports of an item: its id there, likes and dislikes. */
export const recordNationalFeedbackStatusSchema = feedbackCommand('RecordNationalFeedbackStatus', {
  externalId: lineText(200).min(1).optional(),
  likes: z.number().int().nonnegative().optional(),
  dislikes: z.number().int().nonnegative().optional(),
});

export const feedbackCommandSchema = z.discriminatedUnion('type', [
  receiveFeedbackSchema,
  classifyFeedbackSchema,
  acceptFeedbackSchema,
  transferFeedbackSchema,
  refuseFeedbackSchema,
  requestFeedbackInformationSchema,
  provideFeedbackInformationSchema,
  answerFeedbackSchema,
  publishFeedbackSchema,
  markFeedbackDeadlineSchema,
  recordFeedbackAnswerDocumentSchema,
  recordNationalFeedbackStatusSchema,
]);
export type FeedbackCommand = z.infer<typeof feedbackCommandSchema>;
export type FeedbackCommandType = FeedbackCommand['type'];
export type FeedbackCommandOfType<T extends FeedbackCommandType> = Extract<FeedbackCommand, { type: T }>;
