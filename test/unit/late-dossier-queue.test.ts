// What a late dossier puts on its responsible agency's work queue (the inline read model, folded
// from the events as the append writes it): "apology due" and "explanation due" from the overdue
// alert until each is done, whatever the dossier's status, the explanation with its due time.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../db/event-store.js';
import { readModelsOf } from '../../db/projections/dossier-read-models.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { instant } from '../support/decider-spec.js';
import { at, BUSINESS_PROCEDURE, ECONOMY } from '../support/dossier-fixtures.js';
import { DossierHistory } from '../support/dossier-history.js';

/** The events as the log stores them (only what the read models read). */
function stored(history: DossierHistory): StoredEvent[] {
  return history.events.map((event: DossierEvent, index) => ({
    streamId: history.dossierCode,
    streamVersion: index + 1,
    eventId: `e${index + 1}`,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {} as StoredEvent['metadata'],
    globalPosition: index + 1,
    occurredAt: new Date(event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at),
    recordedAt: new Date(0),
    hash: '',
  }));
}

const queueOf = (history: DossierHistory) => readModelsOf(history.dossierCode, stored(history))!.queue.map(({ item, agency_code, due_at, overdue }) => ({ item, agency_code, due_at: due_at === null ? null : instant(due_at), overdue }));
const lateDuties = (history: DossierHistory) => queueOf(history).filter((row) => row.item.endsWith('-due'));

describe('a late dossier on the work queue', () => {
  it('owes an apology and an explanation from the overdue alert, the explanation due three working days after, until each is done', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
    expect(lateDuties(dossier)).toEqual([]);
    dossier.deadlineAlerted('overdue', '2026-03-05T09:01:00');
    expect(lateDuties(dossier)).toEqual([
      { item: 'apology-due', agency_code: ECONOMY, due_at: null, overdue: false },
      { item: 'explanation-due', agency_code: ECONOMY, due_at: instant(at('2026-03-10T17:00:00')), overdue: false },
    ]);

    dossier.latenessApologyIssued(ECONOMY, '2026-03-05T10:00:00', at('2026-03-10T09:00:00'));
    expect(lateDuties(dossier).map((row) => row.item)).toEqual(['explanation-due']);
    // The result and its return close the dossier; the explanation still waits, now past due.
    dossier.stepCompleted('business-registration', '2026-03-09T09:00:00').resultIssued('2026-03-09T10:00:00', 'HKD-1').resultReturned('2026-03-11T09:00:00', 'counter', false);
    expect(dossier.state.status).toBe('returned');
    expect(lateDuties(dossier)).toEqual([{ item: 'explanation-due', agency_code: ECONOMY, due_at: instant(at('2026-03-10T17:00:00')), overdue: true }]);
  });
});
