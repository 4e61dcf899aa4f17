// A multipart intake (docs/portal-intake.md#multipart): the text field `submission` first, then one
// file part per file the submission lists, named `file:<componentId>`, in the order listed. The parts
// are read as the intake asks for them: the submission before any check, each file only once its
// component is known (its rules), so a refused submission stores no byte. What is left of a refused
// request is read and dropped (drain) so the connection stays usable.
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { MAX_FILES_AT_RECEPTION } from '../../domain/dossier/file-commands.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { codedProblem, type ProblemAnswer } from '../problem-details.js';
import type { FileStager } from './intake.js';
import { readableSize } from '../../domain/files/file-rules.js';
import { FileRefused } from '../../documents/files/file-refused.js';
import { IntakePartsMismatch, stageStreamFile, type StagedIntakeFile } from './intake-files.js';

export const SUBMISSION_FIELD = 'submission';

/** The most one multipart submission's files may weigh together (a JSON submission is bounded by its body limit). */
export const MULTIPART_INTAKE_MAX_TOTAL_BYTES = 200 * 1024 * 1024;

/** Busboy's limits for an intake: one text field (the submission, JSON), the files it lists. */
export const MULTIPART_INTAKE_LIMITS = {
  fieldNameSize: 300,
  fieldSize: 1024 * 1024,
  fields: 1,
  files: MAX_FILES_AT_RECEPTION,
  parts: MAX_FILES_AT_RECEPTION + 1,
  headerPairs: 100,
  // Each file is held to its component's rules while it streams (maxBytes); this only bounds busboy.
  fileSize: 1024 * 1024 * 1024,
} as const;

export interface MultipartIntake {
  /** The `submission` field, parsed as JSON, or the problem of a request that does not start with it. */
  submission(): Promise<{ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: ProblemAnswer }>;
  /** Stages the file parts in the order the submission lists its files, and refuses any part beyond. */
  stager(store: DocumentStore): FileStager;
  /** Reads and drops what is left of the request. */
  drain(): Promise<void>;
}

const invalid = (field: string, message: string): ProblemAnswer => ({
  type: 'urn:motcua:problem:validation-failed',
  title: 'The request is invalid',
  status: 400,
  detail: `Fix these fields and send again: ${field} ${message}.`,
  errors: [{ field, message }],
});

export function multipartIntake(request: FastifyRequest): MultipartIntake {
  const parts = request.parts({ limits: MULTIPART_INTAKE_LIMITS })[Symbol.asyncIterator]();
  const next = async (): Promise<Multipart | undefined> => {
    const step = await parts.next();
    return step.done ? undefined : step.value;
  };
  return {
    async submission() {
      const part = await next();
      if (!part || part.type !== 'field' || part.fieldname !== SUBMISSION_FIELD) {
        if (part?.type === 'file') part.file.resume();
        return { ok: false, problem: invalid(SUBMISSION_FIELD, `must be the request's first part: the submission as JSON, before the file parts (curl -F 'submission=<submission.json' -F 'file:<componentId>=@scan.pdf')`) };
      }
      if (part.valueTruncated) return { ok: false, problem: invalid(SUBMISSION_FIELD, `is longer than ${MULTIPART_INTAKE_LIMITS.fieldSize} bytes; files go in their own parts, not in the submission`) };
      try {
        return { ok: true, value: JSON.parse(String(part.value)) };
      } catch {
        return { ok: false, problem: invalid(SUBMISSION_FIELD, 'is not valid JSON') };
      }
    },

    stager(store) {
      return async (files) => {
        const staged: StagedIntakeFile[] = [];
        const seen = new Map<string, number>();
        let total = 0;
        try {
          for (const { file, rules } of files) {
            if (file.content.kind !== 'part') throw new Error('a multipart intake has its files in parts');
            const expected = file.content.part;
            const index = seen.get(expected) ?? 0;
            seen.set(expected, index + 1);
            const part = await next();
            if (!part || part.type !== 'file' || part.fieldname !== expected) {
              if (part?.type === 'file') part.file.resume();
              throw new IntakePartsMismatch(`The submission lists a file for ${expected.slice(5)} here, but the request ${part ? `sends the part ${part.fieldname.slice(0, 300)}` : 'has no more parts'}. Send one part file:<componentId> per file listed, in the order listed.`, `${expected}[${index}]`);
            }
            const field = `${expected}[${index}]`;
            // The submission's files together are bounded too, so one post cannot fill the staging disk.
            const left = MULTIPART_INTAKE_MAX_TOTAL_BYTES - total;
            try {
              // Read without destroying the part when staging stops early (a limit): busboy waits for each
              // part to be consumed, so a destroyed one would stall the request; the rest is drained below.
              const chunks = part.file.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
              const one = await stageStreamFile(store, chunks, { ...rules, maxBytes: Math.min(rules.maxBytes, left) }, { field, ...(file.sha256 ? { sha256: file.sha256 } : {}) });
              staged.push(one);
              total += one.size;
            } catch (error) {
              if (error instanceof FileRefused && error.code === 'FILE_TOO_LARGE' && left < rules.maxBytes) {
                part.file.resume();
                throw new FileRefused('FILE_TOO_LARGE', `The submission's files together are larger than ${readableSize(MULTIPART_INTAKE_MAX_TOTAL_BYTES)}, the most one submission may carry; nothing was stored. Send the dossier with fewer or smaller files.`, field);
              }
              // What is left of a refused part flows on, so the parts after it can be drained.
              part.file.resume();
              throw error;
            }
          }
          const extra = await next();
          if (extra) {
            if (extra.type === 'file') extra.file.resume();
            throw new IntakePartsMismatch(`The request sends the part ${extra.fieldname.slice(0, 300)}, which the submission does not list. Send one part file:<componentId> per file listed, and no other.`, extra.fieldname.slice(0, 300));
          }
          return staged;
        } catch (error) {
          await Promise.all(staged.map((file) => file.discard()));
          throw error;
        }
      };
    },

    async drain() {
      for (let part = await next(); part; part = await next()) if (part.type === 'file') part.file.resume();
    },
  };
}

/** Busboy's and the plugin's errors (a body cut short, limits passed) as the catalogue's problems. */
export function uploadProblemOf(error: unknown): ProblemAnswer | undefined {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  switch (code) {
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return codedProblem('UPLOAD_MALFORMED', `The request has more parts than an intake may: one submission field and at most ${MULTIPART_INTAKE_LIMITS.files} files.`);
    case 'FST_REQ_FILE_TOO_LARGE':
      return codedProblem('FILE_TOO_LARGE', 'A file part is larger than any component accepts. Send a smaller file.');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return codedProblem('UPLOAD_MALFORMED', `A part of the request is refused: ${message}.`);
  }
  if (/^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Part terminated early)/i.test(message) || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return codedProblem('UPLOAD_MALFORMED', `The multipart body could not be read to its end (${message || 'the stream closed early'}); nothing was stored. Send the whole request again.`);
  }
  return undefined;
}
