// What every route can answer, declared in one place so the OpenAPI document says what the API
// does and a new route gets it for free: every problem as `application/problem+json`, and the
// statuses the shared layers answer on any route (the token check, validation, the body parser, the
// rate limiter, the catch-all 500), on top of those each route declares for itself.
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import { problemSchema } from './problem-details.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Why each status is answered, as the document says it. */
const PROBLEM_DESCRIPTIONS = {
  400: 'The request is invalid: the problem names each field at fault (path, query, header or body)',
  401: 'No valid bearer token, or an Authorization header that is not "Bearer <token>"',
  403: 'The caller’s role or agency may not do this',
  404: 'Nothing found under this path',
  409: 'The dossier is not in a state for this, or changed since it was read (If-Match)',
  413: 'The body is larger than this route accepts',
  415: 'The body is not sent in a media type this route reads',
  422: 'A rule refused the request; nothing was recorded (the problem gives its code and rule)',
  429: 'Too many requests from this caller: retry after a minute',
  500: 'The engine failed to handle the request; the problem gives the request id of its log',
  503: 'A service the engine depends on did not answer; follow the problem’s advice before retrying',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** A status answered with a problem (RFC 9457). */
export function problemResponse(status: ProblemStatus) {
  return { description: PROBLEM_DESCRIPTIONS[status], content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } } };
}

/** A file answered as it is, not as JSON. */
export const fileSchema = (mediaType: string) => z.string().meta({ contentMediaType: mediaType });
export const pdfSchema = fileSchema('application/pdf');
export const csvSchema = fileSchema('text/csv').describe('RFC 4180, UTF-8 with a byte-order mark for spreadsheets');

/** A route's document with a request body of this media type, for a body no zod schema validates. */
export function withRequestBody<T extends { schema?: unknown }>(transformed: T, mediaType: string): T {
  const body = { content: { [mediaType]: { schema: { type: 'string', contentMediaType: mediaType } } } };
  return { ...transformed, schema: { ...(transformed.schema as object), body } };
}

export interface MultipartFilePart {
  /** The part's name, `file` as a rule. */
  readonly name: string;
  /** The media types a file may be (by its bytes), listed in the part's encoding. */
  readonly accept: readonly string[];
  readonly description: string;
  /** How many such parts the route takes; 1 by default. */
  readonly maxFiles?: number;
}

/**
 * A route's document with a `multipart/form-data` body (RFC 7578; OpenAPI 3.1 §4.8.14.4): the text
 * fields as `fields` declares them (a zod object of strings, JSON Schema as in any body) and the
 * binary file part(s), their types in the part's `encoding.contentType`. Text fields come first in the
 * body: a digest field is read before the file it declares.
 */
export function withMultipartBody<T extends { schema?: unknown }>(transformed: T, file: MultipartFilePart, fields?: z.ZodObject): T {
  const text = fields ? (z.toJSONSchema(fields, { io: 'input', target: 'draft-2020-12' }) as { properties?: Record<string, unknown>; required?: string[] }) : {};
  const binary = { type: 'string', contentMediaType: 'application/octet-stream', description: file.description };
  const many = (file.maxFiles ?? 1) > 1;
  const schema = {
    type: 'object',
    properties: { ...text.properties, [file.name]: many ? { type: 'array', items: binary, minItems: 1, maxItems: file.maxFiles } : binary },
    required: [...(text.required ?? []), file.name],
    additionalProperties: false,
    // @fastify/swagger keeps only a media type's schema: hoistMultipartEncoding moves this to its `encoding`.
    [ENCODING_KEY]: { [file.name]: { contentType: file.accept.join(', ') } },
  };
  const body = { content: { [MULTIPART]: { schema } } };
  return { ...transformed, schema: { ...(transformed.schema as object), body } };
}

const MULTIPART = 'multipart/form-data';
const ENCODING_KEY = 'x-multipart-encoding';

/** The whole document's `transformObject` (api/app.ts): each multipart body's encoding where OpenAPI reads it. */
export function hoistMultipartEncoding<D>(document: D): D {
  const paths = (document as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Record<string, unknown>; encoding?: unknown }> } }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const media = operation?.requestBody?.content?.[MULTIPART];
      if (!media?.schema || !(ENCODING_KEY in media.schema)) continue;
      const { [ENCODING_KEY]: encoding, ...schema } = media.schema;
      media.schema = schema;
      media.encoding = encoding;
    }
  }
  return document;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Completes a route's declared answers (an `onRoute` hook): wraps its problem statuses in
 * `application/problem+json` and adds those every route of its kind can answer.
 */
export function declareSharedAnswers(route: RouteOptions): void {
  const schema = route.schema as (Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean }) | undefined;
  if (!schema || schema.hide) return;
  const takesBody = [route.method].flat().some((method) => BODY_METHODS.has(method));
  const takesInput = takesBody || ['params', 'querystring', 'headers', 'body'].some((part) => schema[part] !== undefined);
  const access = route.config?.access;
  const statuses: ProblemStatus[] = [
    // The token is checked on every route that is sent one, public or not (api/auth/access.ts).
    401,
    // A public route too: a portal's token is refused everywhere but the intake (api/auth/access.ts).
    403,
    ...(takesInput ? [400 as const] : []),
    ...(takesBody ? [413 as const, 415 as const] : []),
    429,
    500,
  ];
  const response: Record<string, unknown> = { ...schema.response };
  for (const [status, declared] of Object.entries(response)) {
    if (declared === problemSchema) response[status] = problemResponse(Number(status) as ProblemStatus);
  }
  for (const status of statuses) response[status] ??= problemResponse(status);
  route.schema = { ...schema, response };
}
