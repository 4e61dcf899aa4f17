import type { Channel, MissingItem } from '../dossier/commands.js';
import type { DossierEvent, EventOfType } from '../dossier/events.js';
import type { NoticeTrigger } from '../outbox/deliveries.js';
import { noticeRecipient, type NoticeRecipient } from './recipient.js';

// What a citizen's notice says (docs/integrations.md#citizen-notices), as facts derived from the dossier's events up
// to the one that triggered it, so a resend says the same thing. The wording is ./templates.ts's;
// this module only finds the facts. Every notice names the agency and the times it speaks of
// (Decree 224/2026 art. 15(1)(g): the minimum content of a notice). The handling official is not
// named: the events hold only user ids, and an id is no name a citizen can use.

export interface NoticeContent {
  readonly trigger: NoticeTrigger;
  readonly dossierCode: string;
  /** The receiving one-stop centre: whose wording (per-unit templates) and sender the notice uses. */
  readonly agencyCode: string;
  /** The centre's name as reception pinned it (its code in events from before centres were pinned). */
  readonly unitName: string;
  readonly procedureName: string;
  readonly recipient: NoticeRecipient;
  readonly applicantKind: 'citizen' | 'organisation';
  readonly channel: Channel;
  readonly receivedAt: string;
  /** When the triggering event happened. */
  readonly at: string;
  /** The lookup secret printed on the receipt: in the reception's notice only. */
  readonly lookupSecret?: string;
  /** The appointment in force (ngày hẹn trả): form 01's, or a later apology's new one. */
  readonly appointment?: string;
  readonly missing?: readonly MissingItem[];
  readonly refusal?: { readonly reasons: readonly string[]; readonly legalBasis: string; readonly atReception: boolean };
  /** `paymentLink` only where the deployment configured one: online payment is not built yet. */
  readonly obligation?: { readonly amountVnd: number; readonly noticeNumber: string; readonly paymentLink?: string };
  /**
   * A payment request the applicant pays online (docs/rules.md#payment-requests-and-online-payments):
   * its reference (MaThamChieu), the amount and what it is for; `paymentLink` where the deployment
   * configured a page that pays it.
   */
  readonly paymentRequest?: { readonly reference: string; readonly amountVnd: number; readonly items: readonly string[]; readonly paymentLink?: string };
  readonly apology?: {
    readonly kind: 'form-04' | 'lateness-apology';
    readonly agencyName: string;
    readonly reason: string;
    /** The appointment the letter replaces (form 04's original due, or the missed one). */
    readonly previousAppointment: string;
    readonly newAppointment?: string;
    /** Where the signed letter can be downloaded. */
    readonly letterLink: string;
    readonly letterNumber: string;
  };
  readonly result?: { readonly early: boolean; readonly resultCode: string };
  readonly returned?: { readonly method: 'counter' | 'post' | 'electronic' };
}

export interface NoticeContentOptions {
  /** The lookup secret of the dossier (api/auth/lookup-secret.ts `lookupSecretFor`), for `received`. */
  readonly lookupSecret?: string;
  /** A link to a document the engine issued, by its file's digest. */
  documentLink(dossierCode: string, sha256: string): string;
  /** A payment page for an obligation, when the deployment has one (none exists yet). */
  paymentLink?(dossierCode: string, noticeNumber: string): string;
  /** A page that pays a payment request, by its reference, when the deployment has one. */
  paymentRequestLink?(dossierCode: string, reference: string): string;
}

/** The events cannot make the notice: the delivery was planned from something else (not retryable). */
export class NoticeContentUnavailable extends Error {
  override readonly name = 'NoticeContentUnavailable';
}

/** The facts of the `trigger` notice; `events` run from the reception to the triggering event (last). */
export function noticeContent(trigger: NoticeTrigger, events: readonly DossierEvent[], options: NoticeContentOptions): NoticeContent {
  const received = events.find((event): event is EventOfType<'DossierReceived'> => event.type === 'DossierReceived');
  const last = events.at(-1);
  if (!received || !last) throw new NoticeContentUnavailable('the events hold no reception (DossierReceived): there is no dossier to tell of');
  const { dossierCode, agencyCode, applicant } = received.data;
  const accepted = events.find((event): event is EventOfType<'DossierAccepted'> => event.type === 'DossierAccepted');
  const unitName = received.data.centre?.name ?? agencyCode;
  const agencyName = (code: string) => accepted?.data.agencies.find((agency) => agency.code === code)?.name ?? (code === agencyCode ? unitName : code);
  const appointment = appointmentInForce(events);
  const base = {
    trigger,
    dossierCode,
    agencyCode,
    unitName,
    procedureName: accepted?.data.procedure.name ?? received.data.procedureName ?? `Thủ tục hành chính mã ${received.data.procedureCode}`,
    recipient: noticeRecipient(applicant),
    applicantKind: applicant.kind,
    channel: received.data.channel,
    receivedAt: received.data.receivedAt,
    at: last.type === 'DossierReceived' ? last.data.receivedAt : last.data.at,
    ...(appointment ? { appointment } : {}),
  };
  const unexpected = () => new NoticeContentUnavailable(`the "${trigger}" notice cannot be made from a ${last.type} event`);
  switch (trigger) {
    case 'received':
      if (last.type !== 'DossierReceived') throw unexpected();
      return { ...base, ...(options.lookupSecret ? { lookupSecret: options.lookupSecret } : {}) };
    case 'accepted':
      if (last.type !== 'DossierAccepted') throw unexpected();
      return base;
    case 'supplement-requested':
      if (last.type !== 'SupplementRequested' && last.type !== 'SupplementRequestedAtReception') throw unexpected();
      return { ...base, missing: last.data.missing };
    case 'refused':
      if (last.type !== 'DossierRefusedAtReception' && last.type !== 'ResolutionRefused') throw unexpected();
      return { ...base, refusal: { reasons: last.data.reasons, legalBasis: last.data.legalBasis, atReception: last.type === 'DossierRefusedAtReception' } };
    case 'financial-obligation': {
      if (last.type !== 'FinancialObligationRequested') throw unexpected();
      const { amountVnd, noticeNumber } = last.data;
      const paymentLink = options.paymentLink?.(dossierCode, noticeNumber);
      return { ...base, obligation: { amountVnd, noticeNumber, ...(paymentLink ? { paymentLink } : {}) } };
    }
    case 'payment-requested': {
      if (last.type !== 'PaymentRequested') throw unexpected();
      const { reference, amountVnd, items } = last.data;
      const paymentLink = options.paymentRequestLink?.(dossierCode, reference);
      return { ...base, paymentRequest: { reference, amountVnd, items: items.map((item) => item.name), ...(paymentLink ? { paymentLink } : {}) } };
    }
    case 'apology':
      return { ...base, apology: apologyOf(last, events, agencyName, (sha256) => options.documentLink(dossierCode, sha256), unexpected) };
    case 'result-ready':
    case 'result-ready-early':
      if (last.type !== 'ResultIssued') throw unexpected();
      return { ...base, result: { early: trigger === 'result-ready-early', resultCode: last.data.resultCode } };
    case 'result-returned':
      if (last.type !== 'ResultReturned') throw unexpected();
      return { ...base, returned: { method: last.data.method } };
  }
}

/** The signed letter (a DocumentIssued of form 04 or of the apology for lateness) and the apology it carries. */
function apologyOf(last: DossierEvent, events: readonly DossierEvent[], agencyName: (code: string) => string, link: (sha256: string) => string, unexpected: () => Error): NonNullable<NoticeContent['apology']> {
  if (last.type !== 'DocumentIssued' || (last.data.kind !== 'form-04' && last.data.kind !== 'lateness-apology')) throw unexpected();
  const wanted = last.data.kind === 'form-04' ? 'ApologyIssued' : 'LatenessApologyIssued';
  const apology = [...events].reverse().find((event): event is EventOfType<'ApologyIssued' | 'LatenessApologyIssued'> => event.type === wanted);
  if (!apology) throw new NoticeContentUnavailable(`a ${last.data.kind} letter was issued with no ${wanted} event before it`);
  const common = { agencyName: agencyName(apology.data.agencyCode), reason: apology.data.reason, letterLink: link(last.data.file.sha256), letterNumber: last.data.number };
  if (apology.type === 'ApologyIssued') return { kind: 'form-04', ...common, previousAppointment: apology.data.originalDue, newAppointment: apology.data.newAppointment };
  return { kind: 'lateness-apology', ...common, previousAppointment: apology.data.missedAppointment, ...(apology.data.newAppointment ? { newAppointment: apology.data.newAppointment } : {}) };
}

/** Form 01's appointment, moved by each later form 04 or apology for lateness that gave a new one. */
export function appointmentInForce(events: readonly DossierEvent[]): string | undefined {
  let appointment: string | undefined;
  for (const event of events) {
    if (event.type === 'DossierAccepted') appointment = event.data.appointment;
    else if (event.type === 'ApologyIssued') appointment = event.data.newAppointment;
    else if (event.type === 'LatenessApologyIssued' && event.data.newAppointment) appointment = event.data.newAppointment;
  }
  return appointment;
}
