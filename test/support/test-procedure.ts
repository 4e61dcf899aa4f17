// A procedure of its own for a test that needs a clock the sample catalogue does not have (seconds on
// a round-the-clock calendar, or days on the civil-service calendar across a holiday): a new
// one-stop centre and specialist office, and a one-step procedure through the office.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { loadCatalogue } from '../../db/catalogue.js';
import type { Database } from '../../db/schema.js';
import { agencySchema } from '../../domain/catalogue/agency.js';
import { procedureVersionSchema } from '../../domain/catalogue/procedure.js';
import type { InteragencySystem } from '../../domain/interagency/systems.js';
import type { Budget, ClockRulesInput } from '../../domain/clock/clock-rules.js';
import { uniqueAgencyCode } from './engine.js';

/** Open every minute of every day: a dossier's legal time passes in seconds. */
export const ROUND_THE_CLOCK = { calendarId: 'round-the-clock', schedule: { weeklyRestDays: [], officeHours: [{ from: '00:00', to: '23:59' }] } } as const;
/** The civil-service calendar and the default office hours. */
export const CIVIL_SERVICE = { calendarId: 'vn-civil-service' } as const;

export interface TestProcedureOptions {
  /** The agencies' calendar (ROUND_THE_CLOCK or CIVIL_SERVICE). */
  readonly calendar: { readonly calendarId: string; readonly schedule?: unknown };
  /** The dossier's clock rules. */
  readonly clock: ClockRulesInput;
  /** The office step's budget. */
  readonly stepBudget: Budget;
  /** Distinguishes the procedure code of one test file from another's (2.<series>.<centre>). */
  readonly series: string;
  readonly name?: string;
  readonly task?: string;
  /** The procedure version's label and legal basis ('test' unless given). */
  readonly version?: string;
  readonly legalBasis?: string;
  /** The procedure's components (none unless given). */
  readonly components?: z.input<typeof procedureVersionSchema>['components'];
  /** The agencies' names, where a test tells its agencies apart from another file's. */
  readonly centreName?: string;
  readonly officeName?: string;
  /** With a name: a second one-stop centre, one that takes no part in the procedure's dossiers. */
  readonly otherCentreName?: string;
  /** The outside system that carries out the office's step (docs/integrations.md#interagency); none unless given. */
  readonly system?: InteragencySystem;
  /** The same as `system` (the name the reads tests of issue 20 use). */
  readonly stepSystem?: InteragencySystem;
  /** The procedure's fees and charges (none unless given). */
  readonly fees?: z.input<typeof procedureVersionSchema>['fees'];
  /** A first stage, a step `check` of the office done in the engine, before `review` (so `review` can be sent back and run again). */
  readonly checkFirst?: boolean;
}

export async function loadTestProcedure<Options extends TestProcedureOptions>(
  db: Kysely<Database>,
  options: Options,
): Promise<{ centre: string; office: string; otherCentre: Options extends { otherCentreName: string } ? string : undefined; procedureCode: string }> {
  const centre = uniqueAgencyCode();
  const office = uniqueAgencyCode();
  const otherCentre = options.otherCentreName === undefined ? undefined : uniqueAgencyCode();
  const procedureCode = `2.${options.series}.${centre.slice(1, 7)}`;
  const calendar = { calendarId: options.calendar.calendarId, ...(options.calendar.schedule ? { schedule: options.calendar.schedule } : {}) };
  await loadCatalogue(db, {
    sample: true,
    agencies: [
      agencySchema.parse({ code: centre, name: options.centreName ?? 'Bộ phận Một cửa thử nghiệm', kind: 'one-stop-centre', ...calendar }),
      agencySchema.parse({ code: office, name: options.officeName ?? 'Phòng chuyên môn thử nghiệm', kind: 'specialist-office', ...calendar }),
      ...(otherCentre === undefined ? [] : [agencySchema.parse({ code: otherCentre, name: options.otherCentreName, kind: 'one-stop-centre', ...calendar })]),
    ],
    procedures: [
      procedureVersionSchema.parse({
        code: procedureCode,
        version: options.version ?? 'test',
        effectiveFrom: '2020-01-01',
        legalBasis: options.legalBasis ?? 'test',
        name: options.name ?? 'Thủ tục thử nghiệm',
        field: 'Thử nghiệm',
        competentAgencyCode: office,
        clock: options.clock,
        route: { stages: [...(options.checkFirst ? [{ steps: [{ id: 'check', agencyCode: office, task: 'Kiểm tra', budget: options.stepBudget }] }] : []), { steps: [{ id: 'review', agencyCode: office, task: options.task ?? 'Xem xét', budget: options.stepBudget, ...((options.system ?? options.stepSystem) ? { system: (options.system ?? options.stepSystem)! } : {}) }] }] },
        components: options.components ?? [],
        ...(options.fees ? { fees: options.fees } : {}),
        resultType: 'written-confirmation',
        onlineLevel: 'full',
        sample: true,
      }),
    ],
  });
  return { centre, office, otherCentre: otherCentre as Options extends { otherCentreName: string } ? string : undefined, procedureCode };
}
