// Decision 766's sync indicators (domain/reporting/indicators.ts): 1.4, the share of accepted
// dossiers synced to the national portal, and 3.3's online share multiplied by that sync rate.
// Also the reconciliation's day arithmetic (db/outbox/reconciliation.ts, worker/portal-reconciliation.ts).
import { describe, expect, it } from 'vitest';
import { indicatorsOf, INDICATOR_IDS, type IndicatorCounts } from '../../domain/reporting/indicators.js';
import { previousVietnamDay, vietnamDayBounds } from '../../db/outbox/reconciliation.js';
import { nextRunAfter } from '../../worker/portal-reconciliation.js';

const zero = new Proxy({}, { get: () => 0 }) as IndicatorCounts;
const counts = (values: Partial<IndicatorCounts>): IndicatorCounts => Object.fromEntries(
  ['registered', 'refusedAtReception', 'carriedOver', 'accepted', 'acceptedOnline', 'acceptedAtCounter', 'acceptedByPost', 'acceptedOnline766', 'resolved', 'resolvedWithResult', 'resolvedByRefusal', 'withdrawn', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedEarly766', 'resolvedOnTime766', 'resolvedLate766', 'resolvedAfterRepeatedSupplement', 'inProgressWithinTime', 'inProgressOverdue', 'pausedWithinTime', 'pausedOverdue', 'openLate766', 'processingDaysSum', 'eResults', 'feeBearing', 'paidOnline', 'digitised', 'digitised766', 'reusedData', 'verySatisfied', 'satisfied', 'notSatisfied', 'onlineServices', 'onlineServicesUsed', 'feeServices', 'feeServicesPaidOnline', 'acceptedSynced', 'acceptedMirrored', 'resolvedMirrored'].map((key) => [key, values[key as keyof IndicatorCounts] ?? zero[key as keyof IndicatorCounts]]),
) as unknown as IndicatorCounts;

describe('the sync indicators', () => {
  it('are new ids, after the others (ids are stable and only added)', () => {
    expect(INDICATOR_IDS.slice(-2)).toEqual(['portal-sync-rate', 'online-submission-rate-synced']);
  });

  it('computes 1.4 and the sync factor of 3.3 as worked out by hand', () => {
    // 8 accepted, 6 of them synced; 2 online (1 counting for 3.3, its result came with its file).
    const byId = new Map(indicatorsOf(counts({ accepted: 8, acceptedOnline: 2, acceptedOnline766: 2, acceptedSynced: 6 }), new Map([['portal-sync-rate', { target: 100, agencyCode: 'x', source: 'Đồng Phú plan' }]])).map((indicator) => [indicator.id, indicator]));
    expect(byId.get('portal-sync-rate')).toMatchObject({ decision766: '1.4', value: 75, numerator: 6, denominator: 8, meetsTarget: false });
    // (2 / 8) × (6 / 8) = 18.75 %
    expect(byId.get('online-submission-rate-synced')).toMatchObject({ decision766: '3.3', value: 18.75, numerator: 2, denominator: 8 });
    expect(byId.get('online-submission-rate')).toMatchObject({ value: 25 });
    const all = new Map(indicatorsOf(counts({ accepted: 3, acceptedOnline766: 1, acceptedSynced: 3 }), new Map()).map((indicator) => [indicator.id, indicator]));
    expect(all.get('portal-sync-rate')!.value).toBe(100);
    expect(all.get('online-submission-rate-synced')!.value).toBe(33.33);
  });

  it('answers N/A with nothing accepted, and 0 % when nothing was synced', () => {
    const none = new Map(indicatorsOf(counts({}), new Map()).map((indicator) => [indicator.id, indicator]));
    expect(none.get('portal-sync-rate')).toMatchObject({ value: null, meetsTarget: null });
    expect(none.get('online-submission-rate-synced')).toMatchObject({ value: null });
    const unsynced = new Map(indicatorsOf(counts({ accepted: 4, acceptedOnline766: 4 }), new Map()).map((indicator) => [indicator.id, indicator]));
    expect(unsynced.get('portal-sync-rate')!.value).toBe(0);
    expect(unsynced.get('online-submission-rate-synced')!.value).toBe(0);
  });
});

describe('the reconciliation day', () => {
  it('is a Vietnam civil day', () => {
    expect(vietnamDayBounds('2026-10-13')).toEqual({ start: new Date('2026-10-12T17:00:00Z'), end: new Date('2026-10-13T17:00:00Z') });
    for (const bad of ['2026-02-30', '2026-13-01', '26-10-13', '2026-10-13T00:00', '']) expect(() => vietnamDayBounds(bad), bad).toThrow(RangeError);
    expect(previousVietnamDay(new Date('2026-10-13T17:30:00Z'))).toBe('2026-10-13'); // 00:30 on the 14th in Vietnam
    expect(previousVietnamDay(new Date('2026-10-13T16:30:00Z'))).toBe('2026-10-12');
  });

  it('runs next at the configured Vietnam time', () => {
    expect(nextRunAfter(new Date('2026-10-13T17:00:00Z'), '01:30')).toEqual(new Date('2026-10-13T18:30:00Z'));
    expect(nextRunAfter(new Date('2026-10-13T18:30:00Z'), '01:30')).toEqual(new Date('2026-10-14T18:30:00Z'));
    expect(() => nextRunAfter(new Date(), '24:00')).toThrow(RangeError);
  });
});
