// Stored events read back as the dossier's domain events. Stored events are never rewritten, so a
// payload change bumps the event's schema version and its upcaster lives here, in one place every
// reader goes through (the workflow's catch-up, the projections, the API's history and the audit).
import type { DossierEvent } from './events.js';

/** An event as the store keeps it: its type, the version of its payload's shape, and the payload. */
export interface StoredDossierEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Every dossier event is still at schema version 1, so reading one back is a cast. */
export function asDossierEvent(stored: StoredDossierEvent): DossierEvent {
  return { type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data } as DossierEvent;
}
