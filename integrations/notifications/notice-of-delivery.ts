// The notice a delivery carries, as every citizen channel (e-mail, SMS, ZNS) derives it: the facts
// from the dossier's events up to the triggering one, with the lookup secret, the signed letters'
// links and the payment link the deployment provides. A delivery no retry can turn into a notice
// (a portal trigger, events that do not carry the trigger) is answered as a permanent failure.
import { lookupSecretFor } from '../../api/auth/lookup-secret.js';
import { noticeContent, NoticeContentUnavailable, type NoticeContent } from '../../domain/notifications/notice-content.js';
import { NOTICE_TRIGGERS, type NoticeTrigger } from '../../domain/outbox/deliveries.js';
import type { DeliveryContext, DeliveryResult } from '../outbox/delivery-channel.js';
import { paymentLinkOf, paymentRequestLinkOf, type NoticesConfig } from './notices-config.js';

export interface NoticeDeps {
  /** The key of the lookup secrets (MOTCUA_LOOKUP_KEY): the reception's notice carries the secret. */
  readonly lookupKey: string;
  /** The public link of a document the engine issued (the signed apology letter), by its digest. */
  documentLink(dossierCode: string, sha256: string): string;
  /** The `notices` configuration: templates per unit, the payment link. */
  readonly notices?: NoticesConfig;
}

export const isNoticeTrigger = (trigger: string): trigger is NoticeTrigger => (NOTICE_TRIGGERS as readonly string[]).includes(trigger);

/** The notice's facts, or the permanent failure to answer the delivery with. */
export function noticeOfDelivery(context: DeliveryContext, deps: NoticeDeps): { readonly content: NoticeContent } | { readonly refused: DeliveryResult } {
  if (!isNoticeTrigger(context.trigger)) return { refused: { outcome: 'failed', retryable: false, reason: `a ${context.receiver} channel sends citizen notices, not "${context.trigger}"` } };
  const paymentLink = paymentLinkOf(deps.notices);
  const paymentRequestLink = paymentRequestLinkOf(deps.notices);
  try {
    const content = noticeContent(
      context.trigger,
      context.events.map((delivered) => delivered.event),
      { lookupSecret: lookupSecretFor(deps.lookupKey, context.dossierCode), documentLink: deps.documentLink, ...(paymentLink ? { paymentLink } : {}), ...(paymentRequestLink ? { paymentRequestLink } : {}) },
    );
    return { content };
  } catch (error) {
    if (error instanceof NoticeContentUnavailable) return { refused: { outcome: 'failed', retryable: false, reason: error.message } };
    throw error;
  }
}
