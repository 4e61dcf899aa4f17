// Payment requests and the payments the national payment platform confirms
// (docs/rules.md#payment-requests-and-online-payments, docs/integrations.md#online-payment). Staff ask
// the applicant to pay (RequestPayment); the platform, and only the platform, records that an online
// payment of such a request was made (RecordPayment with `platformPayment`). A payment at the counter,
// by transfer or by post stays staff's RecordPayment (decide-processing.ts), never `online`.
import type { Actor } from './actor.js';
import type { CommandOfType } from './commands.js';
import type { DecisionContext } from './decide.js';
import { firstRefusal, roleNotAllowed } from './decision-guards.js';
import { readDossierClock } from './dossier-clock.js';
import { accept, refuse, type Decision, type DomainError } from './errors.js';
import type { DossierEvent, PaymentRequested } from './events.js';
import { CLOSED_STATUSES, evolveDossier, type PaymentRequest, type ReceivedDossier } from './state.js';

const RULE_REQUEST = 'Fees and charges are paid as the procedure lists them; a financial obligation as its notice states it (Decree 61/2018 art. 19(4); Decree 45/2020 art. 13; docs/rules.md#payment-requests-and-online-payments)';
const RULE_PLATFORM = "An online payment is the national payment platform's confirmation of a payment request (Decree 224/2026 art. 15(1)(đ); docs/integrations.md#online-payment)";

/** The longest MaThamChieu the platform takes (docs/integrations.md#online-payment). */
export const PAYMENT_REFERENCE_MAX_LENGTH = 50;

/**
 * The platform's reference (MaThamChieu) for the request recorded as event `version` of the dossier's
 * stream: `dvc`, the dossier code without its non-word characters, `v`, the version. Deterministic
 * (a replayed decision gives the same reference) and unique (one dossier code per dossier, one event
 * per version), and only letters and digits, whatever the platform accepts.
 */
export function paymentReference(dossierCode: string, version: number): string {
  return `dvc${dossierCode.replace(/\W/g, '')}v${version}`;
}

/** The requests still waiting for the applicant's payment; absent before the first request. */
export function pendingPaymentRequests(state: ReceivedDossier): readonly PaymentRequest[] {
  return (state.paymentRequests ?? []).filter((request) => request.status === 'pending');
}

/**
 * Whatever its purpose, a payment request is for a dossier accepted (the fees are those of the
 * procedure version pinned then) and not closed (decide.ts checks that), asked by the receiving
 * centre, the competent agency, or the agency whose step issued the pending notice.
 */
export function paymentRequestPreconditions(state: ReceivedDossier, actor: Actor): DomainError | null {
  return firstRefusal(
    () => roleNotAllowed(actor, 'RequestPayment'),
    // The receiving centre asks for either; the notice's issuer only for its notice.
    () => (notAnAgencyOfThePayment(state, actor, 'fees') && notAnAgencyOfThePayment(state, actor, 'obligation')),
    () => (state.accepted ? null : notAcceptedYet(state)),
    // The notice's issuer, once its notice cannot be asked, would be asking for the fees: not theirs.
    () => (actor.agencyCode !== state.agencyCode && obligationRequestRefusal(state) ? notAnAgencyOfThePayment(state, actor, 'fees') : null),
    // Offered (GET /dossiers/{code}/actions) while one purpose or the other can be asked; when
    // neither can, the fees' refusal explains it (the obligation's says only that none is pending
    // or that its notice was asked already).
    () => (obligationRequestRefusal(state) ? feesRequestRefusal(state) : null),
  );
}

export function decideRequestPayment(state: ReceivedDossier, command: CommandOfType<'RequestPayment'>, { now, streamVersion }: DecisionContext): Decision<DossierEvent> {
  const guard = firstRefusal(
    () => roleNotAllowed(command.actor, 'RequestPayment'),
    () => notAnAgencyOfThePayment(state, command.actor, command.purpose),
    () => (state.accepted ? null : notAcceptedYet(state)),
    () => (command.purpose === 'fees' ? feesRequestRefusal(state) : obligationRequestRefusal(state)),
  );
  if (guard) return refuse(guard);
  if (streamVersion === undefined) throw new Error('RequestPayment is decided at a stream version: the decision context must carry it');
  const reference = paymentReference(state.dossierCode, streamVersion + 1);
  if (reference.length > PAYMENT_REFERENCE_MAX_LENGTH) throw new Error(`The payment reference of dossier ${state.dossierCode} is longer than ${PAYMENT_REFERENCE_MAX_LENGTH} characters`);
  const note = command.note ? { note: command.note } : {};
  if (command.purpose === 'fees') {
    const items = payableFees(state).map(({ name, amountVnd, kind }) => ({ name, amountVnd, ...(kind ? { kind } : {}) }));
    const amountVnd = items.reduce((sum, item) => sum + item.amountVnd, 0);
    return accept<DossierEvent>({ type: 'PaymentRequested', schemaVersion: 1, data: { at: now, reference, purpose: 'fees', amountVnd, items, ...note } });
  }
  const { noticeNumber, amountVnd } = state.pendingObligation!;
  const items: PaymentRequested['data']['items'] = [{ name: `Nghĩa vụ tài chính theo thông báo ${noticeNumber}`, amountVnd, kind: 'obligation' }];
  return accept<DossierEvent>({ type: 'PaymentRequested', schemaVersion: 1, data: { at: now, reference, purpose: 'obligation', amountVnd, items, noticeNumber, ...note } });
}

/**
 * The platform's confirmation of an online payment: it names a request of this dossier (its
 * reference), for that request's whole amount, once. An obligation's payment settles the notice it
 * was asked for and resumes the clock the way a payment staff record does; fees touch no clock.
 */
export function decidePlatformPayment(state: ReceivedDossier, command: CommandOfType<'RecordPayment'>, { now }: DecisionContext): Decision<DossierEvent> {
  const confirmation = command.platformPayment;
  if (!confirmation || command.method !== 'online' || command.onlineGateway !== 'national-portal') {
    return refuse({
      code: 'PLATFORM_PAYMENT_INCOMPLETE',
      message: `The payment platform records a payment of dossier ${state.dossierCode} with method "online", onlineGateway "national-portal" and platformPayment (reference, transactionId); ${!confirmation ? 'platformPayment is missing' : command.method !== 'online' ? `method is "${command.method}"` : `onlineGateway is "${command.onlineGateway ?? 'absent'}"`}.`,
      rule: RULE_PLATFORM,
      field: !confirmation ? 'platformPayment' : command.method !== 'online' ? 'method' : 'onlineGateway',
    });
  }
  const request = (state.paymentRequests ?? []).find((candidate) => candidate.reference === confirmation.reference);
  if (!request) {
    return refuse({
      code: 'UNKNOWN_PAYMENT_REQUEST',
      message: `Dossier ${state.dossierCode} has no payment request ${confirmation.reference}; the platform's transaction ${confirmation.transactionId} is not recorded. Requests: ${(state.paymentRequests ?? []).map((candidate) => candidate.reference).join(', ') || 'none'}.`,
      rule: RULE_PLATFORM,
      field: 'platformPayment.reference',
    });
  }
  if (request.status === 'paid') {
    return refuse({
      code: 'PAYMENT_ALREADY_RECORDED',
      message: `Payment request ${request.reference} of dossier ${state.dossierCode} was paid on ${request.paidAt} (transaction ${request.transactionId}); transaction ${confirmation.transactionId} is not recorded again.`,
      rule: `${RULE_PLATFORM}; a request is paid once`,
      field: 'platformPayment.reference',
    });
  }
  if (command.amountVnd !== request.amountVnd) {
    return refuse({
      code: 'PAYMENT_AMOUNT_MISMATCH',
      message: `Transaction ${confirmation.transactionId} paid ${command.amountVnd} VND, but payment request ${request.reference} of dossier ${state.dossierCode} asks for ${request.amountVnd} VND; it is not recorded.`,
      rule: 'A payment request is settled for its whole amount, as requested',
      field: 'amountVnd',
    });
  }
  // A request no longer to be paid (the dossier closed, its notice paid another way) that the
  // platform still confirms (a page opened before): the platform took the money, so the payment is
  // recorded, settles nothing and resumes no clock, and is owed back to the applicant.
  const refundDue = request.status === 'cancelled' || CLOSED_STATUSES.has(state.status) ? 'dossier-closed' : request.status === 'settled-otherwise' ? 'settled-otherwise' : undefined;
  // Only the notice the request was made for, still pending and the result not yet decided, is
  // settled: the same clock rule as a payment staff record (decide-processing.ts).
  const pending = state.pendingObligation;
  const resumedClock = refundDue === undefined && request.purpose === 'obligation' && pending !== undefined && pending.noticeNumber === request.noticeNumber && state.status !== 'result-ready';
  const event: DossierEvent = {
    type: 'PaymentRecorded',
    schemaVersion: 1,
    data: {
      at: now,
      amountVnd: command.amountVnd,
      method: 'online',
      onlineGateway: 'national-portal',
      receiptNumber: command.receiptNumber,
      resumedClock,
      due: null,
      ...(command.receiptFile ? { receiptFile: command.receiptFile } : {}),
      ...(command.paidAt ? { paidAt: command.paidAt } : {}),
      platformPayment: confirmation,
      ...(refundDue ? { refundDue } : {}),
    },
  };
  if (!resumedClock) return accept(event);
  const after = evolveDossier(state, event) as ReceivedDossier;
  return accept({ ...event, data: { ...event.data, due: readDossierClock(after, now).due } });
}

/**
 * The fees request a payment staff record settles: when it settles no notice (no obligation pending
 * to resume) and is for the whole amount of the dossier's pending fees request, the applicant paid
 * the fees some other way (at the counter, by transfer): that request is no longer to be paid online.
 * Another amount settles nothing (docs/rules.md#payment-requests-and-online-payments).
 */
export function feesRequestSettledBy(state: ReceivedDossier, amountVnd: number, resumedClock: boolean): string | undefined {
  if (resumedClock) return undefined;
  return pendingPaymentRequests(state).find((request) => request.purpose === 'fees' && request.amountVnd === amountVnd)?.reference;
}

/** Staff record payments at the counter, by transfer or by post; an online one is the platform's to record. */
export function staffOnlinePaymentRefusal(state: ReceivedDossier, command: CommandOfType<'RecordPayment'>): DomainError | null {
  if (command.method !== 'online' || command.actor.role === 'interagency' || command.actor.role === 'payment-platform') return null;
  return {
    code: 'ONLINE_PAYMENT_BY_PLATFORM_ONLY',
    message: `An online payment of dossier ${state.dossierCode} is recorded by the national payment platform's confirmation, not by ${command.actor.userId}: ask for it with RequestPayment (the applicant pays online), or record a payment at the counter, by bank transfer or by post.`,
    rule: RULE_PLATFORM,
    field: 'method',
  };
}

/** The catalogue's fees that cost something, as the version pinned at acceptance lists them. */
function payableFees(state: ReceivedDossier) {
  return (state.accepted?.procedure.fees ?? []).filter((fee) => fee.amountVnd > 0);
}

function feesRequestRefusal(state: ReceivedDossier): DomainError | null {
  if (payableFees(state).length === 0) {
    return {
      code: 'NO_FEES_TO_PAY',
      message: `Procedure ${state.accepted?.procedure.code ?? state.procedureCode} (version ${state.accepted?.procedure.version ?? 'not pinned'}) of dossier ${state.dossierCode} lists no fee or charge above 0 VND: there is nothing to ask the applicant to pay.`,
      rule: RULE_REQUEST,
      field: 'purpose',
    };
  }
  const earlier = (state.paymentRequests ?? []).find((request) => request.purpose === 'fees');
  if (earlier) return alreadyRequested(state, earlier);
  return null;
}

function obligationRequestRefusal(state: ReceivedDossier): DomainError | null {
  const pending = state.pendingObligation;
  if (!pending || state.status === 'result-ready') {
    return {
      code: 'NO_OBLIGATION_PENDING',
      message: `Dossier ${state.dossierCode} has no financial obligation pending${pending ? ' (its result is decided)' : ''}; there is no notice to ask the applicant to pay.`,
      rule: RULE_REQUEST,
      field: 'purpose',
    };
  }
  const earlier = (state.paymentRequests ?? []).find((request) => request.purpose === 'obligation' && request.noticeNumber === pending.noticeNumber);
  if (earlier) return alreadyRequested(state, earlier);
  return null;
}

function alreadyRequested(state: ReceivedDossier, earlier: PaymentRequest): DomainError {
  const what = earlier.purpose === 'fees' ? 'its fees and charges' : `notice ${earlier.noticeNumber}`;
  return {
    code: 'PAYMENT_ALREADY_REQUESTED',
    message: `Dossier ${state.dossierCode} already has payment request ${earlier.reference} for ${what} (${earlier.status}); the applicant pays that one.`,
    rule: `${RULE_REQUEST}; one request for the fees, one per notice`,
    field: 'purpose',
  };
}

function notAcceptedYet(state: ReceivedDossier): DomainError {
  return {
    code: 'COMMAND_OUT_OF_ORDER',
    message: `Dossier ${state.dossierCode} is ${state.status}: a payment is requested once it is accepted, when the procedure version and its fees are pinned.`,
    rule: RULE_REQUEST,
  };
}

/**
 * The fees and charges are asked by the one-stop centre that received the dossier, which speaks to
 * the applicant and collects them; a financial obligation by that centre or by the agency whose step
 * issued the pending notice. The other offices handling the dossier ask the centre.
 */
function noticeIssuer(state: ReceivedDossier): string | undefined {
  const obligation = state.pendingObligation;
  const issuer = obligation ? state.steps.find((step) => step.stepId === obligation.stepId)?.agencyCode : undefined;
  return issuer === state.agencyCode ? undefined : issuer;
}

function notAnAgencyOfThePayment(state: ReceivedDossier, actor: Actor, purpose: 'fees' | 'obligation'): DomainError | null {
  const noticeStep = purpose === 'obligation' && state.pendingObligation ? state.steps.find((step) => step.stepId === state.pendingObligation!.stepId) : undefined;
  const agencies = [state.agencyCode, noticeStep?.agencyCode].filter((code): code is string => code !== undefined);
  if (agencies.includes(actor.agencyCode)) return null;
  return {
    code: 'NOT_THE_RECEIVING_CENTRE',
    message: `A payment of dossier ${state.dossierCode} is requested by the receiving centre ${state.agencyCode}${noticeIssuer(state) ? `, or for its notice by the agency that issued it (${noticeIssuer(state)})` : ''}; not by ${actor.agencyCode}.`,
    rule: "The one-stop centre speaks to the applicant and collects the fees; the notice's issuer may ask for its notice (Decree 61/2018 arts. 17, 19(4))",
  };
}
