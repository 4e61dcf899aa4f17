// The recipient's number as the SMS gateways and Zalo ZNS take it (docs/integrations.md#sms-and-zalo: numbers
// are normalised to 84xxxxxxxxx): written by people at a counter or on a form (0912 345 678,
// +84 912.345.678, 0084-912-345-678, (091) 2345678), sent as 84 and the nine digits of a mobile
// number. Anything else (a landline, a foreign number, the old 11-digit 01xx numbers renumbered in
// 2018) is no number a brandname SMS or a ZNS message can reach: the channel refuses it for good.
import type { DeliveryContext } from '../outbox/delivery-channel.js';
import { noticeRecipient } from '../../domain/notifications/recipient.js';

/** `84` and nine digits, the first of them a mobile range (3, 5, 7, 8 or 9); undefined for anything else. */
export function normaliseVietnamesePhone(raw: string): string | undefined {
  if (raw.length > 40) return undefined;
  const compact = raw.trim().replace(/[\s.\-()]/g, '');
  let digits: string;
  if (/^\+84[0-9]+$/.test(compact)) digits = compact.slice(1);
  else if (/^0084[0-9]+$/.test(compact)) digits = compact.slice(2);
  else if (/^84[0-9]{9}$/.test(compact)) digits = compact;
  else if (/^0[0-9]{9}$/.test(compact)) digits = `84${compact.slice(1)}`;
  else return undefined;
  return /^84[35789][0-9]{8}$/.test(digits) ? digits : undefined;
}

/** The operator whose prefixes the normalised number starts with (longest prefix wins), if any. */
export function operatorOf(phone84: string, prefixes: Readonly<Record<string, readonly string[]>>): string | undefined {
  let best: { operator: string; length: number } | undefined;
  for (const [operator, list] of Object.entries(prefixes)) {
    for (const prefix of list) {
      if (phone84.startsWith(prefix) && prefix.length > (best?.length ?? 0)) best = { operator, length: prefix.length };
    }
  }
  return best?.operator;
}

/** The dossier's reception event: who applied, at which unit. */
function received(context: DeliveryContext) {
  for (const entry of context.events) if (entry.event.type === 'DossierReceived') return entry.event.data;
  return undefined;
}

/**
 * The number a notice goes to, as written: the authorised representative's when there is one,
 * otherwise the applicant's (domain/notifications/recipient.ts, the recipient rule).
 */
export function recipientPhoneOf(context: DeliveryContext): string | undefined {
  const data = received(context);
  return data ? noticeRecipient(data.applicant).phone : undefined;
}

/** The receiving unit's agency code (which picks the unit's SMS gateway). */
export function receivingAgencyOf(context: DeliveryContext): string | undefined {
  return received(context)?.agencyCode;
}
