import { vietnamDateOf } from '../calendar/vietnam-time.js';
import type { DossierCommand, ReceiveDossier } from './commands.js';
import { decideAcceptance, decideRefusalAtReception, decideSupplementAtReception } from './decide-reception.js';
import { decideCalendarAdoption } from './decide-calendar-adoption.js';
import { decideClosing } from './decide-closing.js';
import { decideDeadlineAlert } from './decide-deadline-alert.js';
import { decideDocumentIssued } from './decide-documents.js';
import { decideFiles, receivedFiles } from './decide-files.js';
import { decideLateness } from './decide-lateness.js';
import { decidePlatformPayment, decideRequestPayment } from './decide-payment.js';
import { decideProcessing } from './decide-processing.js';
import { decideInteragency, systemOnlyFieldRefusal } from './decide-interagency.js';
import { closed, isDomainError, notReceived, roleNotAllowed } from './decision-guards.js';
import { formatDossierCode, parseDossierCode } from './dossier-code.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent, EventOfType } from './events.js';
import { evolveDossier, type DossierState, type ReceivedDossier } from './state.js';

/** What a decision may know besides the state and the command: the workflow's time. */
export interface DecisionContext {
  /** Workflow time, as an ISO instant: the moment the command is decided. */
  readonly now: string;
  /**
   * The dossier stream's version the command is decided at (its last event's). A payment request's
   * reference is derived from it (decide-payment.ts); the workflow always gives it.
   */
  readonly streamVersion?: number;
  /**
   * A workflow history recorded before staff's online payments were refused replays the ones it
   * took as they were decided then (workflows/dossier/patches.ts, PLATFORM_PAYMENTS_PATCH). Never
   * set for a command decided now.
   */
  readonly staffOnlinePaymentsAsBefore?: boolean;
}

/** The dossier's rules: the events a command causes in a state, or the rule that refuses it. */
export function decideDossier(state: DossierState, command: DossierCommand, context: DecisionContext): Decision<DossierEvent> {
  if (command.dossierCode !== state.dossierCode) {
    return refuse({
      code: 'COMMAND_FOR_ANOTHER_DOSSIER',
      message: `This command names dossier ${command.dossierCode} but was sent to dossier ${state.dossierCode}; send it to the dossier it names.`,
      rule: 'A command acts only on the dossier whose code it carries; each dossier has one code (Decree 61/2018/NĐ-CP art. 26; Circular 01/2018/TT-VPCP art. 19)',
      field: 'dossierCode',
    });
  }
  if (command.type === 'ReceiveDossier') return receive(state, command);
  // The platform's confirmation of an online payment is a fact about money the applicant paid: it is
  // recorded even if the dossier closed since the request (decide-payment.ts).
  if (command.type === 'RecordPayment' && command.actor.role === 'payment-platform') {
    if (state.status === 'none') return refuse(notReceived(state, command.type)!);
    return decidePlatformPayment(state, command, context);
  }
  const open = dossierPreconditions(state, command.type);
  if (isDomainError(open)) return refuse(open);
  const systemOnly = systemOnlyFieldRefusal(command);
  if (systemOnly) return refuse(systemOnly);
  switch (command.type) {
    case 'AcceptDossier':
      return decideAcceptance(open, command, context);
    case 'RequestSupplementAtReception':
      return decideSupplementAtReception(open, command, context);
    case 'RefuseAtReception':
      return decideRefusalAtReception(open, command, context);
    case 'ProvideSupplement':
    case 'AssignHandler':
    case 'CompleteStep':
    case 'SendStepBack':
    case 'ConsultBody':
    case 'RecordConsultationReply':
    case 'RequestSupplement':
    case 'RequestFinancialObligation':
    case 'RecordPayment':
      return decideProcessing(open, command, context);
    case 'MarkDeadline':
      return decideDeadlineAlert(open, command, context);
    case 'RefuseToResolve':
    case 'IssueApology':
    case 'IssueResult':
    case 'ReturnResult':
    case 'RequestWithdrawal':
    case 'DecideWithdrawal':
    case 'RecordEvaluation':
      return decideClosing(open, command, context);
    case 'RequestPayment':
      return decideRequestPayment(open, command, context);
    case 'RecordDocumentIssued':
      return decideDocumentIssued(open, command, context);
    case 'IssueLatenessApology':
    case 'RecordLatenessExplanation':
      return decideLateness(open, command, context);
    case 'AdoptCalendarAmendment':
      return decideCalendarAdoption(open, command, context);
    case 'AttachComponentFile':
    case 'ApproveComponentFile':
      return decideFiles(open, command, context);
    case 'RecordStepHandOff':
    case 'ReportExternalProgress':
      return decideInteragency(open, command, context);
  }
}

/**
 * What every command but the reception needs of the dossier, whatever its payload: received, and
 * open unless the command is one a closed dossier still takes.
 */
export function dossierPreconditions(state: DossierState, commandType: DossierCommand['type']): ReceivedDossier | DomainError {
  if (state.status === 'none') return notReceived(state, commandType)!;
  // An evaluation, the documents of the last decision, and a late dossier's apology and
  // explanation still come after a dossier closes.
  if (!AFTER_CLOSING.has(commandType)) {
    const isClosed = closed(state, commandType);
    if (isClosed) return isClosed;
  }
  return state;
}

/** Commands a closed dossier still takes. */
// The outbox's record of a hand-off it delivered just before the dossier closed (withdrawn, say)
// still belongs on form 06.
export const AFTER_CLOSING: ReadonlySet<DossierCommand['type']> = new Set(['RecordEvaluation', 'RecordDocumentIssued', 'IssueLatenessApology', 'RecordLatenessExplanation', 'RecordStepHandOff']);

function receive(state: DossierState, command: ReceiveDossier): Decision<DossierEvent> {
  if (state.status !== 'none') {
    return refuse({
      code: 'DOSSIER_ALREADY_RECEIVED',
      message: `Dossier ${state.dossierCode} was already received on ${state.receivedAt}; a dossier is received once. Act on the existing dossier instead.`,
      rule: 'One dossier code per dossier, the same for every party and channel (Decree 61/2018 art. 26)',
    });
  }
  const roleRefusal = roleNotAllowed(command.actor, command.type);
  if (roleRefusal) return refuse(roleRefusal);
  if (command.actor.agencyCode !== command.agencyCode) {
    return refuse({
      code: 'NOT_THE_RECEIVING_CENTRE',
      message: `${command.actor.userId} works at ${command.actor.agencyCode} and cannot receive dossiers for ${command.agencyCode}.`,
      rule: 'A one-stop centre receives the dossiers filed with it (Decree 61/2018 art. 16)',
      field: 'agencyCode',
    });
  }
  const parts = parseDossierCode(command.dossierCode);
  const expectedPrefix = formatDossierCode({
    agencyCode: command.agencyCode,
    receptionDate: vietnamDateOf(new Date(command.receivedAt)),
    serial: parts?.serial ?? 1,
  });
  if (!parts || expectedPrefix !== command.dossierCode) {
    return refuse({
      code: 'DOSSIER_CODE_MISMATCH',
      message: `Dossier code ${command.dossierCode} does not match the receiving agency ${command.agencyCode} and the reception date; allocate the code for this agency and day.`,
      rule: 'Dossier code = receiving agency code, reception date YYMMDD, daily serial (Circular 01/2018/TT-VPCP art. 19)',
      field: 'dossierCode',
    });
  }
  // A portal sends online submissions only, each under its own id there (docs/portal-intake.md).
  if (command.actor.role === 'portal' && (command.channel !== 'online' || command.submission === undefined)) {
    return refuse({
      code: 'ONLINE_SUBMISSION_REQUIRED',
      message: `A portal submits dossiers online, under its own dossier id: send channel "online" with the submission (portal, portalDossierId, submittedAt).`,
      rule: 'Online submission through the public-service portals (Decree 45/2020/NĐ-CP arts. 9–11)',
      field: command.channel !== 'online' ? 'channel' : 'submission',
    });
  }
  const received: EventOfType<'DossierReceived'> = {
    type: 'DossierReceived',
    schemaVersion: 1,
    data: {
      dossierCode: command.dossierCode,
      agencyCode: command.agencyCode,
      procedureCode: command.procedureCode,
      channel: command.channel,
      applicant: command.applicant,
      receivedAt: command.receivedAt,
      ...(command.centre ? { centre: command.centre } : {}),
      ...(command.procedureName ? { procedureName: command.procedureName } : {}),
      ...(command.locality ? { locality: command.locality } : {}),
      ...(command.submission ? { submission: command.submission } : {}),
    },
  };
  if (!command.files || command.files.length === 0) return accept(received);
  // The files land with the dossier or not at all: nothing half-received.
  const files = receivedFiles(evolveDossier(state, received) as ReceivedDossier, command.files, command.receivedAt);
  return files.ok ? accept<DossierEvent>(received, ...files.events) : refuse(files.error);
}
