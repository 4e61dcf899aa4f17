import type { Transaction } from 'kysely';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import type { InlineProjection, StoredEvent } from '../event-store.js';
import type { Database } from '../schema.js';

/** The dossier summary read model: one row per dossier, kept in the append transaction. */
export const projectDossierSummary: InlineProjection = async (trx, events) => {
  for (const stored of events) await applyEvent(trx, stored, asDossierEvent(stored));
};

async function applyEvent(trx: Transaction<Database>, stored: StoredEvent, event: DossierEvent): Promise<void> {
  switch (event.type) {
    case 'DossierReceived': {
      const { data } = event;
      await trx
        .insertInto('dossier_summary')
        .values({
          // The stream is the dossier: its id, not a field of the payload, says which row this is.
          dossier_code: stored.streamId,
          agency_code: data.agencyCode,
          procedure_code: data.procedureCode,
          channel: data.channel,
          status: 'received',
          portal_status: NATIONAL_PORTAL_STATUS.received,
          applicant_kind: data.applicant.kind,
          applicant_name: data.applicant.fullName,
          received_at: data.receivedAt,
          stream_version: stored.streamVersion,
          last_global_position: stored.globalPosition,
          updated_at: stored.occurredAt.toISOString(),
        })
        .execute();
      return;
    }
  }
}

/** Stored dossier events read back as domain events (the place for upcasters when schemas change). */
export function asDossierEvent(stored: StoredEvent): DossierEvent {
  return { type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data } as DossierEvent;
}
