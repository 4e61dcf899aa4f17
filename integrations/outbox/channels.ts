// The outbox as a deployment configures it (docs/integrations.md#configuration): the configuration
// file's schema, composed of the base sections and each receiver's own, and the adapters it names.
import type { Logger } from 'pino';
import { z } from 'zod';
import { portalFileLink } from '../../api/portal-file-links.js';
import { renderSms, renderZns } from '../../domain/notifications/templates.js';
import { NOTICE_CHANNELS, NOTICE_TRIGGERS, type NoticeChannel, type NoticeTrigger } from '../../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import type { DeliveryLaneSettings } from '../../workflows/delivery-lane.js';
import { createEmailChannel } from '../notifications/email-channel.js';
import { emailConfigSchema } from '../notifications/email-config.js';
import { noticeOfDelivery } from '../notifications/notice-of-delivery.js';
import { noticesConfigSchema } from '../notifications/notices-config.js';
import { createSmsChannel } from '../notifications/sms-channel.js';
import { smsConfigSchema } from '../notifications/sms-config.js';
import { createZaloChannel, type ZaloTokenStore } from '../notifications/zalo-channel.js';
import { zaloConfigSchema } from '../notifications/zalo-config.js';
import { createPortalChannel, type PortalChannel } from '../portal/create-portal-channel.js';
import { portalConfigSchema } from '../portal/portal-config.js';
import { configuredSystems, interagencyConfigSchema, slowestHandOffMs } from '../interagency/interagency-config.js';
import { createReferenceChannel } from '../interagency/reference-channel.js';
import type { DeliveryChannel } from './delivery-channel.js';
import { deliveryPolicyOf, laneSettingsOf, noticePolicySchema, OutboxConfigInvalid, outboxBaseSchema, readOutboxConfigFile } from './outbox-config.js';

const noticesSchema = noticePolicySchema.extend(noticesConfigSchema.shape);

export const outboxConfigSchema = outboxBaseSchema
  .extend({
    notices: noticesSchema.default(noticesSchema.parse({})),
    portal: portalConfigSchema.optional(),
    email: emailConfigSchema.optional(),
    sms: smsConfigSchema.optional(),
    zalo: zaloConfigSchema
      .extend({
        /** The OA's approved ZNS template per notice (its parameters are the notices' `zns` wording). */
        templates: z.partialRecord(z.enum(NOTICE_TRIGGERS), z.string().regex(/^[0-9]{1,20}$/, 'must be the approved template id')),
      })
      .optional(),
    /** The other agencies' systems that carry out steps of a route (docs/integrations.md#handing-steps-over). */
    interagency: interagencyConfigSchema.optional(),
  })
  .strict();
export type OutboxConfig = z.infer<typeof outboxConfigSchema>;

/** What the adapters need from the engine beside their own section. */
export interface OutboxDeps {
  /** MOTCUA_LOOKUP_KEY: the notice of reception carries the lookup secret derived from it. */
  readonly lookupKey: string;
  /** MOTCUA_FILE_LINK_KEY: signs the public links of files the portal downloads and letters citizens open. */
  readonly fileLinkKey: string;
  readonly logger: Logger;
  /** Where Zalo's rotated tokens outlive the process (db/outbox/receiver-credentials.ts). */
  readonly zaloTokens?: ZaloTokenStore;
  readonly env?: NodeJS.ProcessEnv;
}

export interface Outbox {
  readonly config: OutboxConfig;
  readonly channels: readonly DeliveryChannel[];
  /** The portal's adapter, for the nightly reconciliation's look-ups; undefined when the portal is not configured. */
  readonly portal: PortalChannel | undefined;
  readonly policy: DeliveryPolicy;
  readonly lane: DeliveryLaneSettings;
}

export function loadOutboxConfig(file: string): OutboxConfig {
  return readOutboxConfigFile(file, outboxConfigSchema);
}

const LINK_WINDOW_MS = 30 * 86_400_000;

/**
 * A public link to one of a dossier's files, valid for 30 to 60 days: the expiry is the end of the
 * next 30-day window, so a delivery's retries build the same request (the receivers recognise a
 * resend by its content as well as its key), and the nightly reconciliation sends fresh ones.
 */
export function publicFileLinks(publicBaseUrl: string, key: string, now: () => number = Date.now): (dossierCode: string, sha256: string) => string {
  return (dossierCode, sha256) => portalFileLink(publicBaseUrl, key, dossierCode, sha256, new Date((Math.floor(now() / LINK_WINDOW_MS) + 2) * LINK_WINDOW_MS));
}

/**
 * How long one attempt of each receiver may take at worst: its calls at their own timeout (the
 * portal logs in, looks up, pushes and sends progress; Zalo may refresh its token and send again).
 * An attempt must end before Temporal gives up on it, or a retry could run beside a send still in
 * flight, and a later delivery overtake it.
 */
function slowestAttemptMs(config: OutboxConfig): number {
  return Math.max(
    0,
    config.portal ? config.portal.timeoutMs * 4 : 0,
    config.email ? config.email.timeoutMs * 3 : 0,
    config.sms ? config.sms.timeoutMs : 0,
    config.zalo ? config.zalo.timeoutMs * 3 : 0,
    slowestHandOffMs(config.interagency),
  );
}

/** The adapters and the policy a configuration names. */
export function createOutbox(config: OutboxConfig, deps: OutboxDeps): Outbox {
  const lane = laneSettingsOf(config.delivery);
  if (lane.attemptTimeoutMs <= slowestAttemptMs(config)) {
    throw new OutboxConfigInvalid(
      `delivery.attemptTimeoutSeconds (${config.delivery.attemptTimeoutSeconds}) must be longer than a receiver's slowest attempt (${Math.ceil(slowestAttemptMs(config) / 1000)} s: its calls at their timeoutMs), so an attempt given up on is not still sending when the next runs; raise it or lower the receivers' timeoutMs`,
    );
  }
  const fileLink = publicFileLinks(config.publicBaseUrl, deps.fileLinkKey);
  const env = deps.env ?? process.env;
  const noticeDeps = { lookupKey: deps.lookupKey, documentLink: fileLink, notices: config.notices };
  const channels: DeliveryChannel[] = [];
  const portal = config.portal ? createPortalChannel(config.portal, { fileLink, logger: deps.logger, env }) : undefined;
  if (portal) channels.push(portal);
  if (config.email) channels.push(createEmailChannel(config.email, { ...noticeDeps, env }));
  if (config.sms) {
    channels.push(
      createSmsChannel(config.sms, {
        env,
        render(context) {
          const notice = noticeOfDelivery(context, noticeDeps);
          return 'content' in notice ? { text: renderSms(notice.content, config.notices.templates).text } : undefined;
        },
      }),
    );
  }
  if (config.zalo) {
    const templates = config.zalo.templates;
    channels.push(
      createZaloChannel(config.zalo, {
        env,
        ...(deps.zaloTokens ? { tokenStore: deps.zaloTokens } : {}),
        render(context) {
          const templateId = templates[context.trigger as NoticeTrigger];
          const notice = noticeOfDelivery(context, noticeDeps);
          if (!templateId || !('content' in notice)) return undefined;
          return { templateId, templateData: renderZns(notice.content, config.notices.templates).templateData };
        },
      }),
    );
  }
  const noticeChannels = channels.map((channel) => channel.receiver).filter((receiver): receiver is NoticeChannel => (NOTICE_CHANNELS as readonly string[]).includes(receiver));
  const systems = configuredSystems(config.interagency);
  for (const system of systems) channels.push(createReferenceChannel(system, config.interagency!, { publicBaseUrl: config.publicBaseUrl, fileLink, env }));
  return {
    config,
    channels,
    portal,
    policy: { ...deliveryPolicyOf(config.notices, { portal: portal !== undefined, channels: noticeChannels }), interagency: systems },
    lane,
  };
}
