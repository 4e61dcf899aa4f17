// The outbox's vocabulary (docs/integrations.md, docs/decisions/0018): who receives what the
// engine tells the outside world, why, and under which idempotency key. Pure: the log subscriber
// (outbox/delivery-planner.ts) plans with it, the lanes carry it out, the receivers' adapters read
// the key as the one thing that makes a resend recognisable.
// Type only: hand-off.ts reads the applicant's schema, which reads NOTICE_CHANNELS from here.
import type { HandOffKind } from '../interagency/hand-off.js';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../interagency/systems.js';

/**
 * Who the engine tells: the national portal's coordination system, the citizen by e-mail, SMS or
 * Zalo ZNS, and each other agency's system that carries out steps of a route
 * (docs/integrations.md#handing-steps-over): a receiver of its own, so one system down never holds
 * back the deliveries to another.
 */
export const RECEIVERS = ['portal', 'email', 'sms', 'zalo', ...INTERAGENCY_SYSTEMS] as const;
export type Receiver = (typeof RECEIVERS)[number];

/** Whether a receiver is another agency's system. */
export function isInteragencyReceiver(receiver: string): receiver is InteragencySystem {
  return (INTERAGENCY_SYSTEMS as readonly string[]).includes(receiver);
}

/** The citizen-facing channels among the receivers. */
export const NOTICE_CHANNELS = ['email', 'sms', 'zalo'] as const satisfies readonly Receiver[];
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/**
 * Why a citizen is told something (docs/integrations.md#triggers):
 * - `received`: the dossier was registered; the notice carries the lookup code and its secret;
 * - `accepted`: accepted with an appointment (form 01);
 * - `supplement-requested`: form 02's list, at reception or during processing;
 * - `refused`: refused at reception (form 03) or after appraisal;
 * - `financial-obligation`: a tax or fee notice, with the amount and how to pay;
 * - `payment-requested`: a payment request the applicant pays online (amount, what for, the reference);
 * - `apology`: form 04's new appointment, or the apology for lateness, with the signed letter's link;
 * - `result-ready`: the result can be collected; `result-ready-early`: and before the appointment
 *   (the early-return notice of Decree 61/2018 art. 20);
 * - `result-returned`: the result was handed over or sent.
 */
export const NOTICE_TRIGGERS = [
  'received',
  'accepted',
  'supplement-requested',
  'refused',
  'financial-obligation',
  'apology',
  'result-ready',
  'result-ready-early',
  'result-returned',
  'payment-requested',
] as const;
export type NoticeTrigger = (typeof NOTICE_TRIGGERS)[number];

/**
 * Why the portal is told something: `status`, the dossier's state and progress after an event;
 * `resync`, the nightly reconciliation found the portal holding something else.
 */
export const PORTAL_TRIGGERS = ['status', 'resync'] as const;
export type PortalTrigger = (typeof PORTAL_TRIGGERS)[number];

/**
 * Why a system is told something (domain/interagency/hand-off.ts): `hand-off`, a step it carries
 * out started; `update`, the applicant supplemented or paid while it holds a step; `cancel`, the
 * dossier ended while it held one.
 */
export const INTERAGENCY_TRIGGERS = ['hand-off', 'update', 'cancel'] as const satisfies readonly HandOffKind[];
export type InteragencyTrigger = HandOffKind;

export type DeliveryTrigger = NoticeTrigger | PortalTrigger | InteragencyTrigger;

/** One thing to tell one receiver, planned from one event of one dossier. */
export interface PlannedDelivery {
  readonly key: string;
  readonly receiver: Receiver;
  readonly dossierCode: string;
  /** The stream version of the event that caused it: the lane's order. */
  readonly sequence: number;
  readonly eventType: string;
  readonly trigger: DeliveryTrigger;
  /** Not before this instant (quiet hours), when set. */
  readonly notBefore?: string;
}

/**
 * The idempotency key of a delivery: the event (dossier and stream version) and the receiver, and
 * why (one event can call for a status sync and, later, a reconciliation's resend). Readable, so an
 * operator can tell from a receiver's log which dossier and event it was; made of characters that
 * are legal in an e-mail Message-ID's left part (RFC 5322 dot-atom: no ':' or spaces).
 */
export function deliveryKey(receiver: Receiver, dossierCode: string, sequence: number, trigger: DeliveryTrigger, suffix?: string): string {
  return [receiver, dossierCode, String(sequence), trigger, ...(suffix ? [suffix] : [])].join('/');
}
