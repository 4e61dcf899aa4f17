// The HTTP doors of a dossier's component files (docs/files.md): upload a component's file (streamed
// through the file intake, api/uploads.ts, under the component's rules), list the dossier's files,
// download one, approve one as the component's digitised copy. Thin: the queries are in
// db/dossier-files.ts, the rules in the dossier's decider (domain/dossier/decide-files.ts), and the
// commands go the way every command goes (api/commands/send-dossier-command.ts). File names and
// bytes are personal data: no log line here holds them.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import { dossierFiles, dossierFilesWithDigest, dossierProcedure, type RecordedFile } from '../../db/dossier-files.js';
import { findDossierSummary } from '../../db/dossier-summary.js';
import type { Database } from '../../db/schema.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { callerOf, DOSSIER_READERS } from '../auth/access.js';
import { agencyTakesPart } from '../auth/dossier-access.js';
import { type DossierCommandRequest, sendDossierCommand } from '../commands/send-dossier-command.js';
import { commandIdFor } from '../idempotency.js';
import { attachmentDisposition, FILE_EXTENSIONS } from '../file-names.js';
import { fileSchema } from '../openapi-responses.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeSchema, idempotencyKeySchema, sha256Schema } from '../request-schemas.js';
import { dossierNotFound, notYourDossier } from './dossiers.js';

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
        description: 'Only a digest that is a file of this dossier. A dossier your agency takes no part in answers 404, as an unknown digest does: a digest reveals nothing.',
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
      if (!recorded) return notFound();
      return sendFile(reply, store, recorded, `${recorded.componentId}-${sha256.slice(0, 12)}`, notFound);
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
      const recorded = (await dossierFiles(db, code)).find((file) => file.componentId === componentId && file.file.sha256 === sha256 && file.replacedBy === null);
      const names = await componentNames(code);
      const status = outcome.answer.status === 'none' ? 'received' : outcome.answer.status;
      reply.header('etag', `"${outcome.answer.streamVersion}"`);
      return {
        dossierCode: code,
        status,
        portalStatus: NATIONAL_PORTAL_STATUS[status],
        streamVersion: outcome.answer.streamVersion,
        file: describeFile(code, recorded!, names.get(componentId) ?? null),
      };
    },
  );
};

export function expectedVersion(ifMatch: string | undefined): { expectedStreamVersion?: number } {
  return ifMatch ? { expectedStreamVersion: Number(ifMatch.replace(/\D/g, '')) } : {};
}

/** Today's civil day, as the catalogue's versions are in force by. */
function today(): string {
  return isoOfCivilDay(civilDayOfInstant(Date.now()));
}

async function sendFile(reply: FastifyReply, store: DocumentStore, recorded: RecordedFile, fallbackStem: string, notFound: () => FastifyReply) {
  const stored = await store.get(recorded.file.sha256);
  if (!stored) return notFound();
  return reply
    .type(recorded.file.mediaType)
    .header('content-length', stored.size)
    .header('content-disposition', attachmentDisposition(recorded.file.name, fallbackStem, recorded.file.mediaType))
    .header('etag', `"${recorded.file.sha256}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=31536000, immutable')
    .send(stored.bytes);
}
