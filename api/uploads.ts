// Multipart uploads (RFC 7578), streamed: each file part goes straight from the socket through
// receiveFile's staging (hashed, counted, stopped at the size limit) to a file in the document store,
// is checked there, and is committed only when the whole request has been read and every file
// passed. Never `toBuffer()`, never `attachFieldsToBody`: memory does not grow with the file.
// A route calls `readUpload(request, store, options)`; what goes wrong is thrown as a FileRefused or a
// ProblemError, which the error handler answers (api/problem-details.ts).
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FileRules, InspectedFile } from '../domain/files/file-rules.js';
import type { DocumentStore, StagedFile } from '../documents/document-store.js';
import { FileRefused } from '../documents/files/file-refused.js';
import type { InspectOptions } from '../documents/files/inspect.js';
import { stageAndInspect } from '../documents/files/receive-file.js';
import type { ApiErrorCode } from './error-catalogue.js';
import { codedProblem, ProblemError } from './problem-details.js';

/** The plugin's limits for every request; a route's call narrows them (files, file size). */
export const UPLOAD_LIMITS = {
  fieldNameSize: 100,
  /** A text field (a component id, a digest, a note) is short. */
  fieldSize: 16 * 1024,
  fields: 20,
  files: 1,
  parts: 32,
  headerPairs: 100,
} as const;

/** Registers @fastify/multipart once (api/app.ts): streams only, the limits above. */
export async function registerUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });
  // Only a route that reads uploads (config `upload: true`) takes multipart; the others stay JSON
  // only and answer 415, as they did before the plugin was registered.
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart() && request.routeOptions.config?.upload !== true) {
      throw new ProblemError({ type: 'urn:motcua:problem:unsupported-media-type', title: 'Unsupported content type', status: 415, detail: 'This route does not take files: send the body as JSON with Content-Type: application/json.' });
    }
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads a multipart upload (api/uploads.ts, readUpload); any other refuses multipart with a 415. */
    upload?: boolean;
  }
}

export interface UploadOptions {
  readonly rules: FileRules;
  /** The name of the file part(s); `file` by default. */
  readonly fileField?: string;
  /** How many file parts the route takes; 1 by default. */
  readonly maxFiles?: number;
  /** How many it needs; 1 by default. A route whose files are optional (the public feedback form) says 0. */
  readonly minFiles?: number;
  /** The longest text field in bytes; UPLOAD_LIMITS.fieldSize by default (a feedback's content is longer). */
  readonly fieldSize?: number;
  /** Judges the text fields once the body is read, before any file is committed: what it throws (a ProblemError) refuses the request and keeps no file. */
  readonly checkFields?: (fields: Readonly<Record<string, string>>) => void | Promise<void>;
  /** A text field that, sent before a file part, declares that file's SHA-256 (hex); e.g. `sha256`. */
  readonly digestField?: string;
  readonly inspect?: InspectOptions;
}

export interface UploadedFile extends InspectedFile {
  /** The request field it came in, numbered when the route takes several: `file`, `file[1]`. */
  readonly field: string;
  /** The name the sender gave it: personal data, never logged; never trusted for its type. */
  readonly filename: string;
}

export interface Upload {
  /** The text fields, each sent once. */
  readonly fields: Readonly<Record<string, string>>;
  /** The files, stored and recorded in the document store, in the order sent. */
  readonly files: readonly UploadedFile[];
}

const refuse = (code: ApiErrorCode, detail: string, field?: string): ProblemError =>
  new ProblemError(codedProblem(code, detail, field ? { errors: [{ field, message: detail }] } : {}));

/**
 * Reads a multipart request: its text fields and its file part(s), each streamed into the store and
 * checked; all committed at the end, or none (a refusal, a malformed body, a client that hangs up).
 */
export async function readUpload(request: FastifyRequest, store: DocumentStore, options: UploadOptions): Promise<Upload> {
  const fileField = options.fileField ?? 'file';
  const maxFiles = options.maxFiles ?? 1;
  const fieldSize = options.fieldSize ?? UPLOAD_LIMITS.fieldSize;
  if (!request.isMultipart()) {
    throw refuse('UPLOAD_NOT_MULTIPART', `This route takes multipart/form-data with the file in a part named ${fileField}; the request was sent as ${request.headers['content-type'] ?? 'no content type'}.`);
  }
  const fields: Record<string, string> = {};
  const checked: { staged: StagedFile; file: UploadedFile; digestDeclared: boolean }[] = [];
  try {
    const parts = request.parts({ limits: { files: maxFiles, fileSize: options.rules.maxBytes + 1, parts: maxFiles + UPLOAD_LIMITS.fields, fieldSize } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated || part.fieldnameTruncated) throw refuse('UPLOAD_MALFORMED', `The text field ${part.fieldname.slice(0, 100)} is longer than ${fieldSize} bytes, the most a text field of this upload may be.`, part.fieldname);
        if (part.fieldname in fields) throw refuse('UPLOAD_MALFORMED', `The text field ${part.fieldname} is sent twice; send it once.`, part.fieldname);
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== fileField) {
        part.file.resume();
        throw refuse('UPLOAD_MALFORMED', `The file part ${part.fieldname} is not one this route takes: send the file in a part named ${fileField}.`, part.fieldname);
      }
      if (checked.length >= maxFiles) throw tooManyFiles(fileField, maxFiles);
      const field = maxFiles === 1 ? fileField : `${fileField}[${checked.length}]`;
      const sha256 = options.digestField ? fields[options.digestField] : undefined;
      const { staged, inspected } = await stageAndInspect(store, part.file, options.rules, { field, ...(sha256 !== undefined ? { sha256 } : {}) }, options.inspect);
      checked.push({ staged, file: { ...inspected, field, filename: part.filename }, digestDeclared: sha256 !== undefined });
      // The plugin's own size limit cut the part short (it is set just above ours, so this is a backstop).
      if (part.file.truncated) throw new FileRefused('FILE_TOO_LARGE', `The file in field ${field} is larger than the most this component accepts (rule maxBytes). Send a smaller file.`, field);
    }
    // A digest sent after its file was never compared with it: refused rather than taken on trust.
    if (options.digestField && options.digestField in fields && checked.some(({ digestDeclared }) => !digestDeclared)) {
      throw refuse('UPLOAD_MALFORMED', `The field ${options.digestField} came after the file part it declares; send it before the file part.`, options.digestField);
    }
    if (checked.length === 0 && (options.minFiles ?? 1) > 0) {
      throw refuse('UPLOAD_FILE_MISSING', `The request has no file part named ${fileField}: send the file in a part of that name (curl -F ${fileField}=@scan.pdf). Text fields must come before the file part.`, fileField);
    }
    await options.checkFields?.(fields);
    for (const { staged, file } of checked) await store.commit(staged, file.mediaType);
    return { fields, files: checked.map(({ file }) => file) };
  } catch (error) {
    await Promise.all(checked.map(({ staged }) => store.discard(staged)));
    throw translated(error, fileField, maxFiles);
  }
}

const tooManyFiles = (fileField: string, maxFiles: number) =>
  refuse('UPLOAD_TOO_MANY_FILES', `This route takes ${maxFiles === 1 ? 'one file' : `at most ${maxFiles} files`} per request, in parts named ${fileField}; the request sent more. Send each further file in a request of its own.`, fileField);

/** The multipart plugin's and busboy's errors as the catalogue's problems. */
function translated(error: unknown, fileField: string, maxFiles: number): unknown {
  if (error instanceof FileRefused || error instanceof ProblemError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  switch (code) {
    case 'FST_FILES_LIMIT':
      return tooManyFiles(fileField, maxFiles);
    case 'FST_REQ_FILE_TOO_LARGE':
      return new FileRefused('FILE_TOO_LARGE', `The file in field ${fileField} is larger than the most this component accepts (rule maxBytes). Send a smaller file.`, fileField);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return refuse('UPLOAD_MALFORMED', `The request has more parts than an upload may: at most ${UPLOAD_LIMITS.fields} text fields and ${maxFiles} file part(s).`);
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return refuse('UPLOAD_MALFORMED', `A part of the request is refused: ${message}.`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return refuse('UPLOAD_NOT_MULTIPART', `This route takes multipart/form-data with the file in a part named ${fileField}.`);
  }
  // busboy's: a body cut short (the client hung up), a part without headers, no boundary.
  if (/^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Part terminated early)/i.test(message) || (error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return refuse('UPLOAD_MALFORMED', `The multipart body could not be read to its end (${message || 'the stream closed early'}); nothing was stored. Send the whole request again.`);
  }
  return error;
}
