// A procedure as the public catalogue shows it (docs/citizens.md#a-units-procedures-and-results):
// what a citizen needs before coming (the papers to bring, the fees, the time limit, the legal basis,
// whether and how far it is offered online, who resolves it), and nothing of the engine's own
// (routes, budgets per step, file rules). Which procedures are a unit's: those the unit, or a unit
// below it, is competent for on the day: named by code, or holding the competent role in the
// province's agency directory (as Decision 766 item 3.2 counts a unit's services).
import type { Budget } from '../clock/clock-schemas.js';
import type { AgencyDirectory } from './directory.js';
import type { CatalogueProcedure } from './procedure.js';

export const COMPONENT_FORM_LABELS = { original: 'Bản chính', 'certified-copy': 'Bản sao chứng thực', photocopy: 'Bản chụp' } as const;
export const ONLINE_LEVEL_LABELS = { full: 'Dịch vụ công trực tuyến toàn trình', partial: 'Dịch vụ công trực tuyến một phần' } as const;

/** The time limit as a citizen reads it, e.g. "3 ngày làm việc". */
export function timeLimitLabel(budget: Budget): string {
  switch (budget.unit) {
    case 'working-days':
      return `${budget.amount} ngày làm việc`;
    case 'working-hours':
      return `${budget.amount} giờ làm việc`;
    case 'calendar-days':
      return `${budget.amount} ngày`;
    case 'same-day':
      return 'Trong ngày';
  }
}

/** The agencies competent for `procedure` on `day` (YYYY-MM-DD): the one it names, or the holders of its role. */
export function competentAgenciesOn(procedure: CatalogueProcedure, directory: AgencyDirectory | null, day: string): string[] {
  if (procedure.competentAgencyCode !== undefined) return [procedure.competentAgencyCode];
  const role = procedure.competentRole!;
  const holders = (directory?.entries ?? []).filter((entry) => entry.roles.includes(role) && entry.validFrom <= day && (entry.validUntil === null || day <= entry.validUntil));
  return [...new Set(holders.map((entry) => entry.agencyCode))];
}

export interface PublicProcedure {
  readonly code: string;
  readonly name: string;
  readonly field: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly legalBasis: string;
  readonly competentAgencies: { readonly agencyCode: string; readonly name: string | null }[];
  readonly timeLimit: { readonly unit: Budget['unit']; readonly amount: number | null; readonly label: string };
  readonly online: { readonly level: 'full' | 'partial'; readonly label: string };
  /** How a dossier of it may be submitted: at the counter, by public postal service, or online. */
  readonly channels: ('counter' | 'post' | 'online')[];
  readonly components: { readonly id: string; readonly name: string; readonly form: string; readonly formLabel: string; readonly count: number; readonly required: boolean }[];
  readonly fees: { readonly name: string; readonly amountVnd: number }[];
  readonly resultType: string;
}

export function publicProcedureOf(procedure: CatalogueProcedure, competent: readonly string[], agencyNames: ReadonlyMap<string, string>): PublicProcedure {
  const budget = procedure.clock.budget;
  return {
    code: procedure.code,
    name: procedure.name,
    field: procedure.field,
    version: procedure.version,
    effectiveFrom: procedure.effectiveFrom,
    legalBasis: procedure.legalBasis,
    competentAgencies: competent.map((agencyCode) => ({ agencyCode, name: agencyNames.get(agencyCode) ?? null })),
    timeLimit: { unit: budget.unit, amount: budget.unit === 'same-day' ? null : budget.amount, label: timeLimitLabel(budget) },
    online: { level: procedure.onlineLevel, label: ONLINE_LEVEL_LABELS[procedure.onlineLevel] },
    // The engine receives any procedure at the counter, by post and online (fully or partly online
    // alike take the submission online; a partial one needs the applicant in person for a step).
    channels: ['counter', 'post', 'online'],
    components: procedure.components.map((component) => ({
      id: component.id,
      name: component.name,
      form: component.form,
      formLabel: COMPONENT_FORM_LABELS[component.form],
      count: component.count,
      required: component.required,
    })),
    fees: procedure.fees.map((fee) => ({ name: fee.name, amountVnd: fee.amountVnd })),
    resultType: procedure.resultType,
  };
}
