// The figures an agency is scored on (Decision 766/QĐ-TTg; docs/rules.md, docs/reports.md), computed
// from counts over a period; each names its item of the decision's annex. Counting is the database's
// job (db/reports/); turning counts into rates, setting each beside its local target and writing CSV
// happens here, where it can be tested alone.
import { round2 } from '../clock/rounding.js';

export interface IndicatorCounts {
  /** Registered (any channel, status 1) in the period, accepted or not. */
  readonly registered: number;
  readonly refusedAtReception: number;
  /** Accepted before the period and not resolved at its start. */
  readonly carriedOver: number;
  /** Accepted (NgayTiepNhan) in the period, by channel. */
  readonly accepted: number;
  readonly acceptedOnline: number;
  readonly acceptedAtCounter: number;
  readonly acceptedByPost: number;
  /** Online and accepted in the period, less those whose result was issued without its electronic file (Decision 766, item 3.3). */
  readonly acceptedOnline766: number;
  readonly resolved: number;
  readonly resolvedWithResult: number;
  readonly resolvedByRefusal: number;
  readonly withdrawn: number;
  readonly resolvedEarly: number;
  readonly resolvedOnTime: number;
  readonly resolvedLate: number;
  readonly resolvedEarly766: number;
  readonly resolvedOnTime766: number;
  readonly resolvedLate766: number;
  /** Resolved in the period after more than one supplement request during processing (late under Decision 766, item 2.1). */
  readonly resolvedAfterRepeatedSupplement: number;
  /** Open at the end of the period, clock running. */
  readonly inProgressWithinTime: number;
  readonly inProgressOverdue: number;
  /** Open at the end of the period, clock stopped (supplement, financial obligation). */
  readonly pausedWithinTime: number;
  readonly pausedOverdue: number;
  /** Open at the end and late under Decision 766's rule (the period's end as their end). */
  readonly openLate766: number;
  readonly processingDaysSum: number;
  readonly eResults: number;
  /** Accepted in the period, of a fee-bearing procedure or with a financial obligation. */
  readonly feeBearing: number;
  readonly paidOnline: number;
  readonly digitised: number;
  /** Digitised, less those whose result was issued without its electronic file (Decision 766, item 4.2: dossier and result digitised). */
  readonly digitised766: number;
  readonly reusedData: number;
  readonly verySatisfied: number;
  readonly satisfied: number;
  readonly notSatisfied: number;
  /** The evaluations above by source (docs/reports.md#evaluations-by-source): the applicant's own online, */
  readonly evaluationsOnline: number;
  /** a paper form the centre collected and staff entered, */
  readonly evaluationsOnPaperForm: number;
  /** or recorded by staff before evaluations carried their source. */
  readonly evaluationsStaffRecorded: number;
  /** Procedures in the catalogue, in force during the period, offered online (fully or partly), within the selection (Decision 766, item 3.2). */
  readonly onlineServices: number;
  /** Of those, the ones with at least one dossier submitted online and accepted in the period. */
  readonly onlineServicesUsed: number;
  /** Accepted in the period and synced to the national portal by the end: a portal delivery of theirs delivered (Decision 766, items 1.4 and 3.3). */
  readonly acceptedSynced: number;
  /** Of those accepted, and of those resolved, in the period: mirrors of dossiers handled on a ministry's system (docs/reports.md#mirrored-dossiers). */
  readonly acceptedMirrored: number;
  readonly resolvedMirrored: number;
}

export const INDICATOR_IDS = [
  'on-time-rate',
  'on-time-rate-766',
  'average-processing-days',
  'online-submission-rate',
  'online-payment-rate',
  'e-result-rate',
  'digitisation-rate',
  'data-reuse-rate',
  'satisfaction',
  'counter-submission-rate',
  'postal-submission-rate',
  'repeated-supplement-rate',
  'online-service-use-rate',
  'portal-sync-rate',
  'online-submission-rate-synced',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

export const INDICATOR_DEFINITIONS: Readonly<Record<IndicatorId, { readonly decision766: string | null; readonly label: string; readonly unit: 'percent' | 'days' }>> = {
  'on-time-rate': { decision766: null, label: 'Resolved or in progress within the dossier\'s own due time', unit: 'percent' },
  'on-time-rate-766': { decision766: '2.1', label: 'Early and on-time rate under Decision 766', unit: 'percent' },
  'average-processing-days': { decision766: '2.2', label: 'Average processing time of resolved dossiers, in the budget\'s days', unit: 'days' },
  'online-submission-rate': { decision766: '3.3', label: 'Accepted dossiers submitted online (with their e-result once the result is issued)', unit: 'percent' },
  'online-payment-rate': { decision766: '3.6', label: 'Fee-bearing dossiers paid online', unit: 'percent' },
  'e-result-rate': { decision766: '4.1', label: 'Results issued as an electronic file', unit: 'percent' },
  'digitisation-rate': { decision766: '4.2', label: 'Accepted dossiers with digitised components (and their e-result once the result is issued)', unit: 'percent' },
  'data-reuse-rate': { decision766: '4.3', label: 'Accepted dossiers reusing digitised data', unit: 'percent' },
  'satisfaction': { decision766: '5.4', label: '100% less the late rate (766) and the share of dissatisfied evaluations', unit: 'percent' },
  'counter-submission-rate': { decision766: '3.3', label: 'Accepted dossiers submitted in person at the counter', unit: 'percent' },
  'postal-submission-rate': { decision766: '3.3', label: 'Accepted dossiers submitted through the public postal service', unit: 'percent' },
  'repeated-supplement-rate': { decision766: '2.1', label: 'Resolved dossiers whose supplement was requested more than once (late under Decision 766)', unit: 'percent' },
  'online-service-use-rate': { decision766: '3.2', label: 'Online services (procedures offered online) that received at least one online dossier', unit: 'percent' },
  'portal-sync-rate': { decision766: '1.4', label: 'Accepted dossiers synced to the national portal (a portal delivery delivered)', unit: 'percent' },
  'online-submission-rate-synced': { decision766: '3.3', label: 'The online submission rate multiplied by the sync rate, as the portal scores it', unit: 'percent' },
};

/** Met at or below the target: time taken, and dossiers asked to supplement more than once. */
const LOWER_IS_BETTER: ReadonlySet<IndicatorId> = new Set(['average-processing-days', 'repeated-supplement-rate']);

export interface Target {
  readonly target: number;
  /** The agency whose target applies (the unit itself or the nearest unit above it) and the plan it comes from. */
  readonly agencyCode: string;
  readonly source: string;
}

export interface Indicator {
  readonly id: IndicatorId;
  readonly decision766: string | null;
  readonly label: string;
  readonly unit: 'percent' | 'days';
  /** Null when the denominator is zero: nothing to measure (Decision 766/QĐ-TTg's notes say show N/A). */
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  readonly target: Target | null;
  /** Null without a target or a value. Average time and repeated supplements are met at or below the target, other rates at or above. */
  readonly meetsTarget: boolean | null;
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round2((numerator * 100) / denominator);
}

export function indicatorsOf(counts: IndicatorCounts, targets: ReadonlyMap<string, Target>): Indicator[] {
  const open = counts.inProgressWithinTime + counts.inProgressOverdue + counts.pausedWithinTime + counts.pausedOverdue;
  const judged = counts.resolved + open;
  const onTime = counts.resolvedEarly + counts.resolvedOnTime + counts.inProgressWithinTime + counts.pausedWithinTime;
  const onTime766 = counts.resolvedEarly766 + counts.resolvedOnTime766 + (open - counts.openLate766);
  const evaluations = counts.verySatisfied + counts.satisfied + counts.notSatisfied;
  const lateRate766 = judged === 0 ? 0 : ((judged - onTime766) * 100) / judged;
  const dissatisfiedShare = counts.resolved === 0 ? 0 : (counts.notSatisfied * 100) / counts.resolved;
  const figures: Record<IndicatorId, { value: number | null; numerator: number; denominator: number }> = {
    'on-time-rate': { value: rate(onTime, judged), numerator: onTime, denominator: judged },
    'on-time-rate-766': { value: rate(onTime766, judged), numerator: onTime766, denominator: judged },
    'average-processing-days': {
      value: counts.resolvedWithResult === 0 ? null : round2(counts.processingDaysSum / counts.resolvedWithResult),
      numerator: round2(counts.processingDaysSum),
      denominator: counts.resolvedWithResult,
    },
    'online-submission-rate': { value: rate(counts.acceptedOnline766, counts.accepted), numerator: counts.acceptedOnline766, denominator: counts.accepted },
    'online-payment-rate': { value: rate(counts.paidOnline, counts.feeBearing), numerator: counts.paidOnline, denominator: counts.feeBearing },
    'e-result-rate': { value: rate(counts.eResults, counts.resolvedWithResult), numerator: counts.eResults, denominator: counts.resolvedWithResult },
    'digitisation-rate': { value: rate(counts.digitised766, counts.accepted), numerator: counts.digitised766, denominator: counts.accepted },
    'data-reuse-rate': { value: rate(counts.reusedData, counts.accepted), numerator: counts.reusedData, denominator: counts.accepted },
    satisfaction: {
      value: judged === 0 && evaluations === 0 ? null : round2(Math.max(0, 100 - lateRate766 - dissatisfiedShare)),
      numerator: counts.notSatisfied,
      denominator: counts.resolved,
    },
    // 3.3 computes the in-person and postal shares the way it computes the online one.
    'counter-submission-rate': { value: rate(counts.acceptedAtCounter, counts.accepted), numerator: counts.acceptedAtCounter, denominator: counts.accepted },
    'postal-submission-rate': { value: rate(counts.acceptedByPost, counts.accepted), numerator: counts.acceptedByPost, denominator: counts.accepted },
    'repeated-supplement-rate': { value: rate(counts.resolvedAfterRepeatedSupplement, counts.resolved), numerator: counts.resolvedAfterRepeatedSupplement, denominator: counts.resolved },
    'online-service-use-rate': { value: rate(counts.onlineServicesUsed, counts.onlineServices), numerator: counts.onlineServicesUsed, denominator: counts.onlineServices },
    // 1.4's denominator on the portal is the larger of the national reporting system's count and the
    // portal's; the engine's own count of accepted dossiers stands for both (docs/reports.md).
    'portal-sync-rate': { value: rate(counts.acceptedSynced, counts.accepted), numerator: counts.acceptedSynced, denominator: counts.accepted },
    // 3.3 multiplies the online share by the sync rate: (online / accepted) × (synced / accepted).
    'online-submission-rate-synced': {
      value: counts.accepted === 0 ? null : round2((counts.acceptedOnline766 * counts.acceptedSynced * 100) / (counts.accepted * counts.accepted)),
      numerator: counts.acceptedOnline766,
      denominator: counts.accepted,
    },
  };
  return INDICATOR_IDS.map((id) => {
    const definition = INDICATOR_DEFINITIONS[id];
    const figure = figures[id];
    const target = targets.get(id) ?? null;
    const meetsTarget = target === null || figure.value === null ? null : LOWER_IS_BETTER.has(id) ? figure.value <= target.target : figure.value >= target.target;
    return { id, ...definition, ...figure, target, meetsTarget };
  });
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; CRLF lines. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  const field = (value: string | number | boolean | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
