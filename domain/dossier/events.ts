import type { Applicant, Channel } from './commands.js';

// The dossier's events. Each type keeps its schema version: a payload change bumps it and the
// older shape stays readable (an upcaster), since stored events are never rewritten.

/** A dossier was registered at reception (tiếp nhận). National portal status 1 until accepted. */
export interface DossierReceived {
  readonly type: 'DossierReceived';
  readonly schemaVersion: 1;
  readonly data: {
    readonly dossierCode: string;
    readonly agencyCode: string;
    readonly procedureCode: string;
    readonly channel: Channel;
    readonly applicant: Applicant;
    readonly receivedAt: string;
  };
}

export type DossierEvent = DossierReceived;
export type DossierEventType = DossierEvent['type'];
