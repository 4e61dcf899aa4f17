// A scenario's events as the outbox's lanes hand them to an adapter (DeliveredEvent: the stream
// version, the event, when it was committed and who caused it), for tests of the portal sync. The
// scenarios play commands without keeping their actors, so the plays are watched while a test runs.
import { vi } from 'vitest';
import type { DossierEvent } from '../../domain/dossier/events.js';
import type { DeliveredEvent } from '../../integrations/outbox/delivery-channel.js';
import { DossierScenario } from './dossier-fixtures.js';

/** When an event happened by its own record: the reception's time, else its `at`. */
export function eventInstant(event: DossierEvent): string {
  return event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at;
}

/** Watches every DossierScenario.play from now on (vi.restoreAllMocks ends it). */
export function watchPlays(): { readonly delivered: (scenario: DossierScenario) => DeliveredEvent[] } {
  const spy = vi.spyOn(DossierScenario.prototype, 'play');
  return {
    delivered(scenario) {
      const delivered: DeliveredEvent[] = [];
      spy.mock.calls.forEach(([command], index) => {
        const result = spy.mock.results[index];
        if (spy.mock.contexts[index] !== scenario || result?.type !== 'return') return;
        for (const event of result.value as readonly DossierEvent[]) delivered.push({ version: delivered.length + 1, event, occurredAt: eventInstant(event), actor: command.actor });
      });
      return delivered;
    },
  };
}
