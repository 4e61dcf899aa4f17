// The outbox's vocabulary (docs/integrations.md, docs/decisions/0018): who receives what the
// engine tells the outside world, why, and under which idempotency key. Pure: the log subscriber
// (outbox/delivery-planner.ts) plans with it, the lanes carry it out, the receivers' adapters read
// the key as the one thing that makes a resend recognisable.

/** Who the engine tells: the national portal's coordination system, and the citizen by e-mail, SMS or Zalo ZNS. */
export const RECEIVERS = ['portal', 'email', 'sms', 'zalo'] as const;
export type Receiver = (typeof RECEIVERS)[number];

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
] as const;
export type NoticeTrigger = (typeof NOTICE_TRIGGERS)[number];

/**
 * Why the portal is told something: `status`, the dossier's state and progress after an event;
 * `resync`, the nightly reconciliation found the portal holding something else.
 */
export const PORTAL_TRIGGERS = ['status', 'resync'] as const;
export type PortalTrigger = (typeof PORTAL_TRIGGERS)[number];

export type DeliveryTrigger = NoticeTrigger | PortalTrigger;

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
