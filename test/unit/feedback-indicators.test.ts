// Decision 766's feedback indicators from their counts (domain/reporting/feedback-indicators.ts).
import { describe, expect, it } from 'vitest';
import { dossiersWithFeedbackShare, type FeedbackIndicatorCounts, feedbackIndicatorsOf } from '../../domain/reporting/feedback-indicators.js';

const none: FeedbackIndicatorCounts = { received: 0, regulation: 0, procedure: 0, staffConduct: 0, unclassified: 0, handled: 0, handledOnTime: 0, open: 0, openInTime: 0, moreDislikes: 0, late: 0, followedUp: 0, unsatisfactory: 0, dossiersNamed: 0 };

describe('the 766 feedback indicators', () => {
  it('are N/A (null) when nothing was received', () => {
    expect(feedbackIndicatorsOf(none).every((indicator) => indicator.value === null && indicator.denominator === 0)).toBe(true);
  });

  it('count on time the items handled in time and the open ones still within their clock, over all received (5.2)', () => {
    const counts = { ...none, received: 7, handled: 4, handledOnTime: 3, open: 3, openInTime: 2, late: 2, unsatisfactory: 3, moreDislikes: 1, followedUp: 1, procedure: 5, regulation: 1, staffConduct: 1 };
    const byId = Object.fromEntries(feedbackIndicatorsOf(counts).map((indicator) => [indicator.id, indicator]));
    expect(byId['feedback-on-time-rate']).toMatchObject({ decision766: '5.2', numerator: 5, denominator: 7, value: 71.43 });
    expect(byId['feedback-satisfaction']).toMatchObject({ decision766: '5.3', numerator: 4, denominator: 7, value: 57.14 });
    expect(byId['feedback-procedure-share']).toMatchObject({ decision766: '5.1', numerator: 5, value: 71.43 });
    expect(byId['feedback-regulation-share']?.value).toBe(14.29);
  });

  it('gives 5.4 its share of dossiers named by an item, never above the dossiers counted', () => {
    expect(dossiersWithFeedbackShare(3, 200)).toBe(1.5);
    expect(dossiersWithFeedbackShare(5, 0)).toBeNull();
    expect(dossiersWithFeedbackShare(9, 4)).toBe(100);
  });
});
