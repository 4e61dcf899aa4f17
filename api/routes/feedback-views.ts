// What the feedback routes answer about an item: the citizen's view (with the lookup secret: status,
// national label, dates, the question asked of them, the answer once it is theirs to read; nothing
// about the sender) and the staff view (everything, the sender included, for the roles that handle
// it). Both are built from the item's events (the texts) and its summary row (the clocks).
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { FEEDBACK_CATEGORIES, FEEDBACK_CHANNELS, FEEDBACK_CLOCKS, type FeedbackEvent } from '../../domain/feedback/events.js';
import { FEEDBACK_STATUSES, type FeedbackState, isReceivedFeedback, nationalFeedbackLabel, type ReceivedFeedback } from '../../domain/feedback/feedback-state.js';
import type { FeedbackSummaryRow } from '../../db/schema.js';
import { problemSchema, sendProblem } from '../problem-details.js';

export { problemSchema };

export const feedbackIdParams = z.object({
  id: z.string().regex(/^PAKN-[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}-[0-9]{6}-[0-9]{4,7}$/, 'must be a feedback id PAKN-<unit>-<YYMMDD>-<serial>, e.g. PAKN-000.01.01.H99-261203-0001'),
});

/** The secret as the sender may type it (given with the feedback id when the item was received). */
export const feedbackSecretSchema = z.string().regex(/^[0-9A-Za-z -]{1,40}$/, 'must be the lookup secret given with the feedback id (letters and digits)').describe('Mã tra cứu given when the item was received');

const fileSchema = z.object({ sha256: z.string(), size: z.number().int(), mediaType: z.string(), name: z.string().nullable() });

export const publicFeedbackViewSchema = z.object({
  feedbackId: z.string(),
  agencyCode: z.string().describe('The unit that holds it now'),
  title: z.string(),
  status: z.string().describe('The engine\'s status (docs/feedback.md#statuses-and-the-national-labels)'),
  nationalLabel: z.string().describe('The status as the national PAKN system labels it (Decision 766 §5.2)'),
  sentAt: z.string(),
  receivedAt: z.string(),
  question: z.string().nullable().describe('What the unit asks of the sender, while it waits for it (POST /lookup/feedback/{id}/information answers it)'),
  refusal: z.object({ reason: z.string(), legalBasis: z.string().nullable(), at: z.string() }).nullable(),
  transferredTo: z.object({ agencyCode: z.string(), name: z.string().nullable(), at: z.string() }).nullable().describe('The body outside the engine it was sent to'),
  answer: z
    .object({
      text: z.string(),
      at: z.string(),
      signer: z.string(),
      legalBasis: z.string().nullable(),
      document: z.boolean().describe('Whether the signed answer (PDF) can be downloaded'),
      attachments: z.array(fileSchema).describe('What the answer encloses: GET /lookup/feedback/{id}/files/{sha256} (with the secret) or, for staff, GET /feedback/{id}/files/{sha256}'),
    })
    .nullable()
    .describe('Once published, or at once when the answer is kept private (addressed to the sender alone)'),
  publishedAt: z.string().nullable(),
});
export type PublicFeedbackView = z.infer<typeof publicFeedbackViewSchema>;

const due = z.string().nullable();
export const staffFeedbackViewSchema = publicFeedbackViewSchema.extend({
  receivingAgencyCode: z.string(),
  channel: z.enum(FEEDBACK_CHANNELS),
  category: z.enum(FEEDBACK_CATEGORIES).nullable(),
  dossierCode: z.string().nullable(),
  externalId: z.string().nullable().describe('The national PAKN system\'s id (MaPAKN)'),
  followUpOf: z.string().nullable(),
  submitter: z.object({ fullName: z.string(), email: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable() }).describe('Personal data: never logged'),
  content: z.string(),
  attachments: z.array(fileSchema),
  information: z.array(z.object({ question: z.string(), askedAt: z.string(), reply: z.string().nullable(), repliedAt: z.string().nullable(), channel: z.enum(FEEDBACK_CHANNELS).nullable().describe('How the reply came: online-form (the sender, online) or the way staff entered it'), attachments: z.array(fileSchema) })),
  due: z.object({ refuse: due, infoRequest: due, answer: due, publish: due, next: due, nextClock: z.enum(FEEDBACK_CLOCKS).nullable() }).describe('When each clock runs out (working days on the unit\'s calendar)'),
  alerts: z.record(z.string(), z.array(z.string())),
  dueSoon: z.boolean(),
  overdue: z.boolean(),
  onTime: z.boolean().nullable(),
  answerDetails: z.object({ publish: z.boolean(), attachments: z.array(fileSchema), documentId: z.string().nullable() }).nullable(),
  likes: z.number().int(),
  dislikes: z.number().int(),
  streamVersion: z.number().int(),
});
export type StaffFeedbackView = z.infer<typeof staffFeedbackViewSchema>;

const iso = (value: Date | null | undefined) => value?.toISOString() ?? null;
const fileOf = (file: { sha256: string; size: number; mediaType: string; name?: string | undefined }) => ({ sha256: file.sha256, size: file.size, mediaType: file.mediaType, name: file.name ?? null });

/** The texts the state does not keep: the latest question, the sender's replies, the refusal, the answer. */
function texts(events: readonly FeedbackEvent[]) {
  let content = '';
  let attachments: ReturnType<typeof fileOf>[] = [];
  const information: StaffFeedbackView['information'] = [];
  let refusal: PublicFeedbackView['refusal'] = null;
  let transferredTo: PublicFeedbackView['transferredTo'] = null;
  let answer: { text: string; at: string; signer: string; legalBasis: string | null; publish: boolean; attachments: ReturnType<typeof fileOf>[] } | null = null;
  for (const event of events) {
    switch (event.type) {
      case 'FeedbackReceived':
        content = event.data.content;
        attachments = (event.data.attachments ?? []).map(fileOf);
        break;
      case 'FeedbackInformationRequested':
        information.push({ question: event.data.question, askedAt: event.data.at, reply: null, repliedAt: null, channel: null, attachments: [] });
        break;
      case 'FeedbackInformationProvided': {
        const open = information.at(-1);
        const files = (event.data.attachments ?? []).map(fileOf);
        const channel = event.data.channel ?? 'online-form';
        if (open && open.reply === null) Object.assign(open, { reply: event.data.content, repliedAt: event.data.at, channel, attachments: files });
        else information.push({ question: '', askedAt: event.data.at, reply: event.data.content, repliedAt: event.data.at, channel, attachments: files });
        break;
      }
      case 'FeedbackRefused':
        refusal = { reason: event.data.reason, legalBasis: event.data.legalBasis ?? null, at: event.data.at };
        break;
      case 'FeedbackTransferred':
        if (event.data.outside) transferredTo = { agencyCode: event.data.toAgencyCode, name: event.data.toAgencyName ?? null, at: event.data.at };
        break;
      case 'FeedbackAnswered':
        answer = { text: event.data.answer, at: event.data.at, signer: `${event.data.signer.fullName}, ${event.data.signer.title}`, legalBasis: event.data.legalBasis ?? null, publish: event.data.publish, attachments: (event.data.attachments ?? []).map(fileOf) };
        break;
    }
  }
  return { content, attachments, information, refusal, transferredTo, answer };
}

/** Whether the sender may read the answer yet: once published, or at once when it is kept private. */
export function answerVisibleToSender(state: ReceivedFeedback): boolean {
  return state.answer !== undefined && (state.status === 'published' || !state.answer.publish);
}

export function publicFeedbackView(state: ReceivedFeedback, events: readonly FeedbackEvent[]): PublicFeedbackView {
  const { information, refusal, transferredTo, answer } = texts(events);
  const open = information.at(-1);
  return {
    feedbackId: state.feedbackId,
    agencyCode: state.currentAgencyCode,
    title: state.title,
    status: state.status,
    nationalLabel: nationalFeedbackLabel(state),
    sentAt: state.sentAt,
    receivedAt: state.receivedAt,
    question: state.status === 'awaiting-information' && open && open.reply === null ? open.question : null,
    refusal,
    transferredTo,
    answer: answer && answerVisibleToSender(state) ? { text: answer.text, at: answer.at, signer: answer.signer, legalBasis: answer.legalBasis, document: state.answerDocument !== undefined, attachments: answer.attachments } : null,
    publishedAt: state.publishedAt ?? null,
  };
}

export function staffFeedbackView(state: ReceivedFeedback, events: readonly FeedbackEvent[], streamVersion: number, row: FeedbackSummaryRow | undefined): StaffFeedbackView {
  const view = publicFeedbackView(state, events);
  const { content, attachments, information, answer } = texts(events);
  const { submitter } = state;
  return {
    ...view,
    // Staff read the answer as soon as it is given.
    answer: answer ? { text: answer.text, at: answer.at, signer: answer.signer, legalBasis: answer.legalBasis, document: state.answerDocument !== undefined, attachments: answer.attachments } : null,
    receivingAgencyCode: state.agencyCode,
    channel: state.channel,
    category: state.category ?? null,
    dossierCode: state.dossierCode ?? null,
    externalId: state.externalId ?? null,
    followUpOf: state.followUpOf ?? null,
    submitter: { fullName: submitter.fullName, email: submitter.email ?? null, phone: submitter.phone ?? null, address: submitter.address ?? null },
    content,
    attachments,
    information,
    due: {
      refuse: iso(row?.refuse_due_at),
      infoRequest: iso(row?.info_request_due_at),
      answer: iso(row?.answer_due_at),
      publish: iso(row?.publish_due_at),
      next: iso(row?.next_due_at),
      nextClock: (row?.next_due_clock as StaffFeedbackView['due']['nextClock'] | null | undefined) ?? null,
    },
    alerts: Object.fromEntries(Object.entries(state.alerts).map(([clock, raised]) => [clock, [...(raised ?? [])]])),
    dueSoon: row?.due_soon ?? false,
    overdue: row?.overdue ?? false,
    onTime: row?.on_time ?? null,
    answerDetails: answer ? { publish: answer.publish, attachments: answer.attachments, documentId: state.answerDocument?.documentId ?? null } : null,
    likes: state.likes,
    dislikes: state.dislikes,
    streamVersion,
  };
}

/** A row of a unit's list or queue (no personal data). */
export const feedbackRowSchema = z.object({
  feedbackId: z.string(),
  agencyCode: z.string().describe('The unit that received it'),
  currentAgencyCode: z.string().describe('The unit that holds it now'),
  status: z.enum(FEEDBACK_STATUSES),
  nationalLabel: z.string(),
  category: z.enum(FEEDBACK_CATEGORIES).nullable(),
  channel: z.enum(FEEDBACK_CHANNELS),
  title: z.string(),
  sentAt: z.string(),
  receivedAt: z.string(),
  dossierCode: z.string().nullable(),
  nextDueAt: z.string().nullable(),
  nextClock: z.enum(FEEDBACK_CLOCKS).nullable(),
  dueSoon: z.boolean(),
  overdue: z.boolean(),
  onTime: z.boolean().nullable(),
  answeredAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  handledAt: z.string().nullable(),
  likes: z.number().int(),
  dislikes: z.number().int(),
});

export function feedbackRow(row: FeedbackSummaryRow): z.infer<typeof feedbackRowSchema> {
  return {
    feedbackId: row.feedback_id,
    agencyCode: row.agency_code,
    currentAgencyCode: row.current_agency_code,
    status: row.status as z.infer<typeof feedbackRowSchema>['status'],
    nationalLabel: row.national_label,
    category: row.category as z.infer<typeof feedbackRowSchema>['category'],
    channel: row.channel as z.infer<typeof feedbackRowSchema>['channel'],
    title: row.title,
    sentAt: row.sent_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    dossierCode: row.dossier_code,
    nextDueAt: iso(row.next_due_at),
    nextClock: row.next_due_clock as z.infer<typeof feedbackRowSchema>['nextClock'],
    dueSoon: row.due_soon,
    overdue: row.overdue,
    onTime: row.on_time,
    answeredAt: iso(row.answered_at),
    publishedAt: iso(row.published_at),
    handledAt: iso(row.handled_at),
    likes: row.likes,
    dislikes: row.dislikes,
  };
}

/** An unknown id, or a wrong secret: the same 404, so a secret cannot be told from an id by trying. */
export function feedbackNotFound(reply: FastifyReply, feedbackId: string, withSecret: boolean): FastifyReply {
  return sendProblem(reply, feedbackNotFoundProblem(feedbackId, withSecret));
}

/** The loaded item if it was received, its state narrowed; otherwise the 404 is sent and `undefined` answered. */
export function receivedOrNotFound<T extends { readonly state: FeedbackState }>(reply: FastifyReply, feedbackId: string, loaded: T | undefined, withSecret: boolean): (T & { readonly state: ReceivedFeedback }) | undefined {
  if (!loaded || !isReceivedFeedback(loaded.state)) {
    feedbackNotFound(reply, feedbackId, withSecret);
    return undefined;
  }
  return { ...loaded, state: loaded.state };
}

export function feedbackNotFoundProblem(feedbackId: string, withSecret: boolean) {
  return {
    type: 'urn:motcua:problem:feedback-not-found',
    title: 'Feedback item not found',
    status: 404,
    detail: withSecret ? 'No feedback item matches this id and lookup secret. Check both as they were given when the item was sent.' : `No feedback item ${feedbackId} is known.`,
  } as const;
}
