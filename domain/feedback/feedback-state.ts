// A feedback item (PAKN) as its events leave it: the fold the decider decides on, the workflow holds
// and the read models are written from. Statuses are the engine's own; each maps to the label the
// national PAKN system shows (766 §5.2; docs/feedback.md#statuses-and-the-national-labels).
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import type { StoredFile } from '../files/file-model.js';
import type { FeedbackCategory, FeedbackChannel, FeedbackClock, FeedbackEvent, FeedbackReceived, FeedbackSubmitter } from './events.js';

export const FEEDBACK_STATUSES = [
  'waiting-to-receive',
  'in-processing',
  'awaiting-information',
  'answered-awaiting-publication',
  'answered-not-published',
  'published',
  'refused',
  'transferred-out',
] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/** Where an item ends: nothing but the national system's reactions is recorded after these. */
export const FINAL_FEEDBACK_STATUSES: readonly FeedbackStatus[] = ['answered-not-published', 'published', 'refused', 'transferred-out'];

/**
 * The national PAKN system's label of each status (766 §5.2's exact Vietnamese). An item back in
 * waiting-to-receive after the sender's supplement shows `Phản ánh đã bổ sung`, and back in
 * processing after it `PAKN đã bổ sung` (see nationalFeedbackLabel). An answer kept private shows
 * `PAKN chờ công khai` for ever: [guess] the national system has no label of its own for it.
 */
export const NATIONAL_FEEDBACK_LABEL: Readonly<Record<FeedbackStatus, string>> = {
  'waiting-to-receive': 'Tiếp nhận ở địa phương',
  'in-processing': 'xử lý ở địa phương',
  'awaiting-information': 'PA chờ bổ sung',
  'answered-awaiting-publication': 'PAKN chờ công khai',
  'answered-not-published': 'PAKN chờ công khai',
  published: 'PAKN đã công khai',
  refused: 'Từ chối tiếp nhận',
  'transferred-out': 'BNĐP gửi trả lại BNĐP khác',
};

/** The national group of a status (766 §5.2): waiting to be received, in processing, processed. */
export const NATIONAL_FEEDBACK_GROUP: Readonly<Record<FeedbackStatus, 'waiting' | 'processing' | 'processed'>> = {
  'waiting-to-receive': 'waiting',
  'in-processing': 'processing',
  'awaiting-information': 'processed',
  'answered-awaiting-publication': 'processed',
  'answered-not-published': 'processed',
  published: 'processed',
  refused: 'processed',
  'transferred-out': 'processed',
};

export type FeedbackAlert = 'due-soon' | 'overdue';

export interface FeedbackTransfer {
  readonly at: string;
  readonly fromAgencyCode: string;
  readonly toAgencyCode: string;
  readonly outside: boolean;
}

export interface ReceivedFeedback {
  readonly status: FeedbackStatus;
  readonly feedbackId: string;
  /** The unit that received it. */
  readonly agencyCode: string;
  /** The unit that holds it now (the receiving unit, or the latest one it was transferred to within the engine). */
  readonly currentAgencyCode: string;
  readonly channel: FeedbackChannel;
  readonly submitter: FeedbackSubmitter;
  readonly title: string;
  readonly dossierCode?: string;
  readonly category?: FeedbackCategory;
  readonly sentAt: string;
  /** When the engine recorded it (the event's time). */
  readonly receivedAt: string;
  readonly externalId?: string;
  readonly followUpOf?: string;
  readonly calendarVersion: string;
  /** The calendar amendments loaded as data pinned at receipt (absent on older items). */
  readonly calendarAmendments?: readonly CalendarAmendment[];
  readonly limits: FeedbackReceived['data']['limits'];
  /** When the current unit's clocks started: sentAt, or the latest transfer within the engine. */
  readonly clockStartAt: string;
  /** When the answer's clock started: clockStartAt, or the sender's latest supplement ([guess], docs/feedback.md#the-four-clocks). */
  readonly answerClockStartAt: string;
  readonly acceptedAt?: string;
  readonly refusedAt?: string;
  readonly transferredOutAt?: string;
  readonly transfers: readonly FeedbackTransfer[];
  /** When the first request for information was made (766 counts only the first, before acceptance). */
  readonly firstInformationRequestAt?: string;
  /** Requests for information made by the unit that holds the item (counted again from 0 at a transfer within the engine). */
  readonly informationRequests: number;
  /** Whether the sender has supplemented since the latest request (`đã bổ sung`). */
  readonly supplemented: boolean;
  readonly answer?: {
    readonly at: string;
    readonly signerUserId: string;
    readonly signerName: string;
    readonly publish: boolean;
    readonly attachments: readonly StoredFile[];
  };
  readonly answerDocument?: { readonly documentId: string; readonly file: StoredFile; readonly signer: string; readonly at: string };
  readonly publishedAt?: string;
  readonly publishedUrl?: string;
  /** Alerts raised on each clock since it last started. */
  readonly alerts: Readonly<Partial<Record<FeedbackClock, readonly FeedbackAlert[]>>>;
  readonly likes: number;
  readonly dislikes: number;
  readonly reactionsAt?: string;
}

export type FeedbackState = { readonly status: 'none'; readonly feedbackId: string } | ReceivedFeedback;

export function newFeedback(feedbackId: string): FeedbackState {
  return { status: 'none', feedbackId };
}

export function isReceivedFeedback(state: FeedbackState): state is ReceivedFeedback {
  return state.status !== 'none';
}

export function isFinalFeedback(state: FeedbackState): boolean {
  return state.status !== 'none' && FINAL_FEEDBACK_STATUSES.includes(state.status);
}

/** Whether the item's workflow should be running: not final yet, or answered and its signed answer not recorded yet. */
export function feedbackShouldRun(state: FeedbackState): boolean {
  if (!isReceivedFeedback(state)) return false;
  return !isFinalFeedback(state) || (state.answer !== undefined && state.answerDocument === undefined);
}

/** The label the national PAKN system shows for the item now. */
export function nationalFeedbackLabel(state: ReceivedFeedback): string {
  if (state.supplemented && state.status === 'waiting-to-receive') return 'Phản ánh đã bổ sung';
  if (state.supplemented && state.status === 'in-processing') return 'PAKN đã bổ sung';
  return NATIONAL_FEEDBACK_LABEL[state.status];
}

export function evolveFeedback(state: FeedbackState, event: FeedbackEvent): FeedbackState {
  if (event.type === 'FeedbackReceived') {
    const data = event.data;
    return {
      status: 'waiting-to-receive',
      feedbackId: data.feedbackId,
      agencyCode: data.agencyCode,
      currentAgencyCode: data.agencyCode,
      channel: data.channel,
      submitter: data.submitter,
      title: data.title,
      ...(data.dossierCode !== undefined ? { dossierCode: data.dossierCode } : {}),
      sentAt: data.sentAt,
      receivedAt: data.at,
      ...(data.externalId !== undefined ? { externalId: data.externalId } : {}),
      ...(data.followUpOf !== undefined ? { followUpOf: data.followUpOf } : {}),
      calendarVersion: data.calendarVersion,
      ...(data.calendarAmendments && data.calendarAmendments.length > 0 ? { calendarAmendments: data.calendarAmendments } : {}),
      limits: data.limits,
      clockStartAt: data.sentAt,
      answerClockStartAt: data.sentAt,
      transfers: [],
      informationRequests: 0,
      supplemented: false,
      alerts: {},
      likes: 0,
      dislikes: 0,
    };
  }
  if (!isReceivedFeedback(state)) return state;
  switch (event.type) {
    case 'FeedbackClassified':
      return { ...state, category: event.data.category, ...(event.data.dossierCode !== undefined ? { dossierCode: event.data.dossierCode } : {}) };
    case 'FeedbackAccepted':
      return { ...state, status: 'in-processing', acceptedAt: event.data.at, currentAgencyCode: event.data.handlerAgencyCode, alerts: withoutAlerts(state.alerts, ['refuse', 'info-request']) };
    case 'FeedbackTransferred': {
      const transfer = { at: event.data.at, fromAgencyCode: state.currentAgencyCode, toAgencyCode: event.data.toAgencyCode, outside: event.data.outside };
      if (event.data.outside) return { ...state, status: 'transferred-out', transferredOutAt: event.data.at, transfers: [...state.transfers, transfer] };
      // Within the engine the receiving unit starts afresh: its clocks run from the transfer (766 §5.2),
      // its own first request for information included (requests are counted per unit).
      const { acceptedAt: _accepted, firstInformationRequestAt: _first, ...rest } = state;
      return {
        ...rest,
        status: 'waiting-to-receive',
        informationRequests: 0,
        currentAgencyCode: event.data.toAgencyCode,
        transfers: [...state.transfers, transfer],
        clockStartAt: event.data.at,
        answerClockStartAt: event.data.at,
        supplemented: false,
        alerts: {},
      };
    }
    case 'FeedbackRefused':
      return { ...state, status: 'refused', refusedAt: event.data.at };
    case 'FeedbackInformationRequested':
      return {
        ...state,
        status: 'awaiting-information',
        informationRequests: state.informationRequests + 1,
        supplemented: false,
        ...(event.data.first ? { firstInformationRequestAt: event.data.at } : {}),
        alerts: withoutAlerts(state.alerts, ['info-request']),
      };
    case 'FeedbackInformationProvided':
      // Back where the request found it; the answer's clock starts again from the supplement ([guess]).
      return {
        ...state,
        status: state.acceptedAt !== undefined ? 'in-processing' : 'waiting-to-receive',
        supplemented: true,
        answerClockStartAt: event.data.at,
        alerts: withoutAlerts(state.alerts, ['answer']),
      };
    case 'FeedbackAnswered':
      return {
        ...state,
        status: event.data.publish ? 'answered-awaiting-publication' : 'answered-not-published',
        answer: { at: event.data.at, signerUserId: event.data.signer.userId, signerName: event.data.signer.fullName, publish: event.data.publish, attachments: event.data.attachments },
      };
    case 'FeedbackAnswerDocumentIssued':
      return { ...state, answerDocument: { documentId: event.data.documentId, file: event.data.file, signer: event.data.signer, at: event.data.at } };
    case 'FeedbackPublished':
      return { ...state, status: 'published', publishedAt: event.data.at, ...(event.data.url !== undefined ? { publishedUrl: event.data.url } : {}) };
    case 'FeedbackDeadlineAlerted': {
      const raised = state.alerts[event.data.clock] ?? [];
      return raised.includes(event.data.alert) ? state : { ...state, alerts: { ...state.alerts, [event.data.clock]: [...raised, event.data.alert] } };
    }
    case 'FeedbackReactionsRecorded':
      return { ...state, likes: event.data.likes, dislikes: event.data.dislikes, reactionsAt: event.data.at };
    case 'FeedbackLinkedToNational':
      return { ...state, externalId: event.data.externalId };
  }
}

export function foldFeedback(state: FeedbackState, events: readonly FeedbackEvent[]): FeedbackState {
  return events.reduce(evolveFeedback, state);
}

function withoutAlerts(alerts: ReceivedFeedback['alerts'], clocks: readonly FeedbackClock[]): ReceivedFeedback['alerts'] {
  const kept: Partial<Record<FeedbackClock, readonly FeedbackAlert[]>> = { ...alerts };
  for (const clock of clocks) delete kept[clock];
  return kept;
}

/** What a command's decision did to the item: the answer its caller gets, and gets again on a retry. */
export interface FeedbackCommandOutcome {
  readonly feedbackId: string;
  readonly streamVersion: number;
  readonly status: FeedbackState['status'];
  readonly events: readonly FeedbackEvent['type'][];
  readonly globalPositions: readonly number[];
}
