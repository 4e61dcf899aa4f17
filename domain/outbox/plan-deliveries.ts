import type { Applicant } from '../dossier/commands.js';
import type { DossierEvent } from '../dossier/events.js';
import type { ReceivedDossier } from '../dossier/state.js';
import { noticeChannelsFor } from '../notifications/recipient.js';
import { noticeTriggerOf } from '../notifications/notice-triggers.js';
import { afterQuietHours, type QuietHours } from '../notifications/quiet-hours.js';
import { portalSyncWanted } from '../portal-sync/sync-rule.js';
import { planHandOffs } from '../interagency/plan-hand-offs.js';
import type { InteragencySystem } from '../interagency/systems.js';
import { deliveryKey, type NoticeChannel, type NoticeTrigger, type PlannedDelivery } from './deliveries.js';

// What one event of a dossier calls for outside the engine: a status sync to the portal, a notice
// to the citizen on each of their channels, a step handed over to (or an update or cancellation
// sent to) the other agency's system that carries it out (domain/interagency/plan-hand-offs.ts). A pure function of the event, the state before it and
// the deployment's policy, so planning the same event twice plans the same deliveries (their keys
// make the second plan a no-op).

export interface DeliveryPolicy {
  /** Whether the deployment syncs with the national portal. */
  readonly portal: boolean;
  readonly notices: {
    /** The channels the deployment runs (configured adapters). */
    readonly enabled: readonly NoticeChannel[];
    /** For applicants who made no choice. */
    readonly defaultChannels: readonly NoticeChannel[];
    /** One channel per notice (the first usable), or every usable one. */
    readonly preferredOnly: boolean;
    /** Triggers the deployment does not send (all are sent by default). */
    readonly disabledTriggers?: readonly NoticeTrigger[];
    /** Quiet hours per channel: e-mail is usually exempt, SMS and Zalo are not. */
    readonly quietHours?: Partial<Record<NoticeChannel, QuietHours>>;
  };
  /** The other agencies' systems the deployment connects (its `interagency` section); none when absent. */
  readonly interagency?: readonly InteragencySystem[];
}

export interface PlannedEvent {
  readonly dossierCode: string;
  /** The event's stream version. */
  readonly sequence: number;
  readonly event: DossierEvent;
  /** The dossier's state before the event (undefined for the reception). */
  readonly before: ReceivedDossier | undefined;
  /** The applicant as reception recorded them. */
  readonly applicant: Applicant;
  /** When the event was committed (ISO instant): quiet hours count from it. */
  readonly committedAt: string;
  /** The role of the event's actor (`interagency` for a system's answer), when known. */
  readonly actorRole?: string;
  /** The user id of the event's actor (`system:<name>` for a system's answer), when known. */
  readonly actorUserId?: string;
}

export function planDeliveries(planned: PlannedEvent, policy: DeliveryPolicy): PlannedDelivery[] {
  const { dossierCode, sequence, event } = planned;
  const deliveries: PlannedDelivery[] = [];
  if (policy.portal && portalSyncWanted(event)) {
    deliveries.push({ key: deliveryKey('portal', dossierCode, sequence, 'status'), receiver: 'portal', dossierCode, sequence, eventType: event.type, trigger: 'status' });
  }
  const trigger = noticeTriggerOf(event, planned.before);
  if (trigger !== undefined && !(policy.notices.disabledTriggers ?? []).includes(trigger)) {
    for (const channel of noticeChannelsFor(planned.applicant, policy.notices)) {
      const notBefore = afterQuietHours(planned.committedAt, policy.notices.quietHours?.[channel]);
      deliveries.push({
        key: deliveryKey(channel, dossierCode, sequence, trigger),
        receiver: channel,
        dossierCode,
        sequence,
        eventType: event.type,
        trigger,
        ...(notBefore !== planned.committedAt ? { notBefore } : {}),
      });
    }
  }
  for (const { system, kind } of planHandOffs({ event, before: planned.before, ...(planned.actorRole ? { actorRole: planned.actorRole } : {}), ...(planned.actorUserId ? { actorUserId: planned.actorUserId } : {}) }, policy.interagency ?? [])) {
    deliveries.push({ key: deliveryKey(system, dossierCode, sequence, kind), receiver: system, dossierCode, sequence, eventType: event.type, trigger: kind });
  }
  return deliveries;
}
