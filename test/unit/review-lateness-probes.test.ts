// Review probes (issue 16): lateness spells across a restart, and an apology before the alert.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../db/event-store.js';
import { readModelsOf } from '../../db/projections/dossier-read-models.js';
import { onQueueAt } from '../../db/work-queue.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { deciderSpec, instant } from '../support/decider-spec.js';
import { actor, at, BUSINESS_PROCEDURE, ECONOMY } from '../support/dossier-fixtures.js';
import { DossierHistory, LEGAL_CLOCK } from '../support/dossier-history.js';

const economyHead = actor('head', ECONOMY, 'truongphong.cuong');
const economyOfficer = actor('officer', ECONOMY, 'chuyenvien.binh');

function stored(history: DossierHistory): StoredEvent[] {
  return history.events.map((event: DossierEvent, index) => ({
    streamId: history.dossierCode, streamVersion: index + 1, eventId: `e${index + 1}`, type: event.type, schemaVersion: event.schemaVersion, data: event.data,
    metadata: {} as StoredEvent['metadata'], globalPosition: index + 1,
    occurredAt: new Date(event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at), recordedAt: new Date(0), hash: '',
  }));
}
/** The duties listed on the queue as of the latest event (db/work-queue.ts judges rows when read). */
const lateDuties = (history: DossierHistory) => {
  const events = stored(history);
  return readModelsOf(history.dossierCode, events)!.queue.filter((row) => row.item.endsWith('-due') && onQueueAt(row, events.at(-1)!.occurredAt)).map((row) => row.item);
};

/** Runs the command through the decider and appends what it decided. */
function decide(dossier: DossierHistory, type: string, who: ReturnType<typeof actor>, fields: Record<string, unknown>, local: string): readonly DossierEvent[] {
  const decided = deciderSpec(dossier.dossierCode).given(...dossier.events).when(dossier.command(type as never, who, fields as never), local).thenMatches([{}]);
  dossier.events.push(...decided.events);
  return decided.events;
}

describe('review: the lateness spell', () => {
  it('an apology issued before the overdue alert is still counted once the alert comes', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
    decide(dossier, 'IssueLatenessApology', economyHead, { reason: 'Chờ', newAppointment: at('2026-03-10T09:00:00') }, '2026-03-05T09:00:30');
    decide(dossier, 'MarkDeadline', LEGAL_CLOCK, { scope: { kind: 'dossier' }, alert: 'overdue' }, '2026-03-05T09:01:00');
    expect(dossier.state.lateness).toMatchObject({ apologised: true });
    expect(lateDuties(dossier)).toEqual(['explanation-due']);
  });

  it('after a restart, the second spell’s apology names the due time it missed and keeps the explanation already given', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00').deadlineAlerted('overdue', '2026-03-05T09:01:00');
    decide(dossier, 'IssueLatenessApology', economyHead, { reason: 'Chờ', newAppointment: at('2026-03-06T09:00:00') }, '2026-03-05T10:00:00');
    dossier.supplementRequested('business-registration', '2026-03-05T11:00:00', [{ component: 'x', reason: 'thiếu' }] as never).supplementProvided('2026-03-09T09:00:00');
    expect(dossier.state.clock.at(-1)).toMatchObject({ type: 'restarted' });
    const d2 = dossier.deadlineAlerted('overdue', '2026-03-12T09:01:00').state.lateness!.due;
    expect(d2).toBe(at('2026-03-12T09:00:00'));
    decide(dossier, 'RecordLatenessExplanation', economyOfficer, { reason: 'Nghỉ ốm' }, '2026-03-12T10:00:00');
    const [apology] = decide(dossier, 'IssueLatenessApology', economyHead, { reason: 'Chờ', newAppointment: at('2026-03-16T09:00:00') }, '2026-03-12T11:00:00');
    expect(apology).toMatchObject({ data: { missedAppointment: d2 } });
    expect(dossier.state.lateness).toMatchObject({ due: d2, explained: true });
    expect(lateDuties(dossier)).toEqual([]);
  });

  it('after a restart and before the next overdue alert, the superseded promise calls for no second apology', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00').deadlineAlerted('overdue', '2026-03-05T09:01:00');
    decide(dossier, 'IssueLatenessApology', economyHead, { reason: 'Chờ', newAppointment: at('2026-03-06T09:00:00') }, '2026-03-05T10:00:00');
    // The supplement restarts the legal time: due Thu 12 March, a promise of its own that replaces 6 March's.
    dossier.supplementRequested('business-registration', '2026-03-05T11:00:00', [{ component: 'x', reason: 'thiếu' }] as never).supplementProvided('2026-03-09T09:00:00');
    deciderSpec(dossier.dossierCode)
      .given(...dossier.events)
      .when(dossier.command('IssueLatenessApology', economyHead, { reason: 'Chờ', newAppointment: at('2026-03-13T09:00:00') }), '2026-03-10T10:00:00')
      .thenRefused('LATENESS_APOLOGY_ALREADY_ISSUED');
    expect(lateDuties(dossier)).toEqual(['explanation-due']);
  });
});
