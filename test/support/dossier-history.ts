// The facts a given/when/then test is given: a dossier's events written in the domain's words, one
// builder method a fact, without the decider. Values an event records from the clock (a due time,
// a step's mark) are read from the domain's own clock, so a given history says what really would
// have been recorded.
import { civilDayOfInstant, parseInstant } from '../../domain/calendar/civil-day.js';
import type { Actor } from '../../domain/dossier/actor.js';
import type { LifecycleCommand, MissingItem, ReceiveDossier } from '../../domain/dossier/commands.js';
import { paymentReference } from '../../domain/dossier/decide-payment.js';
import { startStage } from '../../domain/dossier/decide-reception.js';
import { readDossierClock, readStepClock, workingCalendarOf } from '../../domain/dossier/dossier-clock.js';
import type { StoredEvent } from '../../db/event-store.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { activeSteps, foldDossier, newDossier, type ReceivedDossier } from '../../domain/dossier/state.js';
import { instant } from './decider-spec.js';
import { actor, CATALOGUE, CENTRE, completeComponents, pinned } from './dossier-fixtures.js';

export class DossierHistory {
  readonly events: DossierEvent[] = [];
  #commands = 0;

  private constructor(
    readonly dossierCode: string,
    readonly procedureCode: string,
  ) {}

  /** DossierReceived at the sample centre, with its code for that day. */
  static received(procedureCode: string, receivedLocal = '2026-03-02T08:30:00', serial = 1, channel: ReceiveDossier['channel'] = 'counter'): DossierHistory {
    const date = receivedLocal.slice(2, 10).replaceAll('-', '');
    const history = new DossierHistory(`${CENTRE}-${date}-${String(serial).padStart(4, '0')}`, procedureCode);
    const { name, superior, place } = CATALOGUE.agencies.find((agency) => agency.code === CENTRE)!;
    history.events.push({
      type: 'DossierReceived',
      schemaVersion: 1,
      data: {
        dossierCode: history.dossierCode,
        agencyCode: CENTRE,
        procedureCode,
        channel,
        applicant: { kind: 'citizen', fullName: 'Trần Thị Bình', identityNumber: '038190001234' },
        receivedAt: instant(receivedLocal),
        centre: { name, ...(superior ? { superior } : {}), ...(place ? { place } : {}) },
      },
    });
    return history;
  }

  /** A dossier code allocated but never received: no events at all. */
  static none(dossierCode: string, procedureCode: string): DossierHistory {
    return new DossierHistory(dossierCode, procedureCode);
  }

  get state(): ReceivedDossier {
    const state = foldDossier(newDossier(this.dossierCode), this.events);
    if (state.status === 'none') throw new Error('not received');
    return state;
  }

  /** A command on this dossier: the test gives its fields, the history its type, id and dossier code. */
  command<T extends LifecycleCommand['type']>(type: T, by: Actor, fields: Omit<Extract<LifecycleCommand, { type: T }>, 'type' | 'commandId' | 'dossierCode' | 'actor'>): Extract<LifecycleCommand, { type: T }> {
    this.#commands += 1;
    return { type, commandId: `cmd-${this.#commands}`, dossierCode: this.dossierCode, actor: by, ...fields } as Extract<LifecycleCommand, { type: T }>;
  }

  #add(...events: DossierEvent[]): this {
    this.events.push(...events);
    return this;
  }

  /**
   * Form 01 with its appointment, and the first stage of the route handed its steps. The version
   * pinned is the one in force on 2 March 2026, or on `pinnedOn` (the sample's 2026.2 versions, with
   * steps done in outside systems, are in force from 1 December 2026).
   */
  accepted(local: string, pinnedOn?: string): this {
    const at = instant(local);
    const { procedure, agencies, calendarVersion } = pinned(this.procedureCode, undefined, pinnedOn ? { day: pinnedOn } : {});
    const calendarOf = (code: string) => workingCalendarOf(agencies.find((agency) => agency.code === code)!, calendarVersion);
    const acceptance: DossierEvent = {
      type: 'DossierAccepted',
      schemaVersion: 1,
      data: { at, procedure, agencies, calendarVersion, components: completeComponents(this.procedureCode), appointment: '' },
    };
    const appointment = readDossierClock(foldDossier(this.state, [acceptance]) as ReceivedDossier, at).due;
    return this.#add({ ...acceptance, data: { ...acceptance.data, appointment } }, ...startStage(procedure, 0, 1, CENTRE, at, calendarOf));
  }

  /** A stage of the route handed its steps (after the previous one was approved, or on a send-back). */
  stageStarted(stageIndex: number, local: string, fromAgencyCode: string, run = 1): this {
    const { procedure, agencies, calendarVersion } = this.state.accepted!;
    const calendarOf = (code: string) => workingCalendarOf(agencies.find((agency) => agency.code === code)!, calendarVersion);
    return this.#add(...startStage(procedure, stageIndex, run, fromAgencyCode, instant(local), calendarOf));
  }

  supplementRequestedAtReception(local: string, missing: readonly MissingItem[]): this {
    return this.#add({ type: 'SupplementRequestedAtReception', schemaVersion: 1, data: { at: instant(local), missing } });
  }

  refusedAtReception(local: string, reasons: readonly string[], legalBasis: string): this {
    return this.#add({ type: 'DossierRefusedAtReception', schemaVersion: 1, data: { at: instant(local), reasons, legalBasis } });
  }

  /** The applicant supplemented; during processing the clock restarts or resumes as the procedure says. */
  supplementProvided(local: string): this {
    const at = instant(local);
    const state = this.state;
    const duringProcessing = state.status === 'awaiting-supplement';
    const provided: DossierEvent = {
      type: 'SupplementProvided',
      schemaVersion: 1,
      data: { at, components: [], duringProcessing, clockEffect: duringProcessing ? state.accepted!.procedure.clock.afterSupplement : null, due: null },
    };
    if (!duringProcessing) return this.#add(provided);
    const due = readDossierClock(foldDossier(state, [provided]) as ReceivedDossier, at).due;
    return this.#add({ ...provided, data: { ...provided.data, due } });
  }

  handlerAssigned(stepId: string, handlerUserId: string, local: string): this {
    return this.#add({ type: 'HandlerAssigned', schemaVersion: 1, data: { at: instant(local), stepId, handlerUserId } });
  }

  /** A step's work done, with the mark its own clock gives it then. */
  stepCompleted(stepId: string, local: string, outcome: 'approved' | 'not-approved' = 'approved'): this {
    const at = instant(local);
    const state = this.state;
    const step = activeSteps(state).find((candidate) => candidate.stepId === stepId)!;
    const reading = readStepClock(state, { ...step, clock: [...step.clock, { type: 'stopped', at, outcome: 'resolved' }] }, at);
    const mark = { allottedMinutes: reading.period.budgetMinutes, usedMinutes: reading.elapsed.minutes, mark: reading.outcome!.dossierRule };
    return this.#add({ type: 'StepCompleted', schemaVersion: 1, data: { at, stepId, outcome, ...mark } });
  }

  consultationRequested(stepId: string, consultationId: string, bodyAgencyCode: string, replyBy: string, local: string): this {
    return this.#add({ type: 'ConsultationRequested', schemaVersion: 1, data: { at: instant(local), stepId, consultationId, bodyAgencyCode, question: '?', replyBy } });
  }

  consultationAnswered(consultationId: string, reply: string, local: string): this {
    const at = instant(local);
    const consultation = this.state.consultations.find((candidate) => candidate.consultationId === consultationId)!;
    return this.#add({ type: 'ConsultationAnswered', schemaVersion: 1, data: { at, consultationId, reply, late: Date.parse(at) > Date.parse(consultation.replyBy) } });
  }

  /** Form 02 during processing, returned through the receiving centre. */
  supplementRequested(stepId: string, local: string, missing: readonly MissingItem[]): this {
    const requestNumber = this.state.supplementRequests + 1;
    return this.#add({
      type: 'SupplementRequested',
      schemaVersion: 1,
      data: { at: instant(local), stepId, missing, viaAgencyCode: CENTRE, requestNumber, countedLateByDecision766: requestNumber > 1 },
    });
  }

  financialObligationRequested(stepId: string, local: string, noticeNumber: string, amountVnd: number): this {
    return this.#add({ type: 'FinancialObligationRequested', schemaVersion: 1, data: { at: instant(local), stepId, noticeNumber, amountVnd } });
  }

  /** A payment; when it settles a pending obligation the clocks run again. */
  paymentRecorded(local: string, amountVnd: number, receiptNumber: string): this {
    const at = instant(local);
    const state = this.state;
    const resumedClock = state.pendingObligation !== undefined;
    const payment: DossierEvent = { type: 'PaymentRecorded', schemaVersion: 1, data: { at, amountVnd, method: 'counter', receiptNumber, resumedClock, due: null } };
    if (!resumedClock) return this.#add(payment);
    const due = readDossierClock(foldDossier(state, [payment]) as ReceivedDossier, at).due;
    return this.#add({ ...payment, data: { ...payment.data, due } });
  }

  /** A payment request: the pinned fees above 0 VND, or the pending notice; its reference from its version. */
  paymentRequested(local: string, purpose: 'fees' | 'obligation'): this {
    const state = this.state;
    const reference = paymentReference(this.dossierCode, this.events.length + 1);
    if (purpose === 'fees') {
      const items = state.accepted!.procedure.fees.filter((fee) => fee.amountVnd > 0).map(({ name, amountVnd, kind }) => ({ name, amountVnd, ...(kind ? { kind } : {}) }));
      const amountVnd = items.reduce((sum, item) => sum + item.amountVnd, 0);
      return this.#add({ type: 'PaymentRequested', schemaVersion: 1, data: { at: instant(local), reference, purpose, amountVnd, items } });
    }
    const { noticeNumber, amountVnd } = state.pendingObligation!;
    return this.#add({ type: 'PaymentRequested', schemaVersion: 1, data: { at: instant(local), reference, purpose, amountVnd, items: [{ name: `Nghĩa vụ tài chính theo thông báo ${noticeNumber}`, amountVnd, kind: 'obligation' }], noticeNumber } });
  }

  /** The payment platform's confirmation of request `reference`, paid in full; an obligation's resumes the clock. */
  platformPaymentRecorded(local: string, reference: string, transactionId: string): this {
    const at = instant(local);
    const state = this.state;
    const request = state.paymentRequests!.find((candidate) => candidate.reference === reference)!;
    const resumedClock = request.purpose === 'obligation' && state.pendingObligation?.noticeNumber === request.noticeNumber && state.status !== 'result-ready';
    const payment: DossierEvent = {
      type: 'PaymentRecorded',
      schemaVersion: 1,
      data: { at, amountVnd: request.amountVnd, method: 'online', onlineGateway: 'national-portal', receiptNumber: transactionId, resumedClock, due: null, paidAt: at, platformPayment: { reference, transactionId, bankCode: 'VCB' } },
    };
    if (!resumedClock) return this.#add(payment);
    const due = readDossierClock(foldDossier(state, [payment]) as ReceivedDossier, at).due;
    return this.#add({ ...payment, data: { ...payment.data, due } });
  }

  /** The result issued, classified by the dossier's clock as it stops. */
  resultIssued(local: string, reference: string): this {
    const at = instant(local);
    const state = this.state;
    const result: DossierEvent = {
      type: 'ResultIssued',
      schemaVersion: 1,
      data: { at, resultCode: `${this.dossierCode}-KQ${state.results + 1}`, document: { reference, sha256: 'a'.repeat(64) }, dossierRule: 'on-time', decision766: 'on-time' },
    };
    const reading = readDossierClock(foldDossier(state, [result]) as ReceivedDossier, at);
    return this.#add({ ...result, data: { ...result.data, dossierRule: reading.outcome!.dossierRule, decision766: reading.decision766.classification } });
  }

  /** A written refusal to resolve, within the time limit or not as the dossier's clock says then. */
  resolutionRefused(local: string, reasons: readonly string[], legalBasis: string): this {
    const at = instant(local);
    return this.#add({ type: 'ResolutionRefused', schemaVersion: 1, data: { at, reasons, legalBasis, withinTimeLimit: !readDossierClock(this.state, at).overdue } });
  }

  resultReturned(local: string, method: 'counter' | 'post' | 'electronic', applicantNotifiedInAdvance: boolean): this {
    const at = instant(local);
    const early = civilDayOfInstant(parseInstant(at)) < civilDayOfInstant(parseInstant(readDossierClock(this.state, at).due));
    return this.#add({ type: 'ResultReturned', schemaVersion: 1, data: { at, method, early, applicantNotifiedInAdvance } });
  }

  /** Form 04 from `agencyCode`, with the due time it moves. */
  apologyIssued(agencyCode: string, local: string, newAppointment: string): this {
    const at = instant(local);
    return this.#add({ type: 'ApologyIssued', schemaVersion: 1, data: { at, agencyCode, reason: 'Chờ xác minh', originalDue: readDossierClock(this.state, at).originalDue, newAppointment } });
  }

  withdrawalRequested(local: string, reason: string): this {
    return this.#add({ type: 'WithdrawalRequested', schemaVersion: 1, data: { at: instant(local), reason } });
  }

  withdrawalDecided(local: string, approved: boolean, reason: string): this {
    return this.#add({ type: 'WithdrawalDecided', schemaVersion: 1, data: { at: instant(local), approved, reason } });
  }

  evaluationRecorded(local: string, rating: 'very-satisfied' | 'satisfied' | 'not-satisfied'): this {
    return this.#add({ type: 'EvaluationRecorded', schemaVersion: 1, data: { at: instant(local), rating } });
  }

  /** The dossier clock's alert, raised for the agency holding the dossier. */
  deadlineAlerted(alert: 'due-soon' | 'overdue', local: string): this {
    const at = instant(local);
    const state = this.state;
    const agencyCode = activeSteps(state)[0]?.agencyCode ?? state.accepted!.procedure.competentAgencyCode;
    return this.#add({ type: 'DeadlineAlerted', schemaVersion: 1, data: { at, scope: { kind: 'dossier' }, alert, due: readDossierClock(state, at).due, agencyCode } });
  }

  /** The apology for lateness of the agency, for the appointment it missed (the due time in force unless given). */
  latenessApologyIssued(agencyCode: string, local: string, newAppointment?: string, missedAppointment?: string): this {
    const at = instant(local);
    const state = this.state;
    const reading = readDossierClock(state, at);
    return this.#add({
      type: 'LatenessApologyIssued',
      schemaVersion: 1,
      data: { at, agencyCode, responsibleAgencyCode: state.lateness?.agencyCode ?? activeSteps(state)[0]?.agencyCode ?? state.accepted!.procedure.competentAgencyCode, reason: 'Chờ xác minh', missedAppointment: missedAppointment ?? state.lateness?.due ?? reading.due, originalDue: reading.originalDue, ...(newAppointment ? { newAppointment } : {}), sequence: (state.lateness?.apologies ?? 0) + 1 },
    });
  }
}

/** The system actor that raises the legal clock's alerts. */
export const LEGAL_CLOCK = actor('system', CENTRE, 'legal-clock');

/** The events as the log stores them (only what the read models read). */
export function stored(history: DossierHistory): StoredEvent[] {
  return history.events.map((event: DossierEvent, index) => ({
    streamId: history.dossierCode,
    streamVersion: index + 1,
    eventId: `e${index + 1}`,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {} as StoredEvent['metadata'],
    globalPosition: index + 1,
    occurredAt: new Date(event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at),
    recordedAt: new Date(0),
    hash: '',
  }));
}
