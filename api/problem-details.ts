import { isGrpcServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DomainError } from '../domain/dossier/errors.js';
import { wellFormed } from '../domain/text.js';
import { type ErrorCode, type ErrorCodeWithStatus, errorEntryOf } from './error-catalogue.js';
import { CommandNotAnswered } from './workflow-answer-wait.js';
import { FileRefused } from '../documents/files/file-refused.js';

// Every error leaves the API as RFC 9457 problem details (application/problem+json): what went
// wrong, the rule or field at fault and what to do. Never a stack trace, never a 500 for bad input.

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.string().optional().describe('Stable code of the rule that refused the request'),
  rule: z.string().optional().describe('Where the rule comes from'),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
/** A problem as a route answers it; its code, when it has one, is one of the catalogue's. */
export type ProblemAnswer = Omit<Problem, 'instance' | 'code'> & { readonly code?: ErrorCode };
type FieldErrors = NonNullable<Problem['errors']>;

export function sendProblem(reply: FastifyReply, problem: ProblemAnswer): FastifyReply {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    // The path without its query string: a query may carry a secret (the citizen lookup's).
    .send(printableProblem({ ...problem, instance: reply.request.url.split('?')[0] }));
}

/**
 * The problem with every text it echoes made well-formed: a lone UTF-16 surrogate from the request
 * (a field name, a message quoting the input) becomes U+FFFD, so the answer can always be encoded.
 */
export function printableProblem<P extends ProblemAnswer & { readonly instance?: string }>(problem: P): P {
  const printable = wellFormed;
  return {
    ...problem,
    title: printable(problem.title),
    detail: printable(problem.detail),
    ...(problem.instance === undefined ? {} : { instance: printable(problem.instance) }),
    ...(problem.errors ? { errors: problem.errors.map((error) => ({ field: printable(error.field), message: printable(error.message) })) } : {}),
  };
}

const problemType = (slug: string) => `urn:motcua:problem:${slug}`;

/**
 * The problem of a catalogued code (api/error-catalogue.ts): its status, type and title, and its
 * rule unless the caller gives a more precise one (or `false`: the answer cites none).
 */
export function codedProblem(code: ErrorCode, detail: string, options: { readonly rule?: string | false; readonly errors?: FieldErrors } = {}): ProblemAnswer {
  const { status, type, title, rule } = errorEntryOf(code);
  const cited = options.rule === undefined ? rule : options.rule;
  return { type, title, status, code, ...(cited === false ? {} : { rule: cited }), detail, ...(options.errors ? { errors: options.errors } : {}) };
}

/** The 422 of a rule that refused the request: nothing was recorded. */
export function ruleRefused(code: ErrorCodeWithStatus<422>, detail: string, options: { readonly rule?: string; readonly errors?: FieldErrors } = {}): ProblemAnswer {
  return codedProblem(code, detail, options);
}

/** An error that is answered as this problem (thrown where a route cannot send it itself). */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(readonly problem: ProblemAnswer) {
    super(problem.detail);
  }
}

/** The answer to a file the intake refused: its rule's status, and the field that carried it. */
export function fileRefusalProblem(refusal: FileRefused): ProblemAnswer {
  return codedProblem(refusal.code, refusal.message, { errors: [{ field: refusal.field, message: refusal.message }] });
}

/** The answer to a refusal of the dossier's rules, with the rule as the decider cited it. */
export function refusalProblem(refusal: DomainError): ProblemAnswer {
  // The field at fault is listed for a refused command, not for who acts (403) or a stale If-Match (409).
  const fieldAtFault = refusal.field !== undefined && errorEntryOf(refusal.code).status === 422;
  return codedProblem(refusal.code, refusal.message, { rule: refusal.rule, ...(fieldAtFault ? { errors: [{ field: `body.${refusal.field}`, message: refusal.message }] } : {}) });
}

/**
 * Fastify's own refusals before any route runs, as problems like every other 400 (its default is
 * plain JSON, or a 414 the document does not declare): a path whose percent-encoding is not UTF-8
 * (`/dossiers/%ED%A0%80`, a lone surrogate), or a path parameter longer than the router keeps.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const message = error.code === 'FST_ERR_BAD_URL' ? 'is not valid percent-encoded UTF-8' : 'is too long';
    sendProblem(reply, { type: problemType('validation-failed'), title: 'The request is invalid', status: 400, detail: `Fix these fields and send again: params ${message}.`, errors: [{ field: 'params', message }] });
    return;
  }
  request.log.error({ err: error }, 'unexpected error before routing');
  sendProblem(reply, internalProblem(request.id));
}

/** The 500 of an error no rule explains: the request id finds it in the log. */
function internalProblem(requestId: string): ProblemAnswer {
  return { type: problemType('internal'), title: 'Internal error', status: 500, detail: `The engine failed to handle this request; it has been logged with request id ${requestId}.` };
}

/**
 * Every error as a problem. `allowedOn` gives the methods served on a path, so a known path asked
 * with another method answers 405 rather than 404.
 */
export function registerProblemDetails(app: FastifyInstance, allowedOn: (path: string) => readonly string[]): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = allowedOn(path);
    if (allowed.length > 0) {
      return sendProblem(reply.header('allow', allowed.join(', ')), codedProblem('METHOD_NOT_ALLOWED', `${path} does not serve ${request.method}; it serves ${allowed.join(', ')}.`));
    }
    return sendProblem(reply, {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: `No route ${request.method} ${path}. The API's routes are at /docs.`,
    });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const errors = error.validation.map((issue) => ({
        field: [context, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'is invalid',
      }));
      return sendProblem(reply, {
        type: problemType('validation-failed'),
        title: 'The request is invalid',
        status: 400,
        detail: `Fix these fields and send again: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
        errors,
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendProblem(reply, {
        type: problemType('malformed-json'),
        title: 'The body is not valid JSON',
        status: 400,
        detail: 'The request body could not be read as JSON. Send a JSON object with Content-Type: application/json.',
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, {
        type: problemType('unsupported-media-type'),
        title: 'Unsupported content type',
        status: 415,
        detail: 'Send the body as JSON with Content-Type: application/json.',
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, {
        type: problemType('body-too-large'),
        title: 'The body is too large',
        status: 413,
        detail: `The request body exceeds the limit of ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes.`,
      });
    }
    if (error instanceof FileRefused) return sendProblem(reply, fileRefusalProblem(error));
    if (error instanceof ProblemError) return sendProblem(reply, error.problem);
    const refusal = domainRefusalIn(error);
    if (refusal) return sendProblem(reply, refusalProblem(refusal));
    if (error instanceof CommandNotAnswered) {
      // An outage, not a caller's mistake: logged as an error for the operator.
      request.log.error({ err: error, timeoutMs: error.timeoutMs, dossierCode: error.dossierCode }, 'command not answered in time');
      const keyed = request.idempotency !== null;
      const advice = error.reception
        ? keyed
          ? 'send it again with the same Idempotency-Key: the retry gets the same dossier code and the dossier is received once.'
          : `this attempt allocated dossier code ${error.dossierCode} (see the Location header), which may still be received when the workflow answers. Do not receive this dossier again until GET /dossiers/${error.dossierCode} shows it or an operator confirms it was not received, or it may be received twice. Send an Idempotency-Key with receptions to make retries safe.`
        : keyed
          ? 'send it again with the same Idempotency-Key to get its one outcome.'
          : 'send it again with If-Match set to the stream version you last read, so it is refused if the first attempt took effect. Send an Idempotency-Key with commands to make retries safe.';
      if (error.reception) reply.header('location', `/dossiers/${error.dossierCode}`);
      // A retry is safe with a key, or with If-Match; a reception without a key is not to be resent.
      if (keyed || !error.reception) reply.header('retry-after', '5');
      return sendProblem(
        reply,
        codedProblem(
          'COMMAND_NOT_ANSWERED',
          `The dossier's workflow did not answer within ${Math.round(error.timeoutMs / 1000)} s: its workers may be down or overloaded, or the workflow service unreachable. The command may still take effect: ${advice}`,
        ),
      );
    }
    if (isTemporalUnavailable(error)) {
      request.log.error({ err: error }, 'workflow service unavailable');
      return sendProblem(reply, {
        type: problemType('service-unavailable'),
        title: 'The workflow service is unavailable',
        status: 503,
        detail: 'The engine cannot reach its workflow service right now; nothing was changed. Try again shortly.',
      });
    }
    if (error.statusCode === 429) {
      const detail = (error as { detail?: unknown }).detail;
      return sendProblem(reply, {
        type: problemType('rate-limited'),
        title: 'Too many requests',
        status: 429,
        detail: typeof detail === 'string' ? detail : 'Too many requests from this caller; retry in a minute.',
      });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, {
        type: problemType('bad-request'),
        title: 'The request is invalid',
        status: error.statusCode,
        detail: error.message,
      });
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, internalProblem(request.id));
  });
}

/** The domain error carried by a refused Temporal update, if that is what this error is. */
export function domainRefusalIn(error: unknown): DomainError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  // A refusal raised by an activity (an event PostgreSQL cannot store) arrives wrapped in its ActivityFailure.
  const cause = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const [details] = cause.details ?? [];
  if (isDomainError(details)) return details;
  return undefined;
}

function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && typeof (value as DomainError).code === 'string' && typeof (value as DomainError).rule === 'string';
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

// Only "cannot reach it" is worth a retry by the caller. Any other gRPC error (an unknown namespace,
// search attributes missing on the server) is a deployment fault: a 500, logged for the operator.
function isTemporalUnavailable(error: unknown): boolean {
  if (isGrpcServiceError(error)) return error.code === GRPC_UNAVAILABLE || error.code === GRPC_DEADLINE_EXCEEDED;
  const cause = (error as { cause?: unknown })?.cause;
  return cause !== undefined && cause !== error && isTemporalUnavailable(cause);
}
