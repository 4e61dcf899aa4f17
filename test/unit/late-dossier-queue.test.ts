// What a late dossier puts on its responsible agency's work queue (the inline read model, folded
// from the events as the append writes it): "apology due" and "explanation due" from the overdue
// alert until each is done, whatever the dossier's status, the explanation with its due time.
import { describe, expect, it } from 'vitest';
import { readModelsOf } from '../../db/projections/dossier-read-models.js';
import { onQueueAt } from '../../db/work-queue.js';
import { instant } from '../support/decider-spec.js';
import { at, BUSINESS_PROCEDURE, ECONOMY } from '../support/dossier-fixtures.js';
import { DossierHistory, stored } from '../support/dossier-history.js';


/** The rows the queue lists at `now` (the latest event's instant by default), as db/work-queue.ts reads them. */
function queueOf(history: DossierHistory, now?: string) {
  const events = stored(history);
  const readAt = now ? new Date(instant(now)) : events.at(-1)!.occurredAt;
  return readModelsOf(history.dossierCode, events)!
    .queue.filter((row) => onQueueAt(row, readAt))
    .map(({ item, agency_code, due_at, overdue }) => ({ item, agency_code, due_at: due_at === null ? null : instant(due_at), overdue }));
}
const lateDuties = (history: DossierHistory, now?: string) => queueOf(history, now).filter((row) => row.item.endsWith('-due'));
const summaryOf = (history: DossierHistory) => readModelsOf(history.dossierCode, stored(history))!.summary;

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

  it('owes another apology once the new appointment the apology gave passes without the result, shown from that appointment on', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00').deadlineAlerted('overdue', '2026-03-05T09:01:00');
    dossier.latenessApologyIssued(ECONOMY, '2026-03-05T10:00:00', at('2026-03-10T09:00:00'));
    expect(lateDuties(dossier, '2026-03-10T08:59:00').map((row) => row.item)).toEqual(['explanation-due']);
    // No event marks the promised appointment passing: the queue, read after it, lists the apology again.
    const missed = readModelsOf(dossier.dossierCode, stored(dossier))!.queue.find((row) => row.item === 'apology-due');
    expect(missed).toMatchObject({ agency_code: ECONOMY, since: at('2026-03-10T09:00:00'), due_at: null, task: 'Gửi văn bản xin lỗi lần nữa: đã quá ngày hẹn mới mà chưa có kết quả' });
    expect(lateDuties(dossier, '2026-03-10T09:01:00').map((row) => row.item)).toEqual(['apology-due', 'explanation-due']);
    // The result came after the promise: the apology is still owed (the decider allows it).
    dossier.stepCompleted('business-registration', '2026-03-11T09:00:00').resultIssued('2026-03-11T10:00:00', 'HKD-1');
    expect(lateDuties(dossier).map((row) => row.item)).toEqual(['apology-due', 'explanation-due']);
    // The second apology (no new appointment, the result is ready) takes it off the queue.
    dossier.latenessApologyIssued(ECONOMY, '2026-03-11T11:00:00', undefined, at('2026-03-10T09:00:00'));
    expect(lateDuties(dossier, '2026-03-20T09:00:00').map((row) => row.item)).toEqual(['explanation-due']);
  });

  it('owes no other apology when the result is ready by the new appointment', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00').deadlineAlerted('overdue', '2026-03-05T09:01:00');
    dossier.latenessApologyIssued(ECONOMY, '2026-03-05T10:00:00', at('2026-03-10T09:00:00'));
    dossier.stepCompleted('business-registration', '2026-03-09T09:00:00').resultIssued('2026-03-09T10:00:00', 'HKD-1');
    expect(lateDuties(dossier, '2026-03-20T09:00:00').map((row) => row.item)).toEqual(['explanation-due']);
  });

  it('shows the applicant the appointment in force on the summary, the original due date kept beside it', () => {
    const dossier = DossierHistory.received(BUSINESS_PROCEDURE).accepted('2026-03-02T09:00:00');
    const receipt = summaryOf(dossier).appointment_at;
    expect(summaryOf(dossier).appointment_in_force_at).toBe(receipt);
    dossier.deadlineAlerted('overdue', '2026-03-05T09:01:00').latenessApologyIssued(ECONOMY, '2026-03-05T10:00:00', at('2026-03-10T09:00:00'));
    expect(summaryOf(dossier)).toMatchObject({ appointment_at: receipt, due_at: at('2026-03-05T09:00:00'), extended_due_at: null, appointment_in_force_at: at('2026-03-10T09:00:00') });
    // The promise missed, the second apology gives a later one: that is the appointment in force.
    dossier.latenessApologyIssued(ECONOMY, '2026-03-10T10:00:00', at('2026-03-13T09:00:00'), at('2026-03-10T09:00:00'));
    expect(summaryOf(dossier).appointment_in_force_at).toBe(at('2026-03-13T09:00:00'));
  });
});
