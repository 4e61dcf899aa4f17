// The outbox as a deployment configures it (docs/integrations.md#configuration): the configuration
// file's schema, composed of the base sections and each receiver's own, and the adapters it names.
import type { Logger } from 'pino';
import type { NoticeChannel } from '../../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import type { DeliveryLaneSettings } from '../../workflows/delivery-lane.js';
import type { DeliveryChannel } from './delivery-channel.js';
import { deliveryPolicyOf, laneSettingsOf, outboxBaseSchema, readOutboxConfigFile } from './outbox-config.js';

export const outboxConfigSchema = outboxBaseSchema.strict();
export type OutboxConfig = ReturnType<typeof outboxConfigSchema.parse>;

/** What the adapters need from the engine beside their own section. */
export interface OutboxDeps {
  /** MOTCUA_LOOKUP_KEY: the notice of reception carries the lookup secret derived from it. */
  readonly lookupKey: string;
  readonly logger: Logger;
}

export interface Outbox {
  readonly config: OutboxConfig;
  readonly channels: readonly DeliveryChannel[];
  readonly policy: DeliveryPolicy;
  readonly lane: DeliveryLaneSettings;
}

export function loadOutboxConfig(file: string): OutboxConfig {
  return readOutboxConfigFile(file, outboxConfigSchema);
}

/** The adapters and the policy a configuration names. */
export function createOutbox(config: OutboxConfig, _deps: OutboxDeps): Outbox {
  const channels: DeliveryChannel[] = [];
  const noticeChannels = channels.map((channel) => channel.receiver).filter((receiver): receiver is NoticeChannel => receiver !== 'portal');
  return {
    config,
    channels,
    policy: deliveryPolicyOf(config.notices, { portal: channels.some((channel) => channel.receiver === 'portal'), channels: noticeChannels }),
    lane: laneSettingsOf(config.delivery),
  };
}
