// The national portal's channel for the outbox, in the API generation the deployment's
// configuration names (docs/integrations.md#national-portal-sync). The channel is also the
// reconciliation's client (PortalClient.lookUp). Secret references are resolved here, so a
// reference that names nothing stops the start-up with the setting's name.
import type { DeliveryChannel } from '../outbox/delivery-channel.js';
import { portalStatusMap } from '../../domain/portal-sync/status-map.js';
import type { PortalConfig } from './portal-config.js';
import { PortalGenerationA } from './portal-generation-a.js';
import { PortalGenerationB } from './portal-generation-b.js';
import type { PortalChannelDeps, PortalClient } from './portal-wire.js';

export type { PortalChannelDeps, PortalClient, PortalLookUp } from './portal-wire.js';
export { PortalUnavailable } from './portal-wire.js';

export type PortalChannel = DeliveryChannel & PortalClient;

export function createPortalChannel(config: PortalConfig, deps: PortalChannelDeps): PortalChannel {
  // A status map whose codes are out of range fails now, not at the first delivery.
  portalStatusMap(config.statusMap);
  return config.generation === 'A' ? new PortalGenerationA(config, deps) : new PortalGenerationB(config, deps);
}
