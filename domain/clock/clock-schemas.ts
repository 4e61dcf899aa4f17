// The schemas of what the legal clock takes from outside the code: a procedure's time rules and
// budget (from the catalogue) and a ledger's entries. The clock's logic takes the parsed shapes as
// types only; kept apart so the dossier workflow's sandbox, which evaluates its modules for every
// dossier, never loads zod (docs/scaling.md).
import { z } from 'zod';
import { storableText } from '../text.js';
import { parseInstant } from '../calendar/civil-day.js';
import { clockTimeSchema } from '../calendar/date-schemas.js';
import { BUDGET_LIMITS, CLOCK_RULE_DEFAULTS, GRANULARITIES, PAUSE_REASONS } from './clock-rules.js';

/**
 * A time limit: an amount and a unit. `same-day` needs no amount: the result is due by the close of
 * the day the clock starts (civil status, certification of copies: Civil Status Law 2014 art. 5(3),
 * Decree 23/2015 art. 7).
 */
export const budgetSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('working-days'), amount: z.number().positive().max(BUDGET_LIMITS['working-days']) }),
  z.object({ unit: z.literal('working-hours'), amount: z.number().positive().max(BUDGET_LIMITS['working-hours']) }),
  z.object({ unit: z.literal('calendar-days'), amount: z.number().int().positive().max(BUDGET_LIMITS['calendar-days']) }),
  z.object({ unit: z.literal('same-day') }),
]);
export type Budget = z.infer<typeof budgetSchema>;

const clockTime = clockTimeSchema;

export const clockRulesSchema = z.object({
  budget: budgetSchema,
  /**
   * `same-clock-time`: acceptance time plus N working days, keeping the clock time, as one-stop
   * systems print on receipts (08:37 on 20/11/2019 + 25 working days = 08:37 on 25/12/2019).
   * `end-of-day`: the Civil Code (arts. 147–148): the first day is not counted and the period ends
   * with the last day, moved to the next working day if that is a day off; here "the end of the day"
   * is the office's closing time, the last moment a result can be handed over.
   */
  dueRule: z.enum(['same-clock-time', 'end-of-day']).default(CLOCK_RULE_DEFAULTS.dueRule),
  /**
   * A dossier accepted after this time counts from the next working day (Decree 61 art. 18; Civil
   * Status Law art. 5(3)). Some provinces use session cut-offs such as 09:30 or 15:30. Null: none.
   */
  receptionCutOff: clockTime.nullable().default(CLOCK_RULE_DEFAULTS.receptionCutOff),
  /** A supplement requested during processing restarts the legal time (Decree 61 art. 19(4)) or resumes it. */
  afterSupplement: z.enum(['restart', 'resume']).default(CLOCK_RULE_DEFAULTS.afterSupplement),
  /** Remaining working time at or below which a running clock is "due soon". */
  dueSoonWithinWorkingMinutes: z.number().nonnegative().optional(),
  /** How finely "early / on time / late" is judged against the dossier's own due time. */
  granularity: z.enum(GRANULARITIES).default(CLOCK_RULE_DEFAULTS.granularity),
  /**
   * Working days after a dossier goes overdue within which the responsible official's accountability
   * explanation (giải trình) is due; 3 when absent (our choice: no legal text sets it; docs/rules.md).
   */
  explanationWithinWorkingDays: z.number().int().min(1).max(60).optional(),
  decision766: z
    .object({
      /** The portal compares end and appointment times; day would compare dates only. */
      granularity: z.enum(GRANULARITIES).default(CLOCK_RULE_DEFAULTS.decision766.granularity),
      /** Waiting intervals subtracted from the end time; the transcribed formula names only supplements. */
      excludedPauseReasons: z.array(z.enum(PAUSE_REASONS)).default([...CLOCK_RULE_DEFAULTS.decision766.excludedPauseReasons]),
    })
    .prefault({}),
});
export type ClockRules = z.infer<typeof clockRulesSchema>;
export type ClockRulesInput = z.input<typeof clockRulesSchema>;

const instant = z.string().refine((value) => {
  try {
    parseInstant(value);
    return true;
  } catch {
    return false;
  }
}, 'must be an ISO 8601 instant with its offset, e.g. 2026-02-23T08:37:00+07:00');

export const clockEntrySchema = z.discriminatedUnion('type', [
  /** Acceptance of a complete dossier (form 01): the legal time begins (Decree 61/2018/NĐ-CP art. 17(1)(c)). */
  z.object({ type: z.literal('started'), at: instant }),
  z.object({ type: z.literal('paused'), at: instant, reason: z.enum(PAUSE_REASONS), reference: storableText(500).optional() }),
  z.object({ type: z.literal('resumed'), at: instant }),
  /** The complete supplement arrived and the procedure restarts the legal time (Decree 61 art. 19(4)). */
  z.object({ type: z.literal('restarted'), at: instant }),
  /** Apology with a new appointment (form 04): at most once, at the latest one day before the due date. */
  z.object({ type: z.literal('extended'), at: instant, newDue: instant, reference: storableText(500).optional() }),
  /** The dossier (or step) ended: resolved, refused, withdrawn, or (a step) sent back for rework. */
  z.object({ type: z.literal('stopped'), at: instant, outcome: z.enum(['resolved', 'refused', 'withdrawn', 'sent-back']) }),
]);
export type ClockEntry = z.infer<typeof clockEntrySchema>;
