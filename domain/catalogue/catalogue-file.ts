// A catalogue file in the repository (catalogue/*.json): agencies and procedure versions, checked as
// a whole so a route never names an agency the catalogue does not know.
import { z } from 'zod';
import { agencySchema } from './agency.js';
import { procedureVersionSchema } from './procedure.js';

export const catalogueFileSchema = z
  .object({
    sample: z.boolean().default(false),
    note: z.string().optional(),
    agencies: z.array(agencySchema),
    procedures: z.array(procedureVersionSchema),
  })
  .superRefine((catalogue, context) => {
    const known = new Set(catalogue.agencies.map((agency) => agency.code));
    catalogue.agencies.forEach((agency, index) => {
      if (agency.parentCode !== null && !known.has(agency.parentCode)) {
        context.addIssue({ code: 'custom', path: ['agencies', index, 'parentCode'], message: `no agency ${agency.parentCode} in this catalogue` });
      }
    });
    catalogue.procedures.forEach((procedure, index) => {
      if (!known.has(procedure.competentAgencyCode)) {
        context.addIssue({ code: 'custom', path: ['procedures', index, 'competentAgencyCode'], message: `no agency ${procedure.competentAgencyCode} in this catalogue` });
      }
      procedure.route.stages.forEach((stage, stageIndex) =>
        stage.steps.forEach((step, stepIndex) => {
          if (!known.has(step.agencyCode)) {
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
