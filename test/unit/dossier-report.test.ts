// The report fold of one dossier (domain/reporting/dossier-report.ts): facts with their instants,
// and open intervals that judge an unfinished dossier at any instant.
import { describe, expect, it } from 'vitest';
import { dossierReportOf } from '../../domain/reporting/dossier-report.js';
import { indicatorsOf, toCsv, type IndicatorCounts } from '../../domain/reporting/indicators.js';
import { at } from '../support/dossier-fixtures.js';
import { aprilEvents, marchDataset } from '../support/report-dataset.js';

const iso = (local: string) => new Date(at(local)).toISOString();
const normalised = (value: string | null) => (value === null ? null : new Date(value).toISOString());

describe('the report facts of a dossier', () => {
  const dataset = marchDataset();
  const report = (scenario: { dossierCode: string; events: never[] | readonly unknown[] }) => dossierReportOf(scenario.dossierCode, scenario.events as never)!;

  it('records a resolution with both classifications and the counted working days', () => {
    const { facts, openIntervals } = report(dataset.a);
    expect(facts).toMatchObject({ resolution: 'result', dossierRule: 'late', decision766: 'late', channel: 'counter' });
    expect(normalised(facts.resolvedAt)).toBe(iso('2026-03-03T10:00:00'));
    // 25 Feb 09:00 → 3 Mar 10:00: 360 + 450 + 450 + 450 + 150 office minutes = 1860 = 4.13 days of 450.
    expect(facts.processingDays).toBe(4.13);
    // Open from acceptance; late from the start of the day after the due day (day granularity).
    expect(openIntervals.map((interval) => ({ from: normalised(interval.from), to: normalised(interval.to), overdueFrom: interval.overdueFrom }))).toEqual([
      { from: iso('2026-02-25T09:00:00'), to: iso('2026-03-03T10:00:00'), overdueFrom: iso('2026-03-03T00:00:00') },
    ]);
    // Decision 766 judges to the minute: late from 09:01 on the due day.
    expect(openIntervals[0]!.late766From).toBe(iso('2026-03-02T09:01:00'));
  });

  it('keeps online payment, e-result, return and evaluation with their instants', () => {
    const { facts } = report(dataset.b);
    expect(facts).toMatchObject({ dossierRule: 'early', decision766: 'early', returnMethod: 'electronic', rating: 'very-satisfied', evaluationSource: 'online' });
    expect(normalised(facts.paidOnlineAt)).toBe(iso('2026-03-03T08:00:00'));
    expect(normalised(facts.feeBearingFrom)).toBe(iso('2026-03-02T09:00:00'));
    expect(normalised(facts.digitisedAt)).toBe(iso('2026-03-02T09:00:00'));
    expect(report(dataset.c).facts).toMatchObject({ dossierRule: 'on-time', decision766: 'on-time', paidOnlineAt: null, rating: 'not-satisfied', evaluationSource: 'paper-form' });
  });

  it('counts an evaluation recorded before evaluations carried their source as staff-recorded, as before', () => {
    const legacy = dataset.c.events.map((event) => (event.type === 'EvaluationRecorded' ? { ...event, data: { at: event.data.at, rating: event.data.rating } } : event));
    expect(report({ dossierCode: dataset.c.dossierCode, events: legacy }).facts).toMatchObject({ rating: 'not-satisfied', evaluationSource: 'staff-recorded' });
  });

  it('splits an open dossier into a running stretch and a paused one, and ends it at its resolution', () => {
    const f = report(dataset.f);
    expect(f.openIntervals.map((interval) => [normalised(interval.from), normalised(interval.to), interval.paused])).toEqual([
      [iso('2026-03-16T09:00:00'), iso('2026-03-17T09:00:00'), false],
      [iso('2026-03-17T09:00:00'), null, true],
    ]);
    // Paused one working day into three: within time throughout, under both rules.
    expect(f.openIntervals[1]).toMatchObject({ overdueFrom: null, late766From: null });
    expect(f.facts.supplementRequests).toBe(1);
  });

  it('has no open interval and no field for a dossier refused at reception', () => {
    const g = report(dataset.g);
    expect(g.openIntervals).toEqual([]);
    expect(g.facts).toMatchObject({ acceptedAt: null, field: null, resolution: null });
    expect(normalised(g.facts.refusedAtReceptionAt)).toBe(iso('2026-03-20T09:00:00'));
  });

  it('gives the same facts up to an instant whatever happens later (only later fields change)', () => {
    const before = report(dataset.d);
    const later = marchDataset();
    aprilEvents(later);
    const after = report(later.d);
    expect(after.openIntervals[0]).toEqual({ ...before.openIntervals[0], to: iso('2026-04-02T10:00:00') });
    expect(after.facts).toMatchObject({ ...before.facts, resolvedAt: iso('2026-04-02T10:00:00'), resolution: 'result', dossierRule: 'late', decision766: 'late', eResultAt: iso('2026-04-02T10:00:00'), processingDays: expect.any(Number),
      // Resolved past its appointment: late for the applicant since the due time, the economy office's to explain by the third working day after.
      overdueAt: iso('2026-03-13T09:00:00'), responsibleAgencyCode: '000.03.01.H99', explanationDueAt: iso('2026-03-18T17:00:00') });
  });
});

describe('indicators from counts', () => {
  const zero: IndicatorCounts = Object.fromEntries(
    ['registered', 'refusedAtReception', 'carriedOver', 'accepted', 'acceptedOnline', 'acceptedAtCounter', 'acceptedByPost', 'resolved', 'resolvedWithResult', 'resolvedByRefusal', 'withdrawn', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedEarly766', 'resolvedOnTime766', 'resolvedLate766', 'inProgressWithinTime', 'inProgressOverdue', 'pausedWithinTime', 'pausedOverdue', 'openLate766', 'processingDaysSum', 'eResults', 'feeBearing', 'paidOnline', 'digitised', 'reusedData', 'verySatisfied', 'satisfied', 'notSatisfied', 'resolvedAfterRepeatedSupplement', 'onlineServices', 'onlineServicesUsed', 'acceptedOnline766', 'digitised766', 'acceptedSynced', 'acceptedMirrored', 'resolvedMirrored'].map((key) => [key, 0]),
  ) as unknown as IndicatorCounts;

  it('answers N/A (null) for an empty denominator rather than 0% or 100%', () => {
    const indicators = indicatorsOf(zero, new Map());
    expect(indicators.length).toBeGreaterThan(0);
    for (const indicator of indicators) expect(indicator, indicator.id).toMatchObject({ value: null, meetsTarget: null });
  });

  it('sets each figure beside its target: rates met at or above, average time at or below', () => {
    const counts = { ...zero, resolved: 50, resolvedWithResult: 50, resolvedOnTime766: 49, resolvedLate766: 1, resolvedOnTime: 49, resolvedLate: 1, processingDaysSum: 100 };
    const targets = new Map([
      ['on-time-rate-766', { target: 98, agencyCode: 'x', source: 'plan' }],
      ['average-processing-days', { target: 2, agencyCode: 'x', source: 'plan' }],
    ] as const);
    const byId = new Map(indicatorsOf(counts, targets).map((indicator) => [indicator.id, indicator]));
    expect(byId.get('on-time-rate-766')).toMatchObject({ value: 98, numerator: 49, denominator: 50, meetsTarget: true });
    expect(byId.get('average-processing-days')).toMatchObject({ value: 2, meetsTarget: true });
    expect(indicatorsOf({ ...counts, resolvedOnTime766: 48, resolvedLate766: 2 }, targets).find((indicator) => indicator.id === 'on-time-rate-766')).toMatchObject({ value: 96, meetsTarget: false });
  });

  it('computes the channel shares (3.3), digitisation with the e-result (4.2), repeated supplements (2.1) and online services in use (3.2) as worked out by hand', () => {
    // 8 accepted: 2 online, 5 at the counter, 1 by post; 6 resolved, 2 of them after a second
    // supplement request; 4 online services, 3 of which received an online dossier.
    // 3.3 and 4.2: one online dossier and two digitised ones had their result issued without its file.
    const counts = { ...zero, accepted: 8, acceptedOnline: 2, acceptedOnline766: 1, acceptedAtCounter: 5, acceptedByPost: 1, digitised: 7, digitised766: 5, resolved: 6, resolvedAfterRepeatedSupplement: 2, onlineServices: 4, onlineServicesUsed: 3 };
    const byId = new Map(indicatorsOf(counts, new Map([['repeated-supplement-rate', { target: 5, agencyCode: 'x', source: 'plan' }]])).map((indicator) => [indicator.id, indicator]));
    expect(byId.get('online-submission-rate')).toMatchObject({ decision766: '3.3', value: 12.5, numerator: 1, denominator: 8 });
    expect(byId.get('digitisation-rate')).toMatchObject({ decision766: '4.2', value: 62.5, numerator: 5, denominator: 8 });
    expect(byId.get('counter-submission-rate')).toMatchObject({ decision766: '3.3', value: 62.5, numerator: 5, denominator: 8 });
    expect(byId.get('postal-submission-rate')).toMatchObject({ decision766: '3.3', value: 12.5, numerator: 1, denominator: 8 });
    // 2 / 6 = 33.333…, rounded to two decimals.
    expect(byId.get('repeated-supplement-rate')).toMatchObject({ decision766: '2.1', value: 33.33, numerator: 2, denominator: 6, meetsTarget: false });
    // Fewer repeated requests is better: the target is a ceiling.
    expect(indicatorsOf({ ...counts, resolvedAfterRepeatedSupplement: 0 }, new Map([['repeated-supplement-rate', { target: 5, agencyCode: 'x', source: 'plan' }]])).find((indicator) => indicator.id === 'repeated-supplement-rate')).toMatchObject({ value: 0, meetsTarget: true });
    expect(byId.get('online-service-use-rate')).toMatchObject({ decision766: '3.2', value: 75, numerator: 3, denominator: 4 });
    // Every indicator names its item of the decision's annex, except the dossier's own rule.
    expect([...byId.values()].filter((indicator) => indicator.decision766 === null).map((indicator) => indicator.id)).toEqual(['on-time-rate']);
  });

  it('writes RFC 4180 CSV, quoting what needs it', () => {
    expect(toCsv(['a', 'b'], [['Hộ tịch, chứng thực', 'say "hi"'], [null, 1.5]])).toBe('a,b\r\n"Hộ tịch, chứng thực","say ""hi"""\r\n,1.5\r\n');
  });
});
