// The events of a feedback or complaint (phản ánh, kiến nghị: PAKN) about administrative regulations,
// a procedure or staff conduct: a stream kind of its own in the same event log as the dossiers,
// opened by `FeedbackReceived` (docs/feedback.md). Each type keeps its schema version; stored
// events are never rewritten. Every event carries `at`, the workflow time it happened: the
// working-day clock of the 766 timings (2 / 5 / 15 / 2 working days) is derived from the events.
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import type { StoredFile } from '../files/file-model.js';

type Event<T extends string, D> = { readonly type: T; readonly schemaVersion: 1; readonly data: D };
type At = { readonly at: string };

/** How an item reached the unit. `national-pakn`: the national PAKN system (Decision 31/2021 art. 43(2)). */
export const FEEDBACK_CHANNELS = ['online-form', 'paper', 'phone', 'email', 'in-person', 'national-pakn'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** Decision 766 §5.1: policy and regulation, an administrative procedure, the conduct of staff. */
export const FEEDBACK_CATEGORIES = ['regulation', 'procedure', 'staff-conduct'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];

/** The 766 §5.2 timings, each against its own limit in working days. */
export const FEEDBACK_CLOCKS = ['refuse', 'info-request', 'answer', 'publish'] as const;
export type FeedbackClock = (typeof FEEDBACK_CLOCKS)[number];

/** Who sent the item. Personal data: never logged, read only by the roles that handle feedback. */
export interface FeedbackSubmitter {
  readonly fullName: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: string;
}

/** Received from the citizen, from staff on their behalf, or from the national PAKN system. */
export type FeedbackReceived = Event<'FeedbackReceived', At & {
  readonly feedbackId: string;
  /** The unit that received it and handles it first. */
  readonly agencyCode: string;
  readonly channel: FeedbackChannel;
  readonly submitter: FeedbackSubmitter;
  readonly title: string;
  readonly content: string;
  readonly attachments: readonly StoredFile[];
  /** The dossier it is about, when the citizen named one (its code on the receipt). */
  readonly dossierCode?: string;
  /** When the citizen sent it: the clocks start here (766 §5.2), not when staff typed it in. */
  readonly sentAt: string;
  /** The national PAKN system's id of the item, when it came from there or was entered into it. */
  readonly externalId?: string;
  /** Another item this one follows up as dissatisfied with its answer (766 §5.3). */
  readonly followUpOf?: string;
  /** The working-day calendar version the clocks were computed with. */
  readonly calendarVersion: string;
  /**
   * The civil-service calendar amendments loaded as data (db/calendar-amendments.ts) in force at
   * receipt, pinned with their content so the clocks and their replay never read the database.
   * Absent on items received before they were pinned (and when none was loaded).
   */
  readonly calendarAmendments?: readonly CalendarAmendment[];
  /** The four limits in force, pinned at receipt (working days). */
  readonly limits: { readonly refuse: number; readonly infoRequest: number; readonly answer: number; readonly publish: number };
}>;

/** Classified by the unit (766 §5.1); may name or change the dossier it is about. */
export type FeedbackClassified = Event<'FeedbackClassified', At & {
  readonly category: FeedbackCategory;
  readonly dossierCode?: string;
  readonly note?: string;
}>;

/** Taken in for handling (`xử lý ở địa phương`): the refusal window closes. */
export type FeedbackAccepted = Event<'FeedbackAccepted', At & { readonly handlerAgencyCode: string }>;

/**
 * Sent to the competent body (Decree 20/2008 art. 9: within 5 working days of receipt). The answer's
 * clock starts again from the latest transfer (766 §5.2). Within the engine's province the item
 * moves to `toAgencyCode`; outside it, the item leaves the engine (`outside`).
 */
export type FeedbackTransferred = Event<'FeedbackTransferred', At & {
  readonly toAgencyCode: string;
  readonly toAgencyName?: string;
  readonly outside: boolean;
  readonly reason: string;
}>;

/** Refused (`Từ chối tiếp nhận`), with the reason told to the sender: within 2 working days. */
export type FeedbackRefused = Event<'FeedbackRefused', At & { readonly reason: string; readonly legalBasis?: string }>;

/** More information asked of the sender (`PA chờ bổ sung`): the first within 5 working days. */
export type FeedbackInformationRequested = Event<'FeedbackInformationRequested', At & { readonly question: string; readonly first: boolean }>;

/** The sender's answer to a request for information (`Phản ánh đã bổ sung`). */
export type FeedbackInformationProvided = Event<'FeedbackInformationProvided', At & {
  readonly content: string;
  readonly attachments: readonly StoredFile[];
  /** How the reply came: absent on events before staff could enter one (the sender's own, online). */
  readonly channel?: FeedbackChannel;
}>;

/** The unit's answer, signed by its head (`PAKN chờ công khai`): within 15 working days. */
export type FeedbackAnswered = Event<'FeedbackAnswered', At & {
  readonly answer: string;
  readonly signer: { readonly userId: string; readonly fullName: string; readonly title: string };
  readonly legalBasis?: string;
  readonly attachments: readonly StoredFile[];
  /** Whether the answer may be published (an answer about one person's case may be kept private). */
  readonly publish: boolean;
}>;

/** The signed answer document, issued beside the workflow and recorded through the rules. */
export type FeedbackAnswerDocumentIssued = Event<'FeedbackAnswerDocumentIssued', At & {
  readonly documentId: string;
  readonly file: StoredFile;
  readonly signer: string;
}>;

/** Published (`PAKN đã công khai`): within 2 working days of the answer. */
export type FeedbackPublished = Event<'FeedbackPublished', At & { readonly url?: string }>;

/** A clock's alert, raised by the workflow's timer through the rules. */
export type FeedbackDeadlineAlerted = Event<'FeedbackDeadlineAlerted', At & {
  readonly clock: FeedbackClock;
  readonly alert: 'due-soon' | 'overdue';
  readonly due: string;
}>;

/** Likes and dislikes of the published answer on the national portal, as its system last reported them (766 §5.3). */
export type FeedbackReactionsRecorded = Event<'FeedbackReactionsRecorded', At & { readonly likes: number; readonly dislikes: number }>;

/** Entered into (or first seen from) the national PAKN system: its id there. */
export type FeedbackLinkedToNational = Event<'FeedbackLinkedToNational', At & { readonly externalId: string }>;

export type FeedbackEvent =
  | FeedbackReceived
  | FeedbackClassified
  | FeedbackAccepted
  | FeedbackTransferred
  | FeedbackRefused
  | FeedbackInformationRequested
  | FeedbackInformationProvided
  | FeedbackAnswered
  | FeedbackAnswerDocumentIssued
  | FeedbackPublished
  | FeedbackDeadlineAlerted
  | FeedbackReactionsRecorded
  | FeedbackLinkedToNational;

export type FeedbackEventType = FeedbackEvent['type'];

export const FEEDBACK_EVENT_TYPES = [
  'FeedbackReceived',
  'FeedbackClassified',
  'FeedbackAccepted',
  'FeedbackTransferred',
  'FeedbackRefused',
  'FeedbackInformationRequested',
  'FeedbackInformationProvided',
  'FeedbackAnswered',
  'FeedbackAnswerDocumentIssued',
  'FeedbackPublished',
  'FeedbackDeadlineAlerted',
  'FeedbackReactionsRecorded',
  'FeedbackLinkedToNational',
] as const satisfies readonly FeedbackEventType[];

/** A stream is a feedback item's when its first event is `FeedbackReceived`. */
export function isFeedbackStream(firstEventType: string): boolean {
  return firstEventType === 'FeedbackReceived';
}

/** A stored event of a feedback stream as the fold reads it; anything else there means a corrupt stream. */
export function asFeedbackEvent(stored: { readonly type: string; readonly schemaVersion: number; readonly data: unknown }): FeedbackEvent {
  if (!(FEEDBACK_EVENT_TYPES as readonly string[]).includes(stored.type)) throw new Error(`${stored.type} in a feedback item's stream: the stream is corrupt`);
  return { type: stored.type, schemaVersion: 1, data: stored.data } as FeedbackEvent;
}
