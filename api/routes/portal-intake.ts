// The portals' intake (docs/portal-intake.md): thin routes over api/intake/intake.ts. One route per
// body format, so the OpenAPI document shows each body exactly:
//   POST /intake/dossiers        the engine's native body, JSON with base64 files, or multipart
//   POST /intake/dvcqg/dossiers  the TH-style DongBoTaoMoiHoSo body (api/intake/dvcqg-th-format.ts)
// Only a portal's token opens them, and no other route admits a portal (api/auth/access.ts).
// Bodies are validated here rather than by Fastify's schema so every refusal names the field by its
// path in the portal's body (ThanhPhanHoSo[1].TepDinhKem[0].Base64), not the engine's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf, PORTAL_ACCESS } from '../auth/access.js';
import { type IntakeDeps, type IntakeOutcome, receiveOnlineSubmission, type ResolvedFile } from '../intake/intake.js';
import { multipartIntake, SUBMISSION_FIELD, uploadProblemOf } from '../intake/multipart-intake.js';
import { stageBase64File, type StagedIntakeFile } from '../intake/intake-files.js';
import { NATIVE_EXAMPLE, nativeFormat, nativeMultipartSubmissionSchema, nativeSubmissionSchema } from '../intake/native-format.js';
import { DVCQG_TH_EXAMPLE, dvcqgThFormat, dvcqgThSubmissionSchema } from '../intake/dvcqg-th-format.js';
import { type PortalFormat, portalPath } from '../intake/portal-format.js';
import { problemSchema, sendProblem } from '../problem-details.js';

/**
 * The largest JSON intake body: base64 makes files a third larger, so about 12 MiB of files. A
 * submission with more goes as multipart, streamed.
 */
export const INTAKE_JSON_BODY_LIMIT = 16 * 1024 * 1024;

export type PortalIntakeDeps = Omit<IntakeDeps, 'log'>;

const receiptSchema = z.object({
  dossierCode: z.string().describe('The dossier code (mã hồ sơ) the centre allocated'),
  receivedAt: z.string().describe('When the engine received it'),
  status: z.literal('received'),
  files: z.array(z.object({ componentId: z.string(), sha256: z.string(), size: z.number().int(), mediaType: z.string() })).describe('The files received, by component, as their bytes showed them'),
  lookupSecret: z.string().describe('The secret the citizen follows the dossier with (GET /lookup/{code}?secret=...), for the portal to relay'),
});

const responses = { 201: receiptSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema };
const replayHeader = { 'idempotent-replayed': { schema: { type: 'string', enum: ['true'] }, description: 'Present on a resend of a submission already received: the answer is the first one' } };

/** The route's document with its body (validated in the handler, not by Fastify) and the replay header. */
function withIntakeBody<T extends { schema?: unknown }>(transformed: T, bodies: Record<string, unknown>): T {
  const schema = transformed.schema as { response?: Record<string, Record<string, unknown>> };
  const response = { ...schema.response };
  if (response['201']) response['201'] = { ...response['201'], headers: replayHeader };
  return { ...transformed, schema: { ...schema, body: { content: bodies }, response } };
}

/** A JSON body as its zod schema says, with an example to start from. */
const jsonBody = (schema: z.ZodType, example: unknown) => ({ 'application/json': { schema: { ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }), examples: [example] } } });

/** The multipart form of the native body: the submission as JSON, then a part per file. */
const multipartBody = {
  'multipart/form-data': {
    schema: {
      type: 'object',
      description: 'The text field submission first, then one part per file the submission lists, named file:<componentId>, in the order listed (docs/portal-intake.md#multipart)',
      properties: {
        [SUBMISSION_FIELD]: {
          type: 'string',
          contentMediaType: 'application/json',
          contentSchema: z.toJSONSchema(nativeMultipartSubmissionSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
          description: 'The native body, each file listed as {name, sha256?} without contentBase64',
        },
      },
      patternProperties: { '^file:': { type: 'string', contentMediaType: 'application/octet-stream', description: "A file's bytes (PDF, JPEG or PNG by default), for the component named after file:" } },
      required: [SUBMISSION_FIELD],
    },
  },
};

export const portalIntakeRoutes: FastifyPluginAsyncZod<PortalIntakeDeps> = async (app, deps) => {
  app.post(
    '/intake/dossiers',
    {
      bodyLimit: INTAKE_JSON_BODY_LIMIT,
      schema: {
        summary: "Receive a dossier submitted online on a portal (tiếp nhận hồ sơ trực tuyến): the engine's native body",
        description:
          'For a portal token only. JSON with the files base64 in it. The portal dossier id makes it idempotent: a resend of the same submission answers the first answer (header idempotent-replayed), another submission under the same id is refused (409 PORTAL_SUBMISSION_CONFLICT). Every refusal names the field by its path in this body. docs/portal-intake.md.',
        tags: ['portal intake'],
        response: responses,
      },
      // upload: it also takes multipart (api/uploads.ts); the DongBoTaoMoiHoSo route is JSON only (415).
      config: { access: PORTAL_ACCESS, upload: true, swaggerTransform: (route) => withIntakeBody(jsonSchemaTransform(route), { ...jsonBody(nativeSubmissionSchema, NATIVE_EXAMPLE), ...multipartBody }) },
    },
    async (request, reply) => intake(deps, request, reply, nativeFormat({ multipart: false })),
  );

  app.post(
    '/intake/dvcqg/dossiers',
    {
      bodyLimit: INTAKE_JSON_BODY_LIMIT,
      schema: {
        summary: 'Receive a dossier submitted online on a portal: the DongBoTaoMoiHoSo body (TH-style, docs/portal-intake.md#the-dvcqg-th-body)',
        description:
          "For a portal token only. The portal's own MaHoSo makes it idempotent. Components are named (TenThanhPhan) and matched to the procedure's component names, exactly, then ignoring case and diacritics; Key is ignored (the bearer token authenticates). docs/portal-intake.md.",
        tags: ['portal intake'],
        response: responses,
      },
      config: { access: PORTAL_ACCESS, swaggerTransform: (route) => withIntakeBody(jsonSchemaTransform(route), jsonBody(dvcqgThSubmissionSchema, DVCQG_TH_EXAMPLE)) },
    },
    async (request, reply) => intake(deps, request, reply, dvcqgThFormat),
  );
};

async function intake<Body>(deps: PortalIntakeDeps, request: FastifyRequest, reply: FastifyReply, format: PortalFormat<Body>) {
  // Only POST /intake/dossiers is configured to take multipart (api/uploads.ts answers 415 on the others).
  if (request.isMultipart()) return multipartIntakeRoute(deps, request, reply);
  const parsed = format.bodySchema.safeParse(request.body ?? undefined);
  if (!parsed.success) return invalidBody(reply, parsed.error.issues);
  const outcome = await receiveOnlineSubmission(
    { ...deps, log: request.log },
    { caller: callerOf(request), format: format.name, submission: format.adapt(parsed.data), stageFiles: (files) => stageBase64Files(deps, files) },
  );
  return answer(reply, outcome);
}

/** POST /intake/dossiers as multipart: the submission field, then the files streamed part by part. */
async function multipartIntakeRoute(deps: PortalIntakeDeps, request: FastifyRequest, reply: FastifyReply) {
  const reader = multipartIntake(request);
  const refuse = async (send: () => FastifyReply) => {
    await reader.drain();
    return send();
  };
  try {
    const submission = await reader.submission();
    if (!submission.ok) return await refuse(() => sendProblem(reply, submission.problem));
    const format = nativeFormat({ multipart: true });
    const parsed = format.bodySchema.safeParse(submission.value);
    if (!parsed.success) return await refuse(() => invalidBody(reply, parsed.error.issues, SUBMISSION_FIELD));
    const outcome = await receiveOnlineSubmission(
      { ...deps, log: request.log },
      { caller: callerOf(request), format: format.name, submission: format.adapt(parsed.data), stageFiles: reader.stager(deps.store) },
    );
    if (outcome.kind === 'refused') return await refuse(() => answer(reply, outcome));
    return answer(reply, outcome);
  } catch (error) {
    // A body cut short or over the multipart limits: the catalogue's UPLOAD_* problem, nothing stored.
    const problem = uploadProblemOf(error);
    if (problem) return sendProblem(reply, problem);
    throw error;
  }
}

function answer(reply: FastifyReply, outcome: IntakeOutcome) {
  if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(201).send(outcome.receipt);
}

/** Each file, in turn; the first refused discards those staged before it. */
async function stageBase64Files(deps: PortalIntakeDeps, files: readonly ResolvedFile[]): Promise<StagedIntakeFile[]> {
  const staged: StagedIntakeFile[] = [];
  try {
    for (const { file, rules } of files) {
      if (file.content.kind !== 'base64') throw new Error('a JSON intake has base64 files only');
      staged.push(await stageBase64File(deps.store, file.content.text, rules, { field: file.field, ...(file.sha256 ? { sha256: file.sha256 } : {}) }));
    }
    return staged;
  } catch (error) {
    await Promise.all(staged.map((file) => file.discard()));
    throw error;
  }
}

/** A 400 naming each field at fault by its path in the portal's body. */
function invalidBody(reply: FastifyReply, issues: readonly z.core.$ZodIssue[], prefix = '') {
  const errors = issues.slice(0, 50).map((issue) => ({ field: portalPath(issue.path, prefix), message: issue.message }));
  return sendProblem(reply, {
    type: 'urn:motcua:problem:validation-failed',
    title: 'The request is invalid',
    status: 400,
    detail: `Fix these fields and send again: ${errors.map((error) => `${error.field} ${error.message}`).join('; ')}.`,
    errors,
  });
}
