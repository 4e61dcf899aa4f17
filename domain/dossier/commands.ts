import { z } from 'zod';
import { NOTICE_CHANNELS } from '../outbox/deliveries.js';
import { DOCUMENT_KINDS } from '../documents/document-model.js';
import { agencySchema } from '../catalogue/agency.js';
import { administrativeUnitCodeSchema, roleResolutionSchema } from '../catalogue/directory.js';
import { PROCEDURE_CODE_PATTERN, procedureVersionSchema } from '../catalogue/procedure.js';
import { freeText, lineText, nameText, storableText } from '../text.js';
import { agencyCodeSchema } from './actor.js';
import { commandEnvelope, dossierCommand, stepCommand, text } from './command-envelope.js';
import { calendarAmendmentSchema } from '../calendar/calendar-schemas.js';
import { adoptCalendarAmendmentSchema } from './calendar-commands.js';
import { issueLatenessApologySchema, recordLatenessExplanationSchema } from './lateness-commands.js';
import { issueResultSchema, recordDocumentIssuedSchema } from './document-commands.js';
import { recordPaymentSchema, requestFinancialObligationSchema, requestPaymentSchema } from './payment-commands.js';
import { recordStepHandOffSchema, reportExternalProgressSchema, systemAnswerFields } from './interagency-commands.js';
import { approveComponentFileSchema, attachComponentFileSchema, componentFileSchema, MAX_FILES_AT_RECEPTION, portalSubmissionSchema } from './file-commands.js';

// Channels through which a dossier reaches the one-stop unit (KenhThucHien on the national portal):
// at the counter (trực tiếp), online (trực tuyến), through the public postal service (bưu chính công ích).
export const CHANNELS = ['counter', 'online', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The applicant (tổ chức, cá nhân). Personal data: never logged, read only by roles that need it. */
export const applicantSchema = z.object({
  kind: z.enum(['citizen', 'organisation']),
  fullName: nameText(300),
  // Citizen: 12-digit personal identification number (CCCD); organisation: enterprise or tax code.
  identityNumber: z.string().regex(/^[0-9A-Z-]{6,20}$/, 'must be 6 to 20 digits, capitals or dashes'),
  phone: z.string().regex(/^\+?[0-9 .-]{8,20}$/, 'must be a phone number of 8 to 20 digits').optional(),
  email: z.email().max(320).optional(),
  address: freeText({ max: 500, multiline: true }).optional(),
  /**
   * The authorised representative (người được ủy quyền), when someone files on the applicant's
   * behalf: notices go to them (docs/integrations.md#who-is-told-on-which-channels-and-when).
   */
  representative: z
    .object({
      fullName: nameText(300),
      identityNumber: z.string().regex(/^[0-9A-Z-]{6,20}$/, 'must be 6 to 20 digits, capitals or dashes').optional(),
      phone: z.string().regex(/^\+?[0-9 .-]{8,20}$/, 'must be a phone number of 8 to 20 digits').optional(),
      email: z.email().max(320).optional(),
    })
    .strict()
    .optional(),
  /**
   * How the applicant agreed to be told of their dossier: the channels, most preferred first; an
   * empty list declines every notice. Absent: the deployment's default (docs/integrations.md#citizen-notices).
   */
  notices: z
    .object({
      channels: z
        .array(z.enum(NOTICE_CHANNELS))
        .max(NOTICE_CHANNELS.length)
        .refine((channels) => new Set(channels).size === channels.length, 'must not name a channel twice'),
    })
    .strict()
    .optional(),
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
  /** Reception regardless of administrative boundary (docs/catalogue.md): whose bodies resolve it, if not the centre's own commune. */
  locality: administrativeUnitCodeSchema.optional().describe("Administrative unit code of the locality whose bodies resolve the dossier; defaults to the receiving centre's own"),
}).meta({
  examples: [
    { agencyCode: '000.01.01.H99', procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345', phone: '0912 345 678' } },
  ],
});
export type ReceptionRequest = z.infer<typeof receptionRequestSchema>;

/** How the receiving centre names itself on its documents, pinned at reception from the catalogue. */
export const centreHeaderSchema = z.object({
  name: lineText(500).min(1),
  superior: lineText(500).min(1).optional(),
  place: lineText(500).min(1).optional(),
});
export type CentreHeader = z.infer<typeof centreHeaderSchema>;

/** Register a dossier at reception (tiếp nhận hồ sơ). */
export const receiveDossierSchema = receptionRequestSchema.extend({
  type: z.literal('ReceiveDossier'),
  /** Set by the API from the agency catalogue, never by the client. */
  centre: centreHeaderSchema.optional(),
  /** Set by the API from the procedure version in force that day, so forms 02 and 03 at reception name the procedure before acceptance pins it. */
  procedureName: lineText(1000).min(1).optional(),
  ...commandEnvelope,
  dossierCode: lineText(100).min(1),
  /** When reception registered the dossier; its Vietnamese date is the one in the dossier code. */
  receivedAt: z.iso.datetime(),
  /** The files that came with the dossier (an online submission's), stored and checked by the API first. */
  files: z.array(componentFileSchema).max(MAX_FILES_AT_RECEPTION).optional(),
  /** Set by the portal intake: which portal sent it, under which of its ids. */
  submission: portalSubmissionSchema.optional(),
});
export type ReceiveDossier = z.infer<typeof receiveDossierSchema>;

/** What a form 02 lists: each missing or faulty paper and why (everything in one list). */
export const missingItemSchema = z.object({
  componentId: lineText(200).min(1).optional().describe('The procedure component, when the item is one'),
  description: text(1000),
  reason: text(1000),
});
export type MissingItem = z.infer<typeof missingItemSchema>;

/**
 * A paper as reception checked it. Whether it is digitised or reused is no longer said here: it is
 * derived from the component's file events (AttachComponentFile, ApproveComponentFile; docs/files.md).
 */
export const submittedComponentSchema = z.object({
  componentId: lineText(200).min(1),
  form: z.enum(['original', 'certified-copy', 'photocopy']),
});
/**
 * As events record it. Events before the file events carry the two flags staff ticked then; they
 * are kept as they were recorded and still count in the reports of those dossiers.
 */
export type SubmittedComponent = z.infer<typeof submittedComponentSchema> & { readonly digitised?: boolean; readonly reusedFromData?: boolean };

/**
 * Accept a complete dossier: form 01, the receipt with its appointment. The API pins the procedure
 * version in force and the agencies of its route into the command, so the decision and its replay
 * never depend on a catalogue read inside the workflow.
 */
export const acceptDossierSchema = dossierCommand('AcceptDossier', {
  components: z.array(submittedComponentSchema),
  pinned: z.object({
    procedure: procedureVersionSchema,
    agencies: z.array(agencySchema).min(1),
    /** The holiday calendar version in force (e.g. 2025.1 of vn-civil-service). */
    calendarVersion: lineText(100).min(1),
    resolution: roleResolutionSchema.optional().describe('Which role became which agency, under which directory version'),
    /**
     * The civil-service calendar's amendments loaded as data (not compiled in) and in force at
     * acceptance, so the dossier's calendar is whole without reading the store (docs/deadlines.md).
     */
    calendarAmendments: z.array(calendarAmendmentSchema).optional(),
  }),
});
export type AcceptDossier = z.infer<typeof acceptDossierSchema>;

/** Form 02 at reception: the dossier is incomplete; everything missing in one list. */
export const requestSupplementAtReceptionSchema = dossierCommand('RequestSupplementAtReception', {
  missing: z.array(missingItemSchema).min(1),
});

/** Form 03: refused at reception (not eligible, not within competence). */
export const refuseAtReceptionSchema = dossierCommand('RefuseAtReception', {
  reasons: z.array(text(1000)).min(1),
  legalBasis: text(500),
});

/** The applicant brought what form 02 asked for (at reception or during processing). */
export const provideSupplementSchema = dossierCommand('ProvideSupplement', {
  components: z.array(submittedComponentSchema).default([]),
  note: text(1000).optional(),
});

export const assignHandlerSchema = stepCommand('AssignHandler', {
  handlerUserId: freeText({ max: 200 }),
});

/** The step's work is done; when its stage is done the dossier moves on (phiếu chuyển xử lý). */
export const completeStepSchema = stepCommand('CompleteStep', {
  outcome: z.enum(['approved', 'not-approved']),
  note: text(2000).optional(),
  ...systemAnswerFields.completeStep,
});

/** Return the dossier to the previous stage for rework. */
export const sendStepBackSchema = stepCommand('SendStepBack', {
  reason: text(2000),
  ...systemAnswerFields.stepRun,
});

/** Ask another body's opinion with a deadline (Decree 61 art. 19(5)); the clock keeps running. */
export const consultBodySchema = stepCommand('ConsultBody', {
  consultationId: z.string().regex(/^[a-z0-9-]{1,50}$/, 'must be a short lower-case identifier'),
  bodyAgencyCode: agencyCodeSchema,
  question: text(4000),
  replyBy: z.iso.datetime({ offset: true }),
});

export const recordConsultationReplySchema = dossierCommand('RecordConsultationReply', {
  consultationId: lineText(50).min(1),
  reply: text(4000),
});

/** Form 02 during processing, returned through the one-stop centre (Decree 61 art. 19(4)). */
export const requestSupplementSchema = stepCommand('RequestSupplement', {
  missing: z.array(missingItemSchema).min(1),
  /** Required for a second request: the law allows one, and Decision 766 counts the dossier late. */
  reasonForAnotherRequest: text(2000).optional(),
  ...systemAnswerFields.stepRun,
});

/** Refusal to resolve after appraisal, with reasons, within the time limit (Decree 61 art. 19(8)). */
export const refuseToResolveSchema = dossierCommand('RefuseToResolve', {
  reasons: z.array(text(2000)).min(1),
  legalBasis: text(500),
});

/** Form 04: apology and new appointment (Decree 61 art. 19(9)). */
export const issueApologySchema = dossierCommand('IssueApology', {
  reason: text(2000),
  newAppointment: z.iso.datetime({ offset: true }),
});

export const returnResultSchema = dossierCommand('ReturnResult', {
  method: z.enum(['counter', 'post', 'electronic']),
  /** Early return needs the applicant told in advance (Decree 61 art. 20). */
  applicantNotifiedInAdvance: z.boolean().default(false),
});

export const requestWithdrawalSchema = dossierCommand('RequestWithdrawal', {
  reason: text(2000),
});

/** The competent body decides on a withdrawal request: form 05 when it stops processing. */
export const decideWithdrawalSchema = dossierCommand('DecideWithdrawal', {
  approved: z.boolean(),
  reason: text(2000),
});

/** The national portal's three levels (docs/citizens.md#evaluating-your-dossier). */
export const EVALUATION_RATINGS = ['very-satisfied', 'satisfied', 'not-satisfied'] as const;
export type EvaluationRating = (typeof EVALUATION_RATINGS)[number];

/**
 * The applicant's evaluation. A citizen gives it online with the receipt's code and secret (actor
 * role `citizen`, source `online`); staff enter only a paper form the centre collected (source
 * `paper-form`, with the form's reference), never an evaluation on the applicant's behalf.
 */
export const recordEvaluationSchema = dossierCommand('RecordEvaluation', {
  rating: z.enum(EVALUATION_RATINGS),
  comment: text(2000).optional(),
  source: z.enum(['online', 'paper-form']),
  /** The paper form's number or label as the centre filed it; required with `paper-form`. */
  paperFormReference: lineText(100).min(1).optional(),
});


/** Raised by the workflow's own timers from the legal clock, never by a person. */
export const markDeadlineSchema = dossierCommand('MarkDeadline', {
  scope: z.discriminatedUnion('kind', [z.object({ kind: z.literal('dossier') }), z.object({ kind: z.literal('step'), stepId: lineText(200).min(1) })]),
  alert: z.enum(['due-soon', 'overdue']),
});

export { issueResultSchema, recordDocumentIssuedSchema, signatureReportSchema, type SignatureReport } from './document-commands.js';
export { recordPaymentSchema, requestFinancialObligationSchema, requestPaymentSchema } from './payment-commands.js';

/** Every command a dossier takes after reception, by type. */
export const lifecycleCommandSchema = z.discriminatedUnion('type', [
  acceptDossierSchema,
  requestSupplementAtReceptionSchema,
  refuseAtReceptionSchema,
  provideSupplementSchema,
  assignHandlerSchema,
  completeStepSchema,
  sendStepBackSchema,
  consultBodySchema,
  recordConsultationReplySchema,
  requestSupplementSchema,
  requestFinancialObligationSchema,
  recordPaymentSchema,
  refuseToResolveSchema,
  issueApologySchema,
  issueResultSchema,
  returnResultSchema,
  requestWithdrawalSchema,
  decideWithdrawalSchema,
  recordEvaluationSchema,
  requestPaymentSchema,
  markDeadlineSchema,
  recordDocumentIssuedSchema,
  issueLatenessApologySchema,
  recordLatenessExplanationSchema,
  adoptCalendarAmendmentSchema,
  attachComponentFileSchema,
  approveComponentFileSchema,
  recordStepHandOffSchema,
  reportExternalProgressSchema,
]);
export type LifecycleCommand = z.infer<typeof lifecycleCommandSchema>;
export type DossierCommand = ReceiveDossier | LifecycleCommand;
export type CommandOfType<T extends DossierCommand['type']> = Extract<DossierCommand, { type: T }>;
