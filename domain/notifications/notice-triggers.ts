import { civilDayOfInstant, parseInstant } from '../calendar/civil-day.js';
import type { DossierEvent } from '../dossier/events.js';
import type { ReceivedDossier } from '../dossier/state.js';
import type { NoticeTrigger } from '../outbox/deliveries.js';

// Which events a citizen is told of (docs/integrations.md#triggers; the triggers are described in
// domain/outbox/deliveries.ts). The apology's notice waits for its signed letter (the DocumentIssued
// of form 04 or of the lateness apology), since the notice carries the letter's link.

/** The notice an event calls for, given the dossier's state before it; undefined for none. */
export function noticeTriggerOf(event: DossierEvent, before: ReceivedDossier | undefined): NoticeTrigger | undefined {
  switch (event.type) {
    case 'DossierReceived':
      return 'received';
    case 'DossierAccepted':
      return 'accepted';
    case 'SupplementRequestedAtReception':
    case 'SupplementRequested':
      return 'supplement-requested';
    case 'DossierRefusedAtReception':
    case 'ResolutionRefused':
      return 'refused';
    case 'FinancialObligationRequested':
      return 'financial-obligation';
    case 'PaymentRequested':
      return 'payment-requested';
    case 'DocumentIssued':
      return event.data.kind === 'form-04' || event.data.kind === 'lateness-apology' ? 'apology' : undefined;
    case 'ResultIssued': {
      const appointment = before?.accepted?.appointment;
      return appointment !== undefined && civilDayOfInstant(parseInstant(event.data.at)) < civilDayOfInstant(parseInstant(appointment)) ? 'result-ready-early' : 'result-ready';
    }
    case 'ResultReturned':
      return 'result-returned';
    default:
      return undefined;
  }
}
