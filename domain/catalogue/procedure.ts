// Administrative procedures (thủ tục hành chính), versioned: a procedure's time limit, route and
// required papers change with its legal basis, and a dossier keeps the version in force when it was
// accepted. The shape follows what a published procedure decision (Quyết định công bố TTHC) states.
import { z } from 'zod';
import { freeText, lineText } from '../text.js';
import { isoDateSchema } from '../calendar/date-schemas.js';
import { budgetSchema, clockRulesSchema } from '../clock/clock-schemas.js';
import { agencyCodeSchema } from '../dossier/actor.js';
import { fileRulesSchema } from '../files/file-rules.js';
import { INTERAGENCY_SYSTEMS } from '../interagency/systems.js';

// National procedure code from the National TTHC Database, e.g. 1.001193, optionally with a
// provincial suffix such as 1.000948.H38, as provincial portals write them.
export const PROCEDURE_CODE_PATTERN = /^[12]\.\d{6}(\.[0-9A-Z]{1,8})*$/;

const isoDate = isoDateSchema;

const identifier = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case identifier such as land-registration');

/** A paper the applicant submits (thành phần hồ sơ). */
export const componentSchema = z.object({
  id: identifier,
  name: freeText({ max: 2000 }),
  form: z.enum(['original', 'certified-copy', 'photocopy']), // bản chính, bản sao chứng thực, bản chụp
  count: z.number().int().min(1).default(1),
  required: z.boolean().default(true),
  /** May be taken from digitised data (population database, the citizen's data store) instead. */
  reusableFromData: z.boolean().default(false),
  /**
   * What this component's files must be (types by their bytes, size, pages); DEFAULT_FILE_RULES when
   * absent, as in every version loaded, and every procedure pinned, before the rules existed.
   */
  files: fileRulesSchema.optional(),
  /**
   * The kinds of paper (MaKetQua of the national catalogue) in the applicant's e-data store on the
   * national portal that may stand for this component (docs/files.md#reuse); none: the store is not asked.
   */
  dataStoreCodes: z.array(lineText(100).min(1)).max(20).optional(),
});
export type Component = z.infer<typeof componentSchema>;

/** One agency's task on the route, with its own time budget (liên thông: each body's deadline). */
export const routeStepSchema = z.object({
  id: identifier,
  agencyCode: agencyCodeSchema,
  task: freeText({ max: 4000, multiline: true }).describe('The task as the transfer slip states it, in Vietnamese'),
  budget: budgetSchema,
  /**
   * The outside system that carries the step out (the land information system, the tax authority's,
   * the civil-status system): the engine hands the step over and its answers act for the body's
   * officers (docs/integrations.md#interagency). Absent: the body's officers work in the engine.
   */
  system: z.enum(INTERAGENCY_SYSTEMS).optional(),
});
export type RouteStep = z.infer<typeof routeStepSchema>;

/**
 * A role (vai trò) a body plays for a locality, as the agency directory assigns it, e.g.
 * commune-civil-status, land-registration-branch, area-tax-office (docs/catalogue.md#roles).
 */
export const agencyRoleSchema = z.string().regex(/^[a-z][a-z0-9-]{1,99}$/, 'must be a lower-case role name such as land-registration-branch');

/**
 * A step as the catalogue publishes it: a fixed agency, or the role whose holder for the dossier's
 * locality does the task (resolved at acceptance, domain/catalogue/resolve-roles.ts).
 */
export const catalogueRouteStepSchema = routeStepSchema
  .extend({ agencyCode: agencyCodeSchema.optional(), role: agencyRoleSchema.optional() })
  .refine((step) => (step.agencyCode === undefined) !== (step.role === undefined), 'a step names either an agencyCode or a role, not both');
export type CatalogueRouteStep = z.infer<typeof catalogueRouteStepSchema>;

/** Stages run in order; the steps of one stage run in parallel (the electronic same-level route). */
function routeOf<S extends z.ZodType<{ id: string }>>(step: S) {
  return z.object({ stages: z.array(z.object({ steps: z.array(step).min(1) })).min(1) }).superRefine((route, context) => {
    const ids = route.stages.flatMap((stage) => stage.steps.map((candidate) => candidate.id));
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) context.addIssue({ code: 'custom', message: `step id ${id} appears twice in the route` });
    });
  });
}
export const routeSchema = routeOf(routeStepSchema);
export type Route = z.infer<typeof routeSchema>;
export const catalogueRouteSchema = routeOf(catalogueRouteStepSchema);

export const procedureVersionSchema = z.object({
  code: z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193'),
  version: lineText(100).min(1),
  effectiveFrom: isoDate,
  effectiveUntil: isoDate.nullable().default(null),
  legalBasis: freeText({ max: 20_000, multiline: true }),
  name: freeText({ max: 2000 }),
  field: freeText({ max: 500 }).describe('Lĩnh vực, e.g. Hộ tịch'),
  competentAgencyCode: agencyCodeSchema,
  /** Budget, due rule, cut-off and supplement semantics (restart or resume) of the whole dossier. */
  clock: clockRulesSchema,
  route: routeSchema,
  components: z.array(componentSchema),
  /**
   * Phí and lệ phí, in VND. `kind`: `fee` (phí) or `charge` (lệ phí); the national portal lists
   * them apart (LoaiPhiLePhi) and the payment platform's receipt separates them (docs/catalogue.md#fees).
   */
  fees: z.array(z.object({ name: freeText({ max: 1000 }), amountVnd: z.number().int().nonnegative(), kind: z.enum(['fee', 'charge']).optional() })).default([]),
  resultType: z.enum(['certificate', 'decision', 'certified-copy', 'registration', 'written-confirmation']),
  onlineLevel: z.enum(['full', 'partial']),
  /** True for the sample catalogue shipped in the repository: check it before serving citizens. */
  sample: z.boolean().default(false),
});
export type ProcedureVersion = z.infer<typeof procedureVersionSchema>;
export type ProcedureVersionInput = z.input<typeof procedureVersionSchema>;

/**
 * A procedure version as a catalogue publishes it: the competent body and each step name a fixed
 * agency or a role. A province publishes one version for all its communes; acceptance resolves the
 * roles for the dossier's locality into a ProcedureVersion with concrete agency codes.
 */
export const catalogueProcedureSchema = procedureVersionSchema
  .extend({
    competentAgencyCode: agencyCodeSchema.optional(),
    /** The role whose holder for the dossier's locality resolves it, e.g. commune-civil-status. */
    competentRole: agencyRoleSchema.optional(),
    route: catalogueRouteSchema,
  })
  .refine((procedure) => (procedure.competentAgencyCode === undefined) !== (procedure.competentRole === undefined), {
    message: 'a procedure names either a competentAgencyCode or a competentRole, not both',
    path: ['competentAgencyCode'],
  });
export type CatalogueProcedure = z.infer<typeof catalogueProcedureSchema>;

/** The version of a procedure in force on a day (`YYYY-MM-DD`), if any. */
export function versionInForce<P extends Pick<ProcedureVersion, 'effectiveFrom' | 'effectiveUntil'>>(versions: readonly P[], day: string): P | undefined {
  return versions
    .filter((version) => version.effectiveFrom <= day && (version.effectiveUntil === null || day <= version.effectiveUntil))
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
}
