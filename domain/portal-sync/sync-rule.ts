import type { DossierEvent } from '../dossier/events.js';

// Which events the national portal hears of (docs/integrations.md#national-portal-sync: every status change, in real
// time, Decree 224/2026 art. 15(1)(g)). The portal holds the dossier's state and its progress log,
// so every event that changes what the sync payload or the progress rows say is sent: a status, a
// step, a due date, a supplement list, a component file, an e-result. Alerts and calendar
// adoptions that moved no due date change nothing the portal holds.
const NOT_SYNCED: ReadonlySet<DossierEvent['type']> = new Set(['DeadlineAlerted', 'HandlerAssigned']);

/** Whether this event calls for a status sync to the portal. */
export function portalSyncWanted(event: DossierEvent): boolean {
  if (NOT_SYNCED.has(event.type)) return false;
  if (event.type === 'CalendarAmendmentAdopted') return event.data.dueBefore !== event.data.dueAfter;
  // The engine's own forms are not the portal's business, except the letters a citizen is sent a
  // link to (form 04, the apology for lateness): their links go with the sync.
  if (event.type === 'DocumentIssued') return event.data.kind === 'form-04' || event.data.kind === 'lateness-apology';
  return true;
}
