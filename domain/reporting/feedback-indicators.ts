// Decision 766's feedback indicators (§5.1–5.3, and 5.4's share of dossiers named by a feedback item)
// from the counts of the items a unit received in a period (db/feedback/feedback-queries.ts
// feedbackIndicatorCounts). docs/feedback.md#the-766-indicators says how each is counted.

export interface FeedbackIndicatorCounts {
  /** Items sent in the period to the units. */
  readonly received: number;
  readonly regulation: number;
  readonly procedure: number;
  readonly staffConduct: number;
  readonly unclassified: number;
  /** Answered, refused or sent outside by the end of the period. */
  readonly handled: number;
  readonly handledOnTime: number;
  /** Still in the units' hands at the end of the period. */
  readonly open: number;
  /** Of those, still within the answer's clock at the end of the period. */
  readonly openInTime: number;
  /** Items whose published answer has more dislikes than likes on the national portal. */
  readonly moreDislikes: number;
  /** Items handled late, or open past their answer's clock. */
  readonly late: number;
  /** Items another item followed up as dissatisfied with the answer. */
  readonly followedUp: number;
  /** Items with any of the three (each counted once). */
  readonly unsatisfactory: number;
  /** Distinct dossiers the items named (766 §5.4's "dossiers with a PAKN"). */
  readonly dossiersNamed: number;
}

export const FEEDBACK_INDICATOR_IDS = ['feedback-regulation-share', 'feedback-procedure-share', 'feedback-staff-conduct-share', 'feedback-on-time-rate', 'feedback-satisfaction'] as const;
export type FeedbackIndicatorId = (typeof FEEDBACK_INDICATOR_IDS)[number];

export const FEEDBACK_INDICATOR_DEFINITIONS: Readonly<Record<FeedbackIndicatorId, { readonly decision766: string; readonly label: string }>> = {
  'feedback-regulation-share': { decision766: '5.1', label: 'Feedback about policy and regulation' },
  'feedback-procedure-share': { decision766: '5.1', label: 'Feedback about an administrative procedure' },
  'feedback-staff-conduct-share': { decision766: '5.1', label: 'Feedback about the conduct of staff' },
  'feedback-on-time-rate': { decision766: '5.2', label: 'Feedback handled on time' },
  'feedback-satisfaction': { decision766: '5.3', label: 'Satisfaction with feedback handling' },
};

export interface FeedbackIndicator {
  readonly id: FeedbackIndicatorId;
  readonly decision766: string;
  readonly label: string;
  readonly unit: 'percent';
  /** Null when the denominator is zero (766's notes: show N/A). Rounded to 2 decimals. */
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator * 100 * 100) / denominator) / 100;
}

export function feedbackIndicatorsOf(counts: FeedbackIndicatorCounts): FeedbackIndicator[] {
  const onTime = counts.handledOnTime + counts.openInTime;
  const satisfied = counts.received - counts.unsatisfactory;
  const figures: Record<FeedbackIndicatorId, { numerator: number; denominator: number }> = {
    'feedback-regulation-share': { numerator: counts.regulation, denominator: counts.received },
    'feedback-procedure-share': { numerator: counts.procedure, denominator: counts.received },
    'feedback-staff-conduct-share': { numerator: counts.staffConduct, denominator: counts.received },
    // 5.2: items handled within the timings, and open ones still within them, over those received.
    'feedback-on-time-rate': { numerator: onTime, denominator: counts.received },
    // 5.3: all, less those with more dislikes than likes, handled late, or followed up as dissatisfied.
    'feedback-satisfaction': { numerator: satisfied, denominator: counts.received },
  };
  return FEEDBACK_INDICATOR_IDS.map((id) => ({ id, ...FEEDBACK_INDICATOR_DEFINITIONS[id], unit: 'percent' as const, ...figures[id], value: rate(figures[id].numerator, figures[id].denominator) }));
}

/** 766 §5.4's share of dossiers with a feedback item: dossiers named by items / dossiers of the period. */
export function dossiersWithFeedbackShare(dossiersNamed: number, dossiers: number): number | null {
  return rate(Math.min(dossiersNamed, dossiers), dossiers);
}
