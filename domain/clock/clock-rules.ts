// What a procedure version (or one step of an interagency route) says about its time limit: the
// budget, how the due time is reckoned, the reception cut-off, and how lateness is judged.
// Sources: Decree 61/2018 arts. 18–19 (as amended by Decree 118/2025), Civil Code 2015
// arts. 147–148, Decision 766/QĐ-TTg; each rule with its source in docs/rules.md.


/** Why the clock may stop (Decree 61/2018 art. 19(4); sector law for the others). Procedures list which of these apply to them. */
export const PAUSE_REASONS = [
  'waiting-for-supplement', // chờ bổ sung hồ sơ (status 5, form 02)
  'waiting-for-financial-obligation', // chờ thực hiện nghĩa vụ tài chính (status 6)
  'verification', // xác minh, kiểm tra thực địa
  'public-posting', // niêm yết công khai
  'site-clearance', // giải phóng mặt bằng
  'consultation', // lấy ý kiến cơ quan khác, when the procedure excludes it
  'other',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const GRANULARITIES = ['minute', 'hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

// The rules' shapes; the schemas live in clock-schemas.ts, so the dossier workflow's sandbox never
// loads zod (docs/scaling.md).
export type { Budget, ClockRules, ClockRulesInput } from './clock-schemas.js';
import type { Budget, ClockRules, ClockRulesInput } from './clock-schemas.js';

/** What a procedure's rules are when it does not say (`clockRulesSchema` applies the same). */
export const CLOCK_RULE_DEFAULTS = {
  dueRule: 'same-clock-time',
  receptionCutOff: '15:00',
  afterSupplement: 'restart',
  granularity: 'day',
  decision766: { granularity: 'minute', excludedPauseReasons: ['waiting-for-supplement'] },
} as const;

/**
 * The longest budget of each unit: ten years of days, and of hours round the clock. A procedure's
 * time limit is days or weeks; anything near these is a mistake in the catalogue or the data.
 */
export const BUDGET_LIMITS = { 'working-days': 3650, 'working-hours': 24 * 3650, 'calendar-days': 3650 } as const;

/**
 * Throws a RangeError naming the budget unless it is a positive, finite amount within its unit's
 * limit. The clock walks the calendar until the budget is spent: a budget of zero or less would put
 * the due time at or before acceptance, and one that is not a number would never be spent.
 */
export function assertSaneBudget(budget: Budget): void {
  if (budget.unit === 'same-day') return;
  const limit = BUDGET_LIMITS[budget.unit];
  const amount: unknown = budget.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0 || amount > limit) {
    throw new RangeError(`the clock's budget of ${String(amount)} ${budget.unit} is not a positive number of at most ${limit} ${budget.unit}; fix the procedure's time limit`);
  }
  if (budget.unit === 'calendar-days' && !Number.isInteger(amount)) {
    throw new RangeError(`the clock's budget of ${amount} calendar-days is not a whole number of days; fix the procedure's time limit`);
  }
}

/**
 * Rules with their defaults filled in, as `clockRulesSchema` gives them, without validating (a unit
 * test holds the two together). Procedures' rules are validated when the catalogue is loaded.
 */
export function completeClockRules(input: ClockRulesInput | ClockRules): ClockRules {
  const defaults = CLOCK_RULE_DEFAULTS;
  assertSaneBudget(input.budget);
  return {
    budget: input.budget,
    dueRule: input.dueRule ?? defaults.dueRule,
    receptionCutOff: input.receptionCutOff === undefined ? defaults.receptionCutOff : input.receptionCutOff,
    afterSupplement: input.afterSupplement ?? defaults.afterSupplement,
    ...(input.dueSoonWithinWorkingMinutes === undefined ? {} : { dueSoonWithinWorkingMinutes: input.dueSoonWithinWorkingMinutes }),
    granularity: input.granularity ?? defaults.granularity,
    ...(input.explanationWithinWorkingDays === undefined ? {} : { explanationWithinWorkingDays: input.explanationWithinWorkingDays }),
    decision766: {
      granularity: input.decision766?.granularity ?? defaults.decision766.granularity,
      excludedPauseReasons: [...(input.decision766?.excludedPauseReasons ?? defaults.decision766.excludedPauseReasons)],
    },
  };
}
