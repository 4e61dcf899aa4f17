// Longer than 300 lines: whole because the fold reads best beside the shape it builds: the statuses, the state and evolve are one decider's state.
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import type { Agency } from '../catalogue/agency.js';
import type { ProcedureVersion } from '../catalogue/procedure.js';
import type { ClockEntry } from '../clock/clock-ledger.js';
import type { CentreHeader, Channel } from './commands.js';
import type { CalendarAmendmentAdopted, DossierEvent, PaymentRecorded, PaymentRequested, StepAssignment, StepCompleted, StepMark } from './events.js';
import { type DossierFile, withFileApproved, withFileAttached } from './component-files.js';

// The dossier's state as the rules need it: a fold of its events, nothing else. The clock ledgers
// (the dossier's and each step's) are part of it, derived event by event.

export const DOSSIER_STATUSES = [
  'received',
  'awaiting-supplement-at-reception',
  'refused-at-reception',
  'accepted',
  'in-processing',
  'awaiting-supplement',
  'awaiting-financial-obligation',
  'withdrawal-requested',
  'stopped',
  'result-ready',
  'returned',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

// National portal status codes (TrangThaiHoSo, the display list of Circular 22/2019/TT-BTTTT). Every engine status maps
// to exactly one; the sync to the portal and the reports use this table.
export const NATIONAL_PORTAL_STATUS: Readonly<Record<DossierStatus, number>> = {
  received: 1, // Mới đăng ký
  'awaiting-supplement-at-reception': 5, // Yêu cầu bổ sung giấy tờ
  'refused-at-reception': 3, // Không được tiếp nhận
  accepted: 2, // Được tiếp nhận
  'in-processing': 4, // Đang xử lý
  'awaiting-supplement': 5, // Yêu cầu bổ sung giấy tờ
  'awaiting-financial-obligation': 6, // Yêu cầu thực hiện nghĩa vụ tài chính
  'withdrawal-requested': 7, // Công dân yêu cầu rút hồ sơ
  stopped: 8, // Dừng xử lý
  'result-ready': 9, // Đã xử lý xong
  returned: 10, // Đã trả kết quả
};

/** The national portal's words for its status codes (Trạng thái hồ sơ), for citizens and forms. */
export const PORTAL_STATUS_LABELS: Readonly<Record<number, string>> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};

/** A status as the portal and the forms word it. */
export function statusLabel(status: DossierStatus): string {
  return PORTAL_STATUS_LABELS[NATIONAL_PORTAL_STATUS[status]]!;
}

/** Statuses after which only an evaluation can still be recorded. */
export const CLOSED_STATUSES: ReadonlySet<DossierStatus> = new Set<DossierStatus>(['refused-at-reception', 'stopped', 'returned']);

export interface StepRun extends StepAssignment {
  /** `stopped`: ended with the dossier (result, refusal, withdrawal) before its own completion. */
  readonly status: 'active' | 'completed' | 'sent-back' | 'stopped';
  readonly startedAt: string;
  readonly handlerUserId?: string;
  readonly clock: readonly ClockEntry[];
  readonly alerts: readonly ('due-soon' | 'overdue')[];
  readonly mark?: StepMark;
  readonly outcome?: 'approved' | 'not-approved';
  /** A step carried out by an outside system: when the outbox handed it over, and the system's reference. */
  readonly handedOffAt?: string;
  readonly externalReference?: string;
  /** The system's last progress report. */
  readonly progress?: { readonly status: string; readonly at: string };
  /** When the outside system's answer ended this run (completed, refused or sent back), when it did. */
  readonly answeredAt?: string;
  /** What the step's completion carried: the system's result file, the registration it recorded. */
  readonly resultFile?: StepCompleted['data']['resultFile'];
  readonly registration?: StepCompleted['data']['registration'];
}

export interface Consultation {
  readonly consultationId: string;
  readonly stepId: string;
  readonly bodyAgencyCode: string;
  readonly replyBy: string;
  readonly answeredAt?: string;
}

export interface ReceivedDossier {
  readonly status: DossierStatus;
  readonly dossierCode: string;
  /** The receiving one-stop centre. */
  readonly agencyCode: string;
  readonly procedureCode: string;
  readonly channel: Channel;
  readonly receivedAt: string;
  /** How the receiving centre names itself on documents, pinned at reception. */
  readonly centre?: CentreHeader;
  /** The procedure's name as reception found it in the catalogue (the pinned version's name after acceptance). */
  readonly procedureName?: string;
  readonly supplementRequestsAtReception: number;
  readonly accepted?: {
    readonly at: string;
    readonly procedure: ProcedureVersion;
    readonly agencies: readonly Agency[];
    readonly calendarVersion: string;
    /** Amendments loaded as data and pinned with the version (docs/deadlines.md). */
    readonly calendarAmendments?: readonly CalendarAmendment[];
    readonly appointment: string;
  };
  /** Calendar amendments adopted while open, in order: each applies from its `appliesFrom` day on. */
  readonly calendarAdoptions?: readonly CalendarAdoption[];
  readonly clock: readonly ClockEntry[];
  readonly alerts: readonly ('due-soon' | 'overdue')[];
  readonly stageIndex: number;
  readonly steps: readonly StepRun[];
  readonly supplementRequests: number;
  readonly consultations: readonly Consultation[];
  readonly pendingObligation?: { readonly stepId: string; readonly noticeNumber: string; readonly amountVnd: number; readonly dueDate?: string };
  /** The payment requests the applicant may pay online, oldest first; absent before the first (./decide-payment.ts). */
  readonly paymentRequests?: readonly PaymentRequest[];
  readonly extended: boolean;
  readonly results: number;
  readonly outcome?: 'result' | 'refusal';
  /** The status to go back to when a withdrawal request is declined. */
  readonly statusBeforeWithdrawalRequest?: DossierStatus;
  /** When the dossier entered its current status: what a work queue waits since. */
  readonly statusSince: string;
  readonly evaluated: boolean;
  readonly closedAt?: string;
  /** Ids of the documents issued so far (DocumentIssued), so none is recorded twice. */
  readonly documents: readonly string[];
  /** Set once the dossier went overdue: who answers for it and what they owe (./lateness.ts). */
  readonly lateness?: Lateness;
  /** The components' files, replaced ones included (./component-files.ts); absent before the first. */
  readonly files?: readonly DossierFile[];
}

/**
 * A dossier that went past the appointment in force: since when, which agency held it then, and
 * whether the apology for lateness and the accountability explanation of this overdue spell are done.
 * A new spell (overdue again after a restart, or a missed new appointment that an apology records)
 * owes both again; the count of apologies runs on.
 */
export interface Lateness {
  /** The due time that passed. */
  readonly due: string;
  /** When the engine learned it (the overdue alert, or the first act on the late dossier). */
  readonly since: string;
  /** The responsible agency: the one holding the dossier when it went overdue. */
  readonly agencyCode: string;
  readonly apologised: boolean;
  readonly explained: boolean;
  /** Apologies for lateness issued on the dossier, every spell counted. */
  readonly apologies: number;
  /** The new appointment of the latest apology for lateness, when it gave one. */
  readonly newAppointment?: string;
}

/**
 * A payment request (PaymentRequested) and what became of it: `paid` once the platform confirmed
 * its payment; `settled-otherwise` when the notice it asked for was paid some other way (at the
 * counter, or the tax authority's receipt) before, or staff recorded the fees paid at the counter:
 * it is no longer to be paid online; `cancelled` when the dossier closed (refused, withdrawn,
 * returned) before it was paid: nothing more is to be paid on it.
 */
export interface PaymentRequest {
  readonly reference: string;
  readonly purpose: 'fees' | 'obligation';
  readonly amountVnd: number;
  readonly requestedAt: string;
  readonly noticeNumber?: string;
  readonly status: 'pending' | 'paid' | 'settled-otherwise' | 'cancelled';
  /** When the dossier's closing cancelled it. */
  readonly cancelledAt?: string;
  /** Paid online when it was no longer to be paid: the money is owed back (PaymentRecorded.refundDue). */
  readonly refundDue?: 'dossier-closed' | 'settled-otherwise';
  /** When it was paid: online (`paid`), or the other way (`settled-otherwise`), as the receipt states it. */
  readonly paidAt?: string;
  /** The platform's transaction that paid it (`paid` only). */
  readonly transactionId?: string;
}

/** An adopted amendment as the state keeps it: the event's data. */
export type CalendarAdoption = CalendarAmendmentAdopted['data'];

export type DossierState =
  /** A dossier code allocated at reception, before its first event. */
  | { readonly status: 'none'; readonly dossierCode: string }
  | ReceivedDossier;

/** The state of the dossier with this code before anything happened to it. */
export function newDossier(dossierCode: string): DossierState {
  return { status: 'none', dossierCode };
}

export function isReceived(state: DossierState): state is ReceivedDossier {
  return state.status !== 'none';
}

/** Closed and evaluated: nothing more can happen, so the workflow may end. */
export function isFinal(state: DossierState): boolean {
  return isReceived(state) && CLOSED_STATUSES.has(state.status) && state.evaluated;
}

/** Ids of the documents recorded as issued (DocumentIssued); none before reception. */
export function issuedDocuments(state: DossierState): readonly string[] {
  return state.status === 'none' ? [] : (state.documents ?? []);
}

/** How long a closed dossier waits for the applicant's evaluation (its workflow then ends). */
export const EVALUATION_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export function isClosed(state: DossierState): boolean {
  return isReceived(state) && CLOSED_STATUSES.has(state.status);
}

export function activeSteps(state: ReceivedDossier): StepRun[] {
  return state.steps.filter((step) => step.status === 'active');
}

export function evolveDossier(state: DossierState, event: DossierEvent): DossierState {
  if (event.type === 'DossierReceived') {
    const { dossierCode, agencyCode, procedureCode, channel, receivedAt, centre, procedureName } = event.data;
    return {
      status: 'received',
      dossierCode,
      agencyCode,
      procedureCode,
      channel,
      receivedAt,
      ...(centre ? { centre } : {}),
      ...(procedureName ? { procedureName } : {}),
      statusSince: receivedAt,
      supplementRequestsAtReception: 0,
      clock: [],
      alerts: [],
      stageIndex: -1,
      steps: [],
      supplementRequests: 0,
      consultations: [],
      extended: false,
      results: 0,
      evaluated: false,
      documents: [],
    };
  }
  if (!isReceived(state)) throw new Error(`${event.type} before DossierReceived: the stream is corrupt`);
  const next = evolveReceived(state, event);
  return next.status === state.status ? next : { ...next, statusSince: event.data.at };
}

function evolveReceived(state: ReceivedDossier, event: Exclude<DossierEvent, { type: 'DossierReceived' }>): ReceivedDossier {
  const { at } = event.data;
  switch (event.type) {
    case 'SupplementRequestedAtReception':
      return { ...state, status: 'awaiting-supplement-at-reception', supplementRequestsAtReception: state.supplementRequestsAtReception + 1 };
    case 'DossierRefusedAtReception':
      return { ...state, status: 'refused-at-reception', closedAt: at, ...cancelledRequests(state, at) };
    case 'DossierAccepted': {
      const { procedure, agencies, calendarVersion, calendarAmendments, appointment } = event.data;
      const accepted = { at, procedure, agencies, calendarVersion, ...(calendarAmendments && calendarAmendments.length > 0 ? { calendarAmendments } : {}), appointment };
      return { ...state, status: 'accepted', accepted, clock: [{ type: 'started', at }] };
    }
    case 'StepStarted': {
      const { stepId, stageIndex, run, agencyCode, task, budget, fromAgencyCode, system } = event.data;
      const step: StepRun = { stepId, stageIndex, run, agencyCode, task, budget, fromAgencyCode, ...(system ? { system } : {}), status: 'active', startedAt: at, clock: [{ type: 'started', at }], alerts: [] };
      return { ...state, status: 'in-processing', stageIndex, steps: [...state.steps, step] };
    }
    case 'HandlerAssigned':
      return mapActiveStep(state, event.data.stepId, (step) => ({ ...step, handlerUserId: event.data.handlerUserId }));
    case 'StepCompleted': {
      const { allottedMinutes, usedMinutes, mark, resultFile, registration, answeredBy } = event.data;
      return mapActiveStep(state, event.data.stepId, (step) => ({
        ...step,
        status: 'completed',
        outcome: event.data.outcome,
        mark: { allottedMinutes, usedMinutes, mark },
        ...(answeredBy ? { answeredAt: at } : {}),
        ...(resultFile ? { resultFile } : {}),
        ...(registration ? { registration } : {}),
        clock: [...step.clock, { type: 'stopped', at, outcome: 'resolved' }],
      }));
    }
    case 'StepSentBack': {
      const { allottedMinutes, usedMinutes, mark, answeredBy } = event.data;
      return mapActiveStep(state, event.data.stepId, (step) => ({
        ...step,
        status: 'sent-back',
        mark: { allottedMinutes, usedMinutes, mark },
        ...(answeredBy ? { answeredAt: at } : {}),
        clock: [...step.clock, { type: 'stopped', at, outcome: 'sent-back' }],
      }));
    }
    case 'ConsultationRequested': {
      const { consultationId, stepId, bodyAgencyCode, replyBy } = event.data;
      return { ...state, consultations: [...state.consultations, { consultationId, stepId, bodyAgencyCode, replyBy }] };
    }
    case 'ConsultationAnswered':
      return {
        ...state,
        consultations: state.consultations.map((consultation) => (consultation.consultationId === event.data.consultationId ? { ...consultation, answeredAt: at } : consultation)),
      };
    case 'SupplementRequested': {
      const pause: ClockEntry = { type: 'paused', at, reason: 'waiting-for-supplement', reference: `form 02, request ${event.data.requestNumber}` };
      return pauseAll({ ...state, status: 'awaiting-supplement', supplementRequests: state.supplementRequests + 1 }, pause);
    }
    case 'SupplementProvided': {
      if (!event.data.duringProcessing) return { ...state, status: 'received' };
      // Restart: a new legal period for the dossier and for every step in hand (Decree 61 art.
      // 19(4)), so earlier alerts no longer apply. Resume: the clocks run on, alerts stand.
      // A restart's new due time also supersedes an apology for lateness's promise: missing that
      // promise no longer calls for another apology (the next overdue alert may open a new spell).
      if (event.data.clockEffect === 'restart') return resumeAll({ ...state, status: 'in-processing', alerts: [], ...(state.lateness ? { lateness: withoutPromise(state.lateness) } : {}) }, { type: 'restarted', at }, true);
      return resumeAll({ ...state, status: 'in-processing' }, { type: 'resumed', at }, false);
    }
    case 'FinancialObligationRequested': {
      const { stepId, noticeNumber, amountVnd, dueDate } = event.data;
      const pause: ClockEntry = { type: 'paused', at, reason: 'waiting-for-financial-obligation', reference: `notice ${noticeNumber}` };
      return pauseAll({ ...state, status: 'awaiting-financial-obligation', pendingObligation: { stepId, noticeNumber, amountVnd, ...(dueDate ? { dueDate } : {}) } }, pause);
    }
    case 'PaymentRecorded': {
      const paid = state.paymentRequests ? { ...state, paymentRequests: settledPaymentRequests(state.paymentRequests, event.data, state.pendingObligation?.noticeNumber) } : state;
      if (!event.data.resumedClock) return paid;
      const { pendingObligation: _settled, ...rest } = paid;
      // Paid while a withdrawal request waits for its decision: the obligation is settled and the
      // clock runs; declining the withdrawal then returns the dossier to processing.
      if (state.status === 'withdrawal-requested') return resumeAll({ ...rest, statusBeforeWithdrawalRequest: 'in-processing' }, { type: 'resumed', at }, false);
      return resumeAll({ ...rest, status: 'in-processing' }, { type: 'resumed', at }, false);
    }
    case 'ResolutionRefused':
      return stopAll({ ...state, status: 'result-ready', outcome: 'refusal' }, at, 'refused');
    case 'ApologyIssued':
      return { ...state, extended: true, alerts: [], clock: [...state.clock, { type: 'extended', at, newDue: event.data.newAppointment, reference: 'form 04' }] };
    case 'ResultIssued':
      return stopAll({ ...state, status: 'result-ready', outcome: 'result', results: state.results + 1 }, at, 'resolved');
    case 'ResultReturned':
      return { ...state, status: 'returned', closedAt: at, ...cancelledRequests(state, at) };
    case 'WithdrawalRequested':
      return { ...state, status: 'withdrawal-requested', statusBeforeWithdrawalRequest: state.status };
    case 'WithdrawalDecided': {
      const { statusBeforeWithdrawalRequest, ...rest } = state;
      if (!event.data.approved) return { ...rest, status: statusBeforeWithdrawalRequest ?? 'received' };
      const stopped = { ...rest, status: 'stopped' as const, closedAt: at, ...cancelledRequests(state, at) };
      return stopped.clock.length > 0 ? stopAll(stopped, at, 'withdrawn') : stopped;
    }
    case 'EvaluationRecorded':
      return { ...state, evaluated: true };
    case 'PaymentRequested':
      return { ...state, paymentRequests: [...(state.paymentRequests ?? []), paymentRequestOf(event.data)] };
    case 'DocumentIssued':
      return { ...state, documents: [...(state.documents ?? []), event.data.documentId] };
    case 'LatenessApologyIssued': {
      // A missed new appointment opens a new spell, still the responsible agency's.
      const { newAppointment: _previous, ...spell } = latenessSpell(state.lateness, event.data.missedAppointment, at, event.data.responsibleAgencyCode);
      const lateness: Lateness = { ...spell, apologised: true, apologies: (state.lateness?.apologies ?? 0) + 1, ...(event.data.newAppointment ? { newAppointment: event.data.newAppointment } : {}) };
      return { ...state, lateness };
    }
    case 'LatenessExplained':
      return { ...state, lateness: { ...latenessSpell(state.lateness, event.data.overdueSince, at, event.data.agencyCode), explained: true } };
    case 'CalendarAmendmentAdopted':
      return { ...state, calendarAdoptions: [...(state.calendarAdoptions ?? []), event.data] };
    case 'ComponentFileAttached':
      return { ...state, files: withFileAttached(state.files ?? [], event.data) };
    case 'ComponentFileApproved':
      return { ...state, files: withFileApproved(state.files ?? [], event.data) };
    case 'StepHandedOff': {
      const { stepId, run, reference } = event.data;
      return { ...state, steps: state.steps.map((step) => (step.stepId === stepId && step.run === run ? { ...step, handedOffAt: at, ...(reference ? { externalReference: reference } : {}) } : step)) };
    }
    case 'ExternalProgressReported':
      return mapActiveStep(state, event.data.stepId, (step) => ({ ...step, progress: { status: event.data.status, at } }));
    case 'DeadlineAlerted': {
      const { scope, alert } = event.data;
      if (scope.kind === 'dossier') {
        const alerted = { ...state, alerts: [...state.alerts, alert] };
        return alert === 'overdue' ? { ...alerted, lateness: latenessSpell(state.lateness, event.data.due, at, event.data.agencyCode) } : alerted;
      }
      return mapActiveStep(state, scope.stepId, (step) => ({ ...step, alerts: [...step.alerts, alert] }));
    }
  }
}

/** A payment request as recorded, waiting for its payment. */
export function paymentRequestOf(data: PaymentRequested['data']): PaymentRequest {
  const { reference, purpose, amountVnd, noticeNumber, at } = data;
  return { reference, purpose, amountVnd, requestedAt: at, ...(noticeNumber ? { noticeNumber } : {}), status: 'pending' };
}

/**
 * The requests after a payment: the one the platform confirmed paying is paid; a payment that
 * settled the pending notice (`pendingNotice`) some other way leaves that notice's online request,
 * still pending, settled otherwise.
 */
export function settledPaymentRequests(requests: readonly PaymentRequest[], payment: PaymentRecorded['data'], pendingNotice: string | undefined): readonly PaymentRequest[] {
  const { platformPayment } = payment;
  if (platformPayment) {
    const paidAt = payment.paidAt ?? payment.at;
    const refund = payment.refundDue ? { refundDue: payment.refundDue } : {};
    return requests.map((request) => (request.reference === platformPayment.reference ? { ...request, status: 'paid', paidAt, transactionId: platformPayment.transactionId, ...refund } : request));
  }
  const { settledRequest } = payment;
  if (settledRequest) return requests.map((request) => (request.reference === settledRequest && request.status === 'pending' ? { ...request, status: 'settled-otherwise', paidAt: payment.paidAt ?? payment.at } : request));

  if (!payment.resumedClock || pendingNotice === undefined) return requests;
  const paidAt = payment.paidAt ?? payment.at;
  return requests.map((request) => (request.status === 'pending' && request.purpose === 'obligation' && request.noticeNumber === pendingNotice ? { ...request, status: 'settled-otherwise', paidAt } : request));
}

/**
 * The requests once the dossier closes: those still pending are cancelled, no longer to be paid
 * (docs/rules.md#payment-requests-and-online-payments). A platform payment that still comes for one
 * is recorded with a refund due (domain/dossier/decide-payment.ts).
 */
function cancelledRequests(state: ReceivedDossier, at: string): { paymentRequests?: readonly PaymentRequest[] } {
  return state.paymentRequests ? { paymentRequests: cancelledPaymentRequests(state.paymentRequests, at) } : {};
}

export function cancelledPaymentRequests(requests: readonly PaymentRequest[], at: string): readonly PaymentRequest[] {
  return requests.map((request) => (request.status === 'pending' ? { ...request, status: 'cancelled', cancelledAt: at } : request));
}


/** The lateness after the dossier went past `due`: the same spell when it is that due time, else a new one. */
function latenessSpell(lateness: Lateness | undefined, due: string, at: string, agencyCode: string): Lateness {
  if (lateness && lateness.due === due) return lateness;
  // A new spell starts with no promise of its own: an earlier apology's new appointment belonged to
  // the spell it answered (a restart or a new alert superseded it), so missing it is not this spell's.
  return { due, since: at, agencyCode, apologised: false, explained: false, apologies: lateness?.apologies ?? 0 };
}

function withoutPromise({ newAppointment: _superseded, ...lateness }: Lateness): Lateness {
  return lateness;
}

function mapActiveStep(state: ReceivedDossier, stepId: string, change: (step: StepRun) => StepRun): ReceivedDossier {
  return { ...state, steps: state.steps.map((step) => (step.stepId === stepId && step.status === 'active' ? change(step) : step)) };
}

function mapActiveSteps(state: ReceivedDossier, change: (step: StepRun) => StepRun): ReceivedDossier {
  return { ...state, steps: state.steps.map((step) => (step.status === 'active' ? change(step) : step)) };
}

/** A pause stops the dossier's clock and the clock of every step in hand. */
function pauseAll(state: ReceivedDossier, pause: ClockEntry): ReceivedDossier {
  return mapActiveSteps({ ...state, clock: [...state.clock, pause] }, (step) => ({ ...step, clock: [...step.clock, pause] }));
}

/** The clocks run again: a restart gives the steps in hand a new period too. */
function resumeAll(state: ReceivedDossier, entry: ClockEntry, restartSteps: boolean): ReceivedDossier {
  const stepEntry: ClockEntry = restartSteps ? { type: 'restarted', at: entry.at } : { type: 'resumed', at: entry.at };
  return mapActiveSteps({ ...state, clock: [...state.clock, entry] }, (step) => ({ ...step, clock: [...step.clock, stepEntry], ...(restartSteps ? { alerts: [] } : {}) }));
}

function stopAll(state: ReceivedDossier, at: string, outcome: 'resolved' | 'refused' | 'withdrawn'): ReceivedDossier {
  return mapActiveSteps({ ...state, clock: [...state.clock, { type: 'stopped', at, outcome }] }, (step) => ({
    ...step,
    status: 'stopped',
    clock: [...step.clock, { type: 'stopped', at, outcome }],
  }));
}

export function foldDossier(from: DossierState, events: Iterable<DossierEvent>): DossierState {
  let state = from;
  for (const event of events) state = evolveDossier(state, event);
  return state;
}
