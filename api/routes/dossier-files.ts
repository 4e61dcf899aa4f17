// The HTTP doors of a dossier's component files (docs/files.md): upload a component's file (streamed
// through the file intake, api/uploads.ts, under the component's rules), list the dossier's files,
// download one, approve one as the component's digitised copy. Thin: the queries are in
// db/dossier-files.ts, the rules in the dossier's decider (domain/dossier/decide-files.ts), and the
// commands go the way every command goes (api/commands/send-dossier-command.ts). File names and
// bytes are personal data: no log line here holds them.
// Longer than 300 lines: the four doors of one resource, which share their schemas, the answer
// they give and the checks made before a command is sent; split, each would import the others.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type FastifyPluginAsyncZod, jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { ATTACHING_STATUSES } from '../../domain/dossier/decide-files.js';
import type { DossierStatus } from '../../domain/dossier/state.js';
import { FILE_MEDIA_TYPES } from '../../domain/files/file-model.js';
import { DEFAULT_FILE_RULES } from '../../domain/files/file-rules.js';
import { NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import { answerFileWithDigest, dossierFiles, dossierFilesWithDigest, dossierProcedure, type RecordedFile } from '../../db/dossier-files.js';
import { paymentReceiptWithDigest } from '../../db/payments/transactions.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { callerOf, DOSSIER_READERS, forbidden } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { type DossierCommandRequest, sendDossierCommand } from '../commands/send-dossier-command.js';
import { mirroredDossierProblem } from '../mirror-refusal.js';
import { claimIdempotencyAfterUpload, commandIdFor } from '../idempotency.js';
import { FILE_EXTENSIONS, fileNameOf } from '../file-names.js';
import { invalidRequest } from '../invalid-request.js';
import { fileSchema, withMultipartBody } from '../openapi-responses.js';
import { codedProblem, problemSchema, ruleRefused, sendProblem } from '../problem-details.js';
import { readUpload } from '../uploads.js';
import { dossierCodeSchema, idempotencyKeySchema, sha256Schema } from '../request-schemas.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';
import { sendStoredFile } from './stored-files.js';

export interface DossierFileRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly commandTimeoutMs: number;
  readonly store: DocumentStore;
}

/** A component id as the catalogue writes them (domain/catalogue/procedure.ts). */
export const componentIdParam = z
  .string()
  .max(200)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a component id of the procedure, a lower-case identifier such as owner-identity')
  .describe("The procedure component's id (thành phần hồ sơ), as GET /catalogue/procedures lists them");

const actorSchema = z.object({ userId: z.string(), role: z.string(), agencyCode: z.string() });

/** A file of the dossier as the API shows it. */
export const listedFileSchema = z.object({
  componentId: z.string(),
  componentName: z.string().nullable().describe("The component's name in the procedure version pinned at acceptance (before it, the version in force today); null when it names none"),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string().describe('The type its bytes showed when it came in, never the name or the type the sender declared'),
  pages: z.number().int().optional().describe('Pages of a PDF'),
  name: z.string().optional().describe("The sender's file name: personal data, shown only to who may read the dossier"),
  origin: z.object({ kind: z.string() }).catchall(z.unknown()).describe('Where it came from (docs/files.md): upload, portal, earlier-dossier, issued-result, data-store'),
  attachedAt: z.string(),
  attachedBy: actorSchema,
  approved: z.boolean().describe("Approved by the receiving official as the component's digitised copy"),
  approvedAt: z.string().nullable(),
  approvedBy: actorSchema.nullable(),
  replaces: z.string().nullable().describe('The digest of the file of this component it replaced'),
  replacedBy: z.string().nullable().describe('The digest of the file that replaced it: a replaced file no longer counts'),
  href: z.string().describe('GET the bytes here'),
});

const fileAnswer = z.object({
  dossierCode: z.string(),
  status: z.string(),
  portalStatus: z.number().int(),
  streamVersion: z.number().int().describe("The dossier's stream version after the command (also its ETag)"),
  file: listedFileSchema,
});

const commandHeaders = z.object({
  'if-match': z.string().regex(/^"\d+"$/, 'must be the strong ETag of the dossier, e.g. "7" (with the quotes)').optional().describe('Refuse (409) if the dossier moved past this stream version'),
  'idempotency-key': idempotencyKeySchema.optional().describe('Retries with the same key replay the first answer'),
});

const fileParams = z.object({ code: dossierCodeSchema, sha256: sha256Schema });
const componentParams = z.object({ code: dossierCodeSchema, componentId: componentIdParam });

/** The upload's text fields, sent before its file part. */
export const uploadFieldsSchema = z
  .object({
    sha256: sha256Schema.optional().describe('The SHA-256 (lower-case hex) of the bytes as the sender computed it: the bytes must have it (422 FILE_DIGEST_MISMATCH)'),
    replaces: sha256Schema.optional().describe('The digest of the current file of this component that this one replaces; the old one stays in the log, replaced'),
    approve: z.enum(['true', 'false']).optional().describe('true: the official approves the scan as they attach it, so the component is digitised at once (false by default)'),
  })
  .strict();
const componentFileParams = z.object({ code: dossierCodeSchema, componentId: componentIdParam, sha256: sha256Schema });

export function fileHref(dossierCode: string, sha256: string): string {
  return `/dossiers/${dossierCode}/files/${sha256}`;
}

export function describeFile(dossierCode: string, recorded: RecordedFile, componentName: string | null): z.infer<typeof listedFileSchema> {
  const { file } = recorded;
  return {
    componentId: recorded.componentId,
    componentName,
    sha256: file.sha256,
    size: file.size,
    mediaType: file.mediaType,
    ...(file.pages !== undefined ? { pages: file.pages } : {}),
    ...(file.name !== undefined ? { name: file.name } : {}),
    origin: recorded.origin,
    attachedAt: recorded.attachedAt,
    attachedBy: recorded.attachedBy,
    approved: recorded.approved,
    approvedAt: recorded.approvedAt,
    approvedBy: recorded.approvedBy,
    replaces: recorded.replaces,
    replacedBy: recorded.replacedBy,
    href: fileHref(dossierCode, file.sha256),
  };
}

export const dossierFileRoutes: FastifyPluginAsyncZod<DossierFileRoutesDeps> = async (app, { db, temporal, taskQueue, commandTimeoutMs, store }) => {
  /** The procedure's component names, for the list: pinned at acceptance, or in force today. */
  const componentNames = async (dossierCode: string): Promise<Map<string, string>> => {
    const procedure = await dossierProcedure(db, dossierCode, today());
    return new Map((procedure?.components ?? []).map((component) => [component.id, component.name]));
  };

  app.post(
    '/dossiers/:code/components/:componentId/files',
    {
      schema: {
        summary: "Upload a component's file (multipart/form-data, one `file` part): at reception or with a supplement, by the receiving centre's reception or head",
        description:
          'The file part is streamed to the document store and checked there against the component\'s rules (`files` in the catalogue; by default PDF, JPEG or PNG by their bytes, 20 MiB, 100 pages): a refusal names the rule (413 FILE_TOO_LARGE, 415 FILE_TYPE_NOT_ACCEPTED, 422 FILE_NOT_A_PDF, FILE_ENCRYPTED, FILE_TOO_MANY_PAGES, FILE_DIGEST_MISMATCH) and records nothing. Text fields come before the file part. Then AttachComponentFile is sent to the dossier as any command (If-Match, Idempotency-Key). docs/files.md.',
        tags: ['files'],
        params: componentParams,
        headers: commandHeaders,
        response: {
          201: fileAnswer,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
          413: problemSchema,
          415: problemSchema,
          422: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
      config: {
        access: { roles: COMMAND_ROLES.AttachComponentFile },
        upload: true,
        // The body is read as a stream by the handler (api/uploads.ts), not by a schema: the document learns of it here.
        swaggerTransform: (route) =>
          withMultipartBody(jsonSchemaTransform(route), { name: 'file', accept: [...FILE_MEDIA_TYPES], description: "The component's scan or e-file. Its type is judged by its bytes, never by its name; the component's rules say which types, how large and how many pages." }, uploadFieldsSchema),
      },
    },
    async (request, reply) => {
      const { code, componentId } = request.params;
      const caller = callerOf(request);
      const summary = await findDossierSummary(db, code);
      if (!summary) return dossierNotFound(reply, code);
      if (!(await agencyTakesPart(db, caller, code))) return notYourDossier(reply, code);
      if (summary.mirrored_from !== null) return sendProblem(reply, mirroredDossierProblem(code, summary.mirrored_from));
      // What the rules would refuse anyway, refused before a byte is stored.
      if (summary.agency_code !== caller.actor.agencyCode) {
        return forbidden(reply, `Files are attached by the one-stop centre that received dossier ${code} (${summary.agency_code}), not by ${caller.actor.agencyCode}.`, 'NOT_THE_RECEIVING_CENTRE');
      }
      if (!ATTACHING_STATUSES.includes(summary.status as DossierStatus)) {
        return sendProblem(reply, codedProblem('COMMAND_OUT_OF_ORDER', `Files come with dossier ${code} at reception or with a supplement the applicant was asked for (${ATTACHING_STATUSES.join(', ')}), but it is ${summary.status}; nothing was stored.`));
      }
      const procedure = await dossierProcedure(db, code, today());
      if (!procedure) {
        return sendProblem(reply, ruleRefused('PROCEDURE_NOT_IN_FORCE', `No version of procedure ${summary.procedure_code} is in force today, so its components' file rules are unknown; load one into the catalogue (npm run catalogue:load). Nothing was stored.`));
      }
      const component = procedure.components.find((candidate) => candidate.id === componentId);
      if (!component) {
        const message = `Procedure ${procedure.code} (version ${procedure.version}) has no component ${componentId}; its components are ${procedure.components.map((candidate) => candidate.id).join(', ') || 'none'}.`;
        return sendProblem(reply, ruleRefused('UNKNOWN_COMPONENT', `${message} Nothing was stored.`, { errors: [{ field: 'params.componentId', message }] }));
      }
      const upload = await readUpload(request, store, { rules: component.files ?? DEFAULT_FILE_RULES, digestField: 'sha256' });
      const fields = uploadFieldsSchema.safeParse(upload.fields);
      if (!fields.success) {
        const [issue] = fields.error.issues;
        const field = `body.${issue?.path.join('.') || (issue && 'keys' in issue ? (issue.keys as string[])[0] : '') || 'fields'}`;
        return invalidRequest(reply, `The upload's text field ${field.slice(5)} is refused: ${issue?.message ?? 'invalid'}.`, { field, message: issue?.message ?? 'invalid' });
      }
      const [received] = upload.files;
      // The Idempotency-Key is claimed now that the body is read: its fields and the file's digest and name are part of the request.
      const claimed = await claimIdempotencyAfterUpload(request, reply, { fields: upload.fields, files: upload.files.map((file) => ({ field: file.field, sha256: file.sha256, filename: file.filename })) });
      if (claimed) return reply;
      // A declared sha256 was compared while the file streamed (api/uploads.ts, digestField).
      const { replaces, approve } = fields.data;
      const name = fileNameOf(received!.filename);
      const command = {
        type: 'AttachComponentFile',
        commandId: commandIdFor(request, randomUUID),
        actor: caller.actor,
        dossierCode: code,
        componentId,
        file: { sha256: received!.sha256, size: received!.size, mediaType: received!.mediaType, ...(received!.pages !== undefined ? { pages: received!.pages } : {}), ...(name ? { name } : {}) },
        origin: { kind: 'upload' },
        approve: approve === 'true',
        ...(replaces !== undefined ? { replaces } : {}),
        ...expectedVersion(request.headers['if-match']),
      } as DossierCommandRequest;
      const outcome = await sendDossierCommand({ db, temporal, taskQueue, commandTimeoutMs, log: request.log }, command);
      if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply, code);
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      const recorded = await recordedFile(db, code, componentId, received!.sha256);
      const status = outcome.answer.status === 'none' ? 'received' : outcome.answer.status;
      return reply
        .code(201)
        .header('etag', `"${outcome.answer.streamVersion}"`)
        .header('location', fileHref(code, received!.sha256))
        .send({ dossierCode: code, status, portalStatus: NATIONAL_PORTAL_STATUS[status], streamVersion: outcome.answer.streamVersion, file: describeFile(code, recorded, component.name) });
    },
  );

  app.get(
    '/dossiers/:code/files',
    {
      schema: {
        summary: "The dossier's component files, oldest first: who attached and approved them, which replaced which",
        tags: ['files'],
        params: z.object({ code: dossierCodeSchema }),
        response: { 200: z.object({ dossierCode: z.string(), items: z.array(listedFileSchema) }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { code } = request.params;
      if (!(await findDossierSummary(db, code))) return dossierNotFound(reply, code);
      if (!(await agencyTakesPart(db, callerOf(request), code))) return notYourDossier(reply, code);
      const [files, names] = await Promise.all([dossierFiles(db, code), componentNames(code)]);
      return { dossierCode: code, items: files.map((file) => describeFile(code, file, names.get(file.componentId) ?? null)) };
    },
  );

  app.get(
    '/dossiers/:code/files/:sha256',
    {
      schema: {
        summary: "A file of the dossier, its bytes as they came in (content-disposition: attachment), for the staff of an agency taking part and auditors",
        description: "Only a digest that is a file of this dossier: a component's, or one an outside system returned with its answer (a step's result file, a tax notice or receipt; the slip's resultFile). A dossier your agency takes no part in answers 404, as an unknown digest does: a digest reveals nothing.",
        tags: ['files'],
        params: fileParams,
        response: {
          200: {
            description: 'The bytes, checked against their digest as they are sent',
            content: Object.fromEntries(Object.keys(FILE_EXTENSIONS).map((mediaType) => [mediaType, { schema: fileSchema(mediaType) }])),
          },
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
      config: { access: { roles: DOSSIER_READERS } },
    },
    async (request, reply) => {
      const { code, sha256 } = request.params;
      const notFound = () =>
        sendProblem(reply, { type: 'urn:motcua:problem:file-not-found', title: 'File not found', status: 404, detail: `Dossier ${code} has no file ${sha256} that your agency may read. List its files (GET /dossiers/${code}/files).` });
      // Unknown dossier, not yours, or not its file: the same answer, so a digest reveals nothing.
      if (!(await agencyTakesPart(db, callerOf(request), code))) return notFound();
      const [recorded] = await dossierFilesWithDigest(db, code, sha256);
      if (recorded) return sendStoredFile(reply, store, recorded.file, `${recorded.componentId}-${sha256.slice(0, 12)}`, notFound);
      // A file an outside system returned with its answer (a step's result, a tax notice or receipt):
      // the slip's rows name it, and the staff open it here like the dossier's other files.
      const answered = await answerFileWithDigest(db, code, sha256);
      if (answered) return sendStoredFile(reply, store, answered, `answer-${sha256.slice(0, 12)}`, notFound);
      // An online payment's e-receipt fetched after the payment was recorded (docs/integrations.md#online-payment).
      const receipt = await paymentReceiptWithDigest(db, code, sha256);
      if (receipt) return sendStoredFile(reply, store, receipt, `bien-lai-${sha256.slice(0, 12)}`, notFound);
      return notFound();
    },
  );

  app.post(
    '/dossiers/:code/components/:componentId/files/:sha256/approve',
    {
      schema: {
        summary: "Approve a component's file as its digitised copy (số hóa): the receiving centre's reception or head",
        tags: ['files'],
        params: componentFileParams,
        headers: commandHeaders,
        body: z.object({}).strict().describe('Nothing to send: {} or no body at all').meta({ examples: [{}] }),
        response: { 200: fileAnswer, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
      },
      config: { access: { roles: COMMAND_ROLES.ApproveComponentFile } },
      // No body at all is the same as {}.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const { code, componentId, sha256 } = request.params;
      const caller = callerOf(request);
      if (!(await findDossierSummary(db, code))) return dossierNotFound(reply, code);
      if (!(await agencyTakesPart(db, caller, code))) return notYourDossier(reply, code);
      const command = {
        type: 'ApproveComponentFile',
        commandId: commandIdFor(request, randomUUID),
        actor: caller.actor,
        dossierCode: code,
        componentId,
        sha256,
        ...expectedVersion(request.headers['if-match']),
      } as DossierCommandRequest;
      const outcome = await sendDossierCommand({ db, temporal, taskQueue, commandTimeoutMs, log: request.log }, command);
      if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply, code);
      if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
      const recorded = await recordedFile(db, code, componentId, sha256);
      const names = await componentNames(code);
      const status = outcome.answer.status === 'none' ? 'received' : outcome.answer.status;
      reply.header('etag', `"${outcome.answer.streamVersion}"`);
      return {
        dossierCode: code,
        status,
        portalStatus: NATIONAL_PORTAL_STATUS[status],
        streamVersion: outcome.answer.streamVersion,
        file: describeFile(code, recorded, names.get(componentId) ?? null),
      };
    },
  );
};

/** The file a command just recorded: the newest of this digest for the component (a replayed answer's file may since have been replaced). */
async function recordedFile(db: Kysely<Database>, dossierCode: string, componentId: string, sha256: string): Promise<RecordedFile> {
  const recorded = (await dossierFilesWithDigest(db, dossierCode, sha256)).find((file) => file.componentId === componentId);
  if (!recorded) throw new Error(`dossier ${dossierCode} answered a file command, but its log has no file ${sha256} for ${componentId}`);
  return recorded;
}

export function expectedVersion(ifMatch: string | undefined): { expectedStreamVersion?: number } {
  return ifMatch ? { expectedStreamVersion: Number(ifMatch.replace(/\D/g, '')) } : {};
}

/** Today's civil day, as the catalogue's versions are in force by. */
function today(): string {
  return isoOfCivilDay(civilDayOfInstant(Date.now()));
}
