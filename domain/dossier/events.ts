// Longer than 300 lines: whole because it is the catalogue of the dossier's events, one type each, read as one list.
import type { ChangedDay } from '../calendar/calendar-adoption.js';
import type { CalendarAmendment } from '../calendar/calendar-schemas.js';
import type { Agency } from '../catalogue/agency.js';
import type { RoleResolution } from '../catalogue/directory.js';
import type { ProcedureVersion } from '../catalogue/procedure.js';
import type { Budget } from '../clock/clock-rules.js';
import type { Classification } from '../clock/on-time-classification.js';
import type { DocumentKind } from '../documents/document-model.js';
import type { FileOrigin, StoredFile } from '../files/file-model.js';
import type { Applicant, CentreHeader, Channel, MissingItem, SignatureReport, SubmittedComponent } from './commands.js';
import type { PortalSubmission } from './file-commands.js';
import type { InteragencySystem } from '../interagency/systems.js';

// The dossier's events. Each type keeps its schema version: a payload change bumps it and the
// older shape stays readable (an upcaster), since stored events are never rewritten. Every event
// after reception carries `at`, the workflow time it happened, because the legal clock is derived
// from the events alone. Values the rules derived when the event happened (a due time, a step's
// mark) are recorded with it, with the calendar version that produced them.

type Event<T extends string, D> = { readonly type: T; readonly schemaVersion: 1; readonly data: D };
type At = { readonly at: string };

/** Registered at reception (tiếp nhận), by any channel. National portal status 1 until accepted. */
export type DossierReceived = Event<'DossierReceived', {
  readonly dossierCode: string;
  readonly agencyCode: string;
  readonly procedureCode: string;
  readonly channel: Channel;
  readonly applicant: Applicant;
  readonly receivedAt: string;
  /** The centre's name, superior and place as the catalogue had them (absent in events before documents). */
  readonly centre?: CentreHeader;
  /** The procedure's name as the catalogue had it that day (absent in older events). */
  readonly procedureName?: string;
  /** The locality whose bodies resolve it, when reception named one (docs/catalogue.md). */
  readonly locality?: string;
  /** The portal that sent an online submission, and its id there (docs/portal-intake.md). */
  readonly submission?: PortalSubmission;
}>;

/** Form 02 at reception: everything missing, in one list. */
export type SupplementRequestedAtReception = Event<'SupplementRequestedAtReception', At & { readonly missing: readonly MissingItem[] }>;

/** Form 03: refused at reception. */
export type DossierRefusedAtReception = Event<'DossierRefusedAtReception', At & { readonly reasons: readonly string[]; readonly legalBasis: string }>;

/** Form 01: accepted; the legal clock starts. The procedure version and agencies are pinned here. */
export type DossierAccepted = Event<'DossierAccepted', At & {
  readonly procedure: ProcedureVersion;
  readonly agencies: readonly Agency[];
  readonly calendarVersion: string;
  /** Amendments loaded as data and in force at acceptance (absent when none, and in older events). */
  readonly calendarAmendments?: readonly CalendarAmendment[];
  readonly components: readonly SubmittedComponent[];
  /** The appointment printed on the receipt (ngày hẹn trả). */
  readonly appointment: string;
  /** Which role became which agency, under which directory version (absent when the procedure names fixed codes). */
  readonly resolution?: RoleResolution;
}>;

/** Which step of the route a run is, who holds it and who handed it over: set when it starts, kept in the state. */
export interface StepAssignment {
  readonly stepId: string;
  readonly stageIndex: number;
  /** 1, or more when the step is done again after being sent back. */
  readonly run: number;
  readonly agencyCode: string;
  readonly task: string;
  readonly budget: Budget;
  readonly fromAgencyCode: string;
  /** The outside system that carries the step out, as the pinned route names it (absent: officers in the engine). */
  readonly system?: InteragencySystem;
}

/** The dossier reached a step's agency (phiếu chuyển xử lý); the step's clock starts. */
export type StepStarted = Event<'StepStarted', At & StepAssignment & { readonly due: string }>;

export type HandlerAssigned = Event<'HandlerAssigned', At & { readonly stepId: string; readonly handlerUserId: string }>;

/** A step's work is done; its mark for the control slip (form 06) is computed when it happens. */
export type StepCompleted = Event<'StepCompleted', At & StepMark & {
  readonly stepId: string;
  readonly outcome: 'approved' | 'not-approved';
  readonly note?: string;
  /** The file an outside system returned with its answer (its result, the tax receipt's summary). */
  readonly resultFile?: StoredFile;
  /** Civil status: the number (and book) under which the outside system recorded the registration. */
  readonly registration?: { readonly system: InteragencySystem; readonly number: string; readonly book?: string };
  /** The outside system whose answer this was (absent: an officer's command): form 06's "answer came back". */
  readonly answeredBy?: InteragencySystem;
}>;

/**
 * The engine handed a step over to the outside system that carries it out, and the system took it
 * (the outbox delivered it): the hand-off time of the control slip (form 06). `reference`: the
 * system's own id for it, when it gave one.
 */
export type StepHandedOff = Event<'StepHandedOff', At & { readonly stepId: string; readonly run: number; readonly system: InteragencySystem; readonly reference?: string }>;

/** An outside system reported how far it is with a step (received, measuring, awaiting signature). */
export type ExternalProgressReported = Event<'ExternalProgressReported', At & {
  readonly stepId: string;
  readonly run: number;
  readonly system: InteragencySystem;
  readonly status: string;
  readonly note?: string;
  /** When the system says it happened (its own clock); `at` is when the engine learned it. */
  readonly reportedAt: string;
}>;

export type StepSentBack = Event<'StepSentBack', At & StepMark & {
  readonly stepId: string;
  readonly reason: string;
  readonly toStageIndex: number;
  /** The outside system whose answer sent this step back (absent: an officer's command). */
  readonly answeredBy?: InteragencySystem;
}>;

export interface StepMark {
  readonly allottedMinutes: number;
  readonly usedMinutes: number;
  readonly mark: Classification;
}

export type ConsultationRequested = Event<'ConsultationRequested', At & {
  readonly stepId: string;
  readonly consultationId: string;
  readonly bodyAgencyCode: string;
  readonly question: string;
  readonly replyBy: string;
}>;

export type ConsultationAnswered = Event<'ConsultationAnswered', At & { readonly consultationId: string; readonly reply: string; readonly late: boolean }>;

/** Form 02 during processing, returned through the one-stop centre; the clock stops. */
export type SupplementRequested = Event<'SupplementRequested', At & {
  readonly stepId: string;
  readonly missing: readonly MissingItem[];
  readonly viaAgencyCode: string;
  /** 1 for the first request during processing. */
  readonly requestNumber: number;
  readonly reasonForAnotherRequest?: string;
  /** Decision 766 counts a dossier with more than one request as late. */
  readonly countedLateByDecision766: boolean;
}>;

/** The applicant supplemented; during processing the clock restarts or resumes, per procedure. */
export type SupplementProvided = Event<'SupplementProvided', At & {
  readonly components: readonly SubmittedComponent[];
  readonly note?: string;
  readonly duringProcessing: boolean;
  readonly clockEffect: 'restart' | 'resume' | null;
  /** The due time after the supplement, when the clock runs. */
  readonly due: string | null;
}>;

/** A tax or fee notice: the clock stops until payment (status 6). */
export type FinancialObligationRequested = Event<'FinancialObligationRequested', At & {
  readonly stepId: string;
  readonly noticeNumber: string;
  readonly amountVnd: number;
  /** The last day to pay as the notice states it, when it states one (the tax authority's electronic notices do). */
  readonly dueDate?: string;
  /** The notice itself, when it came as a file (the tax authority's electronic notice). */
  readonly noticeFile?: StoredFile;
}>;

export type PaymentRecorded = Event<'PaymentRecorded', At & {
  readonly amountVnd: number;
  readonly method: 'counter' | 'bank-transfer' | 'post' | 'online';
  readonly onlineGateway?: 'national-portal' | 'provincial';
  readonly receiptNumber: string;
  /** Whether this payment settled a pending obligation and restarted the clock. */
  readonly resumedClock: boolean;
  readonly due: string | null;
  /** The receipt (chứng từ nộp tiền) as a file, when it came as one (the tax authority's electronic receipt). */
  readonly receiptFile?: StoredFile;
  /** When the payment was made, as the receipt states it (absent: when it was recorded). */
  readonly paidAt?: string;
  /** The payment request it settled, and the platform's confirmation of it (an online payment). */
  readonly platformPayment?: { readonly reference: string; readonly transactionId: string; readonly bankCode?: string };
  /**
   * A platform payment of a request no longer to be paid (the dossier closed, or the notice was paid
   * another way first): recorded, since the platform took the money, and owed back to the applicant
   * through the platform's operator (docs/rules.md#payment-requests-and-online-payments).
   */
  readonly refundDue?: 'dossier-closed' | 'settled-otherwise';
  /** A payment staff record that settles the dossier's pending fees request (its reference), paid at the counter or the other way. */
  readonly settledRequest?: string;
}>;

/** A written refusal to resolve after appraisal (Decree 61 art. 19(8)). */
export type ResolutionRefused = Event<'ResolutionRefused', At & {
  readonly reasons: readonly string[];
  readonly legalBasis: string;
  readonly withinTimeLimit: boolean;
}>;

/** Form 04: apology and new appointment; the original due time is kept. */
export type ApologyIssued = Event<'ApologyIssued', At & {
  readonly agencyCode: string;
  readonly reason: string;
  readonly originalDue: string;
  readonly newAppointment: string;
}>;

export type ResultIssued = Event<'ResultIssued', At & {
  /** `<dossier code>-KQ<n>` (Decree 45/2020 art. 14(3)). */
  readonly resultCode: string;
  /** The result file; size and media type are absent in events from before results were files. */
  readonly document: { readonly reference: string; readonly sha256: string; readonly size?: number; readonly mediaType?: 'application/pdf' };
  /**
   * The signature report of the competent body's signed file, and the agency its signer belongs to.
   * Absent in events from before the e-result (the caller's word; the engine then signed a result
   * document of its own): such a result is not an e-result.
   */
  readonly signature?: SignatureReport;
  readonly signerAgencyCode?: string;
  readonly dossierRule: Classification;
  readonly decision766: Classification;
  /** Registrations outside systems recorded for the dossier's steps (civil status): the result carries their numbers. */
  readonly registrations?: readonly { readonly stepId: string; readonly system: InteragencySystem; readonly number: string; readonly book?: string }[];
}>;

export type ResultReturned = Event<'ResultReturned', At & {
  readonly method: 'counter' | 'post' | 'electronic';
  readonly early: boolean;
  readonly applicantNotifiedInAdvance: boolean;
}>;

export type WithdrawalRequested = Event<'WithdrawalRequested', At & { readonly reason: string }>;

/** The decision on a withdrawal request; approved is form 05 and stops processing. */
export type WithdrawalDecided = Event<'WithdrawalDecided', At & { readonly approved: boolean; readonly reason: string }>;

export type EvaluationRecorded = Event<'EvaluationRecorded', At & {
  readonly rating: 'very-satisfied' | 'satisfied' | 'not-satisfied';
  readonly comment?: string;
  /**
   * `online`: the citizen's own, with the receipt's code and secret; `paper-form`: a paper form the
   * centre collected, entered by staff. Absent in events before issue 21: recorded by staff.
   */
  readonly source?: 'online' | 'paper-form';
  readonly paperFormReference?: string;
}>;

/**
 * A payment request the applicant may pay online (docs/integrations.md#online-payment). `reference`
 * is the platform's MaThamChieu: unique, derived from the dossier code and the stream version.
 */
export type PaymentRequested = Event<'PaymentRequested', At & {
  readonly reference: string;
  readonly purpose: 'fees' | 'obligation';
  readonly amountVnd: number;
  /** What the amount is made of: the catalogue's fees (phí, lệ phí), or the notice. */
  readonly items: readonly { readonly name: string; readonly amountVnd: number; readonly kind?: 'fee' | 'charge' | 'obligation' }[];
  /** The notice an `obligation` request asks the applicant to pay. */
  readonly noticeNumber?: string;
  readonly note?: string;
}>;

/** The legal clock raised an alert: due soon or overdue, for the dossier or one step. */
export type DeadlineAlerted = Event<'DeadlineAlerted', At & {
  readonly scope: { readonly kind: 'dossier' } | { readonly kind: 'step'; readonly stepId: string };
  readonly alert: 'due-soon' | 'overdue';
  readonly due: string;
  /** The agency whose queue the alert lands on. */
  readonly agencyCode: string;
}>;

/**
 * A document the engine rendered from the events up to `forVersion` and signed (a form, the result):
 * its file's digest in the document store and the check of its signature.
 */
export type DocumentIssued = Event<'DocumentIssued', At & {
  readonly kind: DocumentKind;
  readonly documentId: string;
  readonly number: string;
  readonly forVersion: number;
  readonly issuerAgencyCode: string;
  /** The document's own date and signing time: the instant of the event it was issued for. */
  readonly issuedAt: string;
  readonly file: { readonly sha256: string; readonly size: number; readonly mediaType: 'application/pdf' };
  readonly signature: SignatureReport;
}>;

/**
 * The apology for lateness (xin lỗi vì hồ sơ quá hạn): a signed letter to the applicant once the
 * appointment in force has passed. Never moves a due time: the clock, its original due (what
 * statistics judge by) and any form 04 extension stay as they were.
 */
export type LatenessApologyIssued = Event<'LatenessApologyIssued', At & {
  /** The agency that apologises: the one responsible for the delay, or the competent agency. */
  readonly agencyCode: string;
  /** The agency responsible for the delay (held the dossier when it went overdue). */
  readonly responsibleAgencyCode: string;
  readonly reason: string;
  /** The appointment the applicant held and that was missed (the due time in force, or an earlier lateness apology's new appointment). */
  readonly missedAppointment: string;
  /** The original due time, unchanged (Decision 766 and the dossier's own rule judge by it). */
  readonly originalDue: string;
  /** When the result is not ready yet: the new appointment the letter gives. Absent once it is ready. */
  readonly newAppointment?: string;
  /** 1 for the dossier's first apology for lateness. */
  readonly sequence: number;
}>;

/**
 * The accountability explanation (giải trình): the responsible official's written reason for the
 * delay, addressed to the head of their agency. `due` is when it was due (working days after the
 * dossier went overdue, per the procedure's rules); `late` says whether it came after that.
 */
export type LatenessExplained = Event<'LatenessExplained', At & {
  /** The responsible agency: the one holding the dossier when it went overdue. */
  readonly agencyCode: string;
  /** Who wrote it (the actor's user id and role). */
  readonly author: { readonly userId: string; readonly role: string };
  readonly reason: string;
  /** When the dossier went overdue: the due time that passed. */
  readonly overdueSince: string;
  readonly due: string;
  readonly late: boolean;
}>;

/**
 * "Calendar 2026.2 adopted": an amendment announced while the dossier was open. Its days count from
 * `appliesFrom` (the day after the adoption) on; what it changed from then on, and the due date in
 * force before and after, are recorded as the rules found them.
 */
export type CalendarAmendmentAdopted = Event<'CalendarAmendmentAdopted', At & {
  readonly calendarId: string;
  readonly version: string;
  readonly amendment: CalendarAmendment;
  readonly appliesFrom: string;
  /** Days from `appliesFrom` to the end of the year after the last one it names, on the centre's calendar. */
  readonly changedDays: readonly ChangedDay[];
  readonly dueBefore: string | null;
  readonly dueAfter: string | null;
}>;

/**
 * A file attached to one of the dossier's components (docs/files.md). A file is never changed: a
 * replacement is another of these, naming the file it replaces. Who attached it is the event's actor.
 */
export type ComponentFileAttached = Event<'ComponentFileAttached', At & {
  readonly componentId: string;
  readonly file: StoredFile;
  readonly origin: FileOrigin;
  /** Approved as it was attached: a reused file, or a scan the receiving official made and approved. */
  readonly approved: boolean;
  readonly replaces?: string;
}>;

/** The receiving official approved a component's file as its digitised copy (số hóa). */
export type ComponentFileApproved = Event<'ComponentFileApproved', At & { readonly componentId: string; readonly sha256: string }>;

export type DossierEvent =
  | DossierReceived
  | SupplementRequestedAtReception
  | DossierRefusedAtReception
  | DossierAccepted
  | StepStarted
  | HandlerAssigned
  | StepCompleted
  | StepSentBack
  | ConsultationRequested
  | ConsultationAnswered
  | SupplementRequested
  | SupplementProvided
  | FinancialObligationRequested
  | PaymentRecorded
  | PaymentRequested
  | ResolutionRefused
  | ApologyIssued
  | ResultIssued
  | ResultReturned
  | WithdrawalRequested
  | WithdrawalDecided
  | EvaluationRecorded
  | DeadlineAlerted
  | DocumentIssued
  | LatenessApologyIssued
  | LatenessExplained
  | CalendarAmendmentAdopted
  | ComponentFileAttached
  | ComponentFileApproved
  | StepHandedOff
  | ExternalProgressReported;
export type DossierEventType = DossierEvent['type'];
export type EventOfType<T extends DossierEventType> = Extract<DossierEvent, { type: T }>;
