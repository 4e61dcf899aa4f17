// What a procedure version (or one step of an interagency route) says about its time limit: the
// budget, how the due time is reckoned, the reception cut-off, and how lateness is judged.
// Sources: domain.md §4 (Decree 61/2018 art. 18–19 as amended by Decree 118/2025, Civil Code 2015
// arts. 147–148, Decision 766/QĐ-TTg).
import { z } from 'zod';
import { clockTimeSchema } from '../calendar/date-schemas.js';

/**
 * A time limit: an amount and a unit. `same-day` needs no amount: the result is due by the close of
 * the day the clock starts (civil status, certification of copies: Civil Status Law 2014 art. 5(3),
 * Decree 23/2015 art. 7).
 */
export const budgetSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('working-days'), amount: z.number().positive().max(3650) }),
  z.object({ unit: z.literal('working-hours'), amount: z.number().positive().max(24 * 3650) }),
  z.object({ unit: z.literal('calendar-days'), amount: z.number().int().positive().max(3650) }),
  z.object({ unit: z.literal('same-day') }),
]);
export type Budget = z.infer<typeof budgetSchema>;

/** Why the clock may stop (domain.md §4.5). Procedures list which of these apply to them. */
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
  dueRule: z.enum(['same-clock-time', 'end-of-day']).default('same-clock-time'),
  /**
   * A dossier accepted after this time counts from the next working day (Decree 61 art. 18; Civil
   * Status Law art. 5(3)). Some provinces use session cut-offs such as 09:30 or 15:30. Null: none.
   */
  receptionCutOff: clockTime.nullable().default('15:00'),
  /** A supplement requested during processing restarts the legal time (Decree 61 art. 19(4)) or resumes it. */
  afterSupplement: z.enum(['restart', 'resume']).default('restart'),
  /** Remaining working time at or below which a running clock is "due soon". */
  dueSoonWithinWorkingMinutes: z.number().nonnegative().optional(),
  /** How finely "early / on time / late" is judged against the dossier's own due time. */
  granularity: z.enum(GRANULARITIES).default('day'),
  decision766: z
    .object({
      /** The portal compares end and appointment times; day would compare dates only. */
      granularity: z.enum(GRANULARITIES).default('minute'),
      /** Waiting intervals subtracted from the end time; the transcribed formula names only supplements. */
      excludedPauseReasons: z.array(z.enum(PAUSE_REASONS)).default(['waiting-for-supplement']),
    })
    .prefault({}),
});
export type ClockRules = z.infer<typeof clockRulesSchema>;
export type ClockRulesInput = z.input<typeof clockRulesSchema>;
