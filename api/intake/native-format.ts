// The engine's own intake body (POST /intake/dossiers): the reception request's fields, the
// portal's dossier id and submission time, and the components with their files, base64 in JSON or
// named parts of a multipart request (docs/portal-intake.md#the-native-body).
import { z } from 'zod';
import { administrativeUnitCodeSchema } from '../../domain/catalogue/directory.js';
import { PROCEDURE_CODE_PATTERN } from '../../domain/catalogue/procedure.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { applicantSchema, CHANNELS } from '../../domain/dossier/commands.js';
import { componentIdSchema, MAX_FILES_AT_RECEPTION } from '../../domain/dossier/file-commands.js';
import { sha256HexSchema } from '../../domain/files/file-model.js';
import { lineText } from '../../domain/text.js';
import type { IntakeFile, PortalFormat } from './portal-format.js';

/** A file part of a multipart intake is named `file:<componentId>`. */
export const FILE_PART_PREFIX = 'file:';

const fileName = lineText(255).min(1).describe("The file's name on the portal");
const fileSha256 = sha256HexSchema.optional().describe('The SHA-256 of the bytes, checked against them when given');
/** In a JSON body, a file's bytes are base64 in it. */
const base64File = z.object({
  name: fileName,
  contentBase64: z.string().min(1).describe('The bytes, standard base64 (RFC 4648 §4), padded, without line breaks'),
  sha256: fileSha256,
});
/** In a multipart request, a file's bytes come in the parts `file:<componentId>`, in the order of the files listed. */
const partFile = z.object({ name: fileName, sha256: fileSha256 });

function submissionSchema<F extends z.ZodType>(file: F) {
  return z.object({
    portalDossierId: lineText(100).min(1).describe("The portal's own dossier id (its MaHoSo): the same id is the same submission"),
    submittedAt: z.iso.datetime({ offset: true }).describe('When the applicant submitted it on the portal'),
    agencyCode: agencyCodeSchema.describe('The receiving one-stop centre (DonVi)'),
    procedureCode: z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193').describe('National procedure code (MaTTHC)'),
    channel: z.enum(CHANNELS).default('online').describe('Always online: a portal submits online dossiers only'),
    applicant: applicantSchema,
    locality: administrativeUnitCodeSchema.optional().describe("Administrative unit code of the locality whose bodies resolve the dossier; defaults to the receiving centre's own"),
    assuranceLevel: z.number().int().min(1).max(4).optional().describe("The VNeID assurance level of the applicant's portal account"),
    components: z
      .array(
        z.object({
          componentId: componentIdSchema,
          form: z.enum(['original', 'certified-copy', 'photocopy']).optional().describe('The form the applicant declares; reception confirms it at acceptance (not recorded at intake)'),
          files: z.array(file).min(1).max(20),
        }),
      )
      .max(MAX_FILES_AT_RECEPTION)
      // A reception takes at most this many files in all (the ReceiveDossier command's limit), not per component.
      .refine((components) => components.reduce((sum, component) => sum + component.files.length, 0) <= MAX_FILES_AT_RECEPTION, `must list at most ${MAX_FILES_AT_RECEPTION} files in all; send further papers as a supplement`)
      .describe(`The procedure's components the portal sends files for: at most ${MAX_FILES_AT_RECEPTION} files in all`),
  });
}

/** The JSON body of POST /intake/dossiers. */
export const nativeSubmissionSchema = submissionSchema(base64File);

/** A body to start from (the OpenAPI document's example). */
export const NATIVE_EXAMPLE = {
      portalDossierId: 'G22.99-261203-0001',
      submittedAt: '2026-12-03T08:15:00+07:00',
      agencyCode: '000.00.31.H38',
      procedureCode: '1.001193',
      applicant: { kind: 'citizen', fullName: 'Nguyễn Thị Hoa', identityNumber: '001190012345', phone: '0912345678' },
      assuranceLevel: 2,
      components: [{ componentId: 'declaration', files: [{ name: 'to-khai.pdf', contentBase64: 'JVBERi0xLjQK...' }] }],
    };

/** The `submission` field of a multipart POST /intake/dossiers: the same, with the bytes in parts. */
export const nativeMultipartSubmissionSchema = submissionSchema(partFile);

export type NativeSubmission = z.infer<typeof nativeSubmissionSchema> | z.infer<typeof nativeMultipartSubmissionSchema>;

/** The native format of a JSON body (files base64 in it), or of a multipart request's `submission` field. */
export function nativeFormat(options: { readonly multipart: boolean }): PortalFormat<NativeSubmission> {
  const at = (path: string) => (options.multipart ? `submission.${path}` : path);
  return {
    name: 'native',
    bodySchema: options.multipart ? nativeMultipartSubmissionSchema : nativeSubmissionSchema,
    adapt(body) {
      return {
        portalDossierId: body.portalDossierId,
        submittedAt: body.submittedAt,
        agencyCode: body.agencyCode,
        procedureCode: body.procedureCode,
        channel: body.channel,
        applicant: body.applicant,
        ...(body.locality !== undefined ? { locality: body.locality } : {}),
        ...(body.assuranceLevel !== undefined ? { assuranceLevel: body.assuranceLevel } : {}),
        components: body.components.map((component, c) => ({
          ref: { kind: 'id', componentId: component.componentId },
          field: at(`components[${c}].componentId`),
          files: component.files.map((file, f): IntakeFile => {
            const base64 = 'contentBase64' in file ? (file.contentBase64 as string) : undefined;
            const content: IntakeFile['content'] = base64 === undefined ? { kind: 'part', part: `${FILE_PART_PREFIX}${component.componentId}` } : { kind: 'base64', text: base64 };
            return { name: file.name, content, ...(file.sha256 ? { sha256: file.sha256 } : {}), field: base64 === undefined ? `${FILE_PART_PREFIX}${component.componentId}[${f}]` : at(`components[${c}].files[${f}].contentBase64`) };
          }),
        })),
        fields: {
          portalDossierId: at('portalDossierId'),
          agencyCode: at('agencyCode'),
          procedureCode: at('procedureCode'),
          channel: at('channel'),
          locality: at('locality'),
          applicant: at('applicant'),
        },
      };
    },
  };
}
