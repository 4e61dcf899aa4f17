import type { Channel } from './commands.js';
import type { DossierEvent } from './events.js';

// The dossier's state as the rules need it: a fold of its events, nothing else.

export type DossierStatus = 'received';

// National portal status codes (TrangThaiHoSo, ../shared/domain.md §2.1). Every engine status maps
// to exactly one; the sync to the portal and the reports use this table.
export const NATIONAL_PORTAL_STATUS: Readonly<Record<DossierStatus, number>> = {
  received: 1, // Mới đăng ký
};

export type DossierState =
  /** A dossier code allocated at reception, before its first event. */
  | { readonly status: 'none'; readonly dossierCode: string }
  | {
      readonly status: DossierStatus;
      readonly dossierCode: string;
      readonly agencyCode: string;
      readonly procedureCode: string;
      readonly channel: Channel;
      readonly receivedAt: string;
    };

/** The state of the dossier with this code before anything happened to it. */
export function newDossier(dossierCode: string): DossierState {
  return { status: 'none', dossierCode };
}

// Statuses after which nothing more can happen to a dossier, so its workflow may end. The lifecycle
// that reaches them (returned, refused, stopped) is not built yet: for now every dossier stays open.
const FINAL_STATUSES: ReadonlySet<DossierState['status']> = new Set<DossierState['status']>([]);

export function isFinal(state: DossierState): boolean {
  return FINAL_STATUSES.has(state.status);
}

export function evolveDossier(state: DossierState, event: DossierEvent): DossierState {
  switch (event.type) {
    case 'DossierReceived': {
      const { dossierCode, agencyCode, procedureCode, channel, receivedAt } = event.data;
      return { status: 'received', dossierCode, agencyCode, procedureCode, channel, receivedAt };
    }
  }
}

export function foldDossier(from: DossierState, events: Iterable<DossierEvent>): DossierState {
  let state = from;
  for (const event of events) state = evolveDossier(state, event);
  return state;
}
