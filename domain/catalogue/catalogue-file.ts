// A catalogue file in the repository (catalogue/*.json): agencies, the province's agency directory
// and procedure versions, checked as a whole so a route never names an agency or a role the
// catalogue does not know (docs/catalogue.md).
import { z } from 'zod';
import { freeText, lineText, storableText } from '../text.js';
import { agencySchema } from './agency.js';
import { agencyDirectorySchema } from './directory.js';
import { catalogueProcedureSchema } from './procedure.js';
import { rolesOf } from './resolve-roles.js';
import { INDICATOR_IDS } from '../reporting/indicators.js';

/**
 * A unit's local target for one indicator in one year (Decision 766/QĐ-TTg indicators; the local plans differ, so
 * targets are data). Rates in percent; the average processing time in days, met at or below.
 */
export const reportTargetSchema = z.object({
  agencyCode: lineText(100).min(1),
  year: z.number().int().min(2000).max(2100),
  indicator: z.enum(INDICATOR_IDS),
  target: z.number().nonnegative(),
  source: freeText({ max: 1000 }).describe('The plan or decision that sets it, e.g. Kế hoạch 12/KH-UBND'),
});
export type ReportTarget = z.infer<typeof reportTargetSchema>;

export const catalogueFileSchema = z
  .object({
    sample: z.boolean().default(false),
    note: storableText(20_000, { multiline: true }).optional(),
    agencies: z.array(agencySchema),
    /** Who serves which locality in which role, and since when; procedures that name roles need it. */
    directory: agencyDirectorySchema.optional(),
    procedures: z.array(catalogueProcedureSchema),
    targets: z.array(reportTargetSchema).default([]),
  })
  .superRefine((catalogue, context) => {
    const known = new Set(catalogue.agencies.map((agency) => agency.code));
    catalogue.agencies.forEach((agency, index) => {
      if (agency.parentCode !== null && !known.has(agency.parentCode)) {
        context.addIssue({ code: 'custom', path: ['agencies', index, 'parentCode'], message: `no agency ${agency.parentCode} in this catalogue` });
      }
    });
    catalogue.targets.forEach((target, index) => {
      if (!known.has(target.agencyCode)) context.addIssue({ code: 'custom', path: ['targets', index, 'agencyCode'], message: `no agency ${target.agencyCode} in this catalogue` });
      if (target.indicator !== 'average-processing-days' && target.target > 100) {
        context.addIssue({ code: 'custom', path: ['targets', index, 'target'], message: 'a rate target is a percentage, at most 100' });
      }
    });
    catalogue.directory?.entries.forEach((entry, index) => {
      if (!known.has(entry.agencyCode)) context.addIssue({ code: 'custom', path: ['directory', 'entries', index, 'agencyCode'], message: `no agency ${entry.agencyCode} in this catalogue` });
      if (entry.successorCode !== null && !known.has(entry.successorCode)) {
        context.addIssue({ code: 'custom', path: ['directory', 'entries', index, 'successorCode'], message: `no agency ${entry.successorCode} in this catalogue` });
      }
    });
    // A role the directory of this file does not assign is refused here; without a directory in the
    // file, the loader checks the roles against the directory already loaded (db/catalogue.ts).
    const assigned = new Set(catalogue.directory?.entries.flatMap((entry) => entry.roles));
    catalogue.procedures.forEach((procedure, index) => {
      if (procedure.competentAgencyCode !== undefined && !known.has(procedure.competentAgencyCode)) {
        context.addIssue({ code: 'custom', path: ['procedures', index, 'competentAgencyCode'], message: `no agency ${procedure.competentAgencyCode} in this catalogue` });
      }
      if (catalogue.directory) {
        for (const role of rolesOf(procedure).filter((candidate) => !assigned.has(candidate))) {
          context.addIssue({ code: 'custom', path: ['procedures', index], message: `role ${role} is played by no agency of the directory` });
        }
      }
      procedure.route.stages.forEach((stage, stageIndex) =>
        stage.steps.forEach((step, stepIndex) => {
          if (step.agencyCode !== undefined && !known.has(step.agencyCode)) {
            context.addIssue({
              code: 'custom',
              path: ['procedures', index, 'route', 'stages', stageIndex, 'steps', stepIndex, 'agencyCode'],
              message: `no agency ${step.agencyCode} in this catalogue`,
            });
          }
        }),
      );
    });
  });
export type CatalogueFile = z.infer<typeof catalogueFileSchema>;
