// The intake's files, staged and checked before anything else is recorded, then committed to the
// content-addressed store only when every file of the submission passed (or all discarded).
//
// TEMPORARY until branch i17-files-pipeline is on main: a small strict base64 decoder and a check of
// the type by the first bytes, storing through the store's put(). With the pipeline, these two
// functions become calls to its receiveBase64File/stageAndInspect (documents/files/receive-file.ts)
// and the refusals its FileRefused; nothing else in the intake changes.
import { createHash } from 'node:crypto';
import type { DocumentStore } from '../../documents/document-store.js';

export type IntakeFileRefusalCode = 'FILE_BAD_BASE64' | 'FILE_TYPE_NOT_ACCEPTED' | 'FILE_DIGEST_MISMATCH' | 'FILE_TOO_LARGE' | 'FILE_EMPTY';

export interface IntakeFileRules {
  readonly accept: readonly string[];
  readonly maxBytes: number;
  readonly maxPages: number;
}

/** Scans and e-files of a paper component: PDF or a photo of it, 20 MiB, 100 pages (the pipeline's DEFAULT_FILE_RULES). */
export const INTAKE_DEFAULT_FILE_RULES: IntakeFileRules = { accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 20 * 1024 * 1024, maxPages: 100 };

/** A file refused on the way in, naming the field of the portal's body that carried it. */
export class IntakeFileRefused extends Error {
  override readonly name = 'IntakeFileRefused';
  constructor(
    readonly code: IntakeFileRefusalCode,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Parts of a multipart intake that do not match the files its submission lists. */
export class IntakePartsMismatch extends Error {
  override readonly name = 'IntakePartsMismatch';
  readonly code = 'PORTAL_FILE_PARTS_MISMATCH' as const;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A file checked and ready to be kept: commit() stores it, discard() forgets it. */
export interface StagedIntakeFile {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly pages?: number;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/=]/;

export async function stageBase64File(store: DocumentStore, text: string, rules: IntakeFileRules, declared: { readonly field: string; readonly sha256?: string }): Promise<StagedIntakeFile> {
  const { field } = declared;
  const bad = (why: string) => new IntakeFileRefused('FILE_BAD_BASE64', `The content in field ${field} is not strict base64: ${why}. Send the file's bytes encoded with the standard base64 alphabet (RFC 4648 §4), padded with =, without line breaks, spaces or a data: prefix.`, field);
  const outside = OUTSIDE_ALPHABET.exec(text);
  if (outside) throw bad(`it holds a character outside the alphabet at position ${outside.index}`);
  if (text.length % 4 !== 0) throw bad(`its length, ${text.length}, is not a multiple of 4`);
  if (/=[^=]/.test(text)) throw bad('= appears before the end');
  if ((text.length / 4) * 3 > rules.maxBytes + 2) throw new IntakeFileRefused('FILE_TOO_LARGE', `The file in field ${field} is larger than ${rules.maxBytes} bytes, the most this component accepts (rule maxBytes). Send a smaller file.`, field);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw bad('the bits after its last byte are not zero');
  return stageBytes(store, bytes, rules, declared);
}

/** A multipart part's bytes (TEMPORARY: gathered up to the limit; the pipeline streams them to a staging file). */
export async function stageStreamFile(store: DocumentStore, stream: AsyncIterable<Uint8Array>, rules: IntakeFileRules, declared: { readonly field: string; readonly sha256?: string }): Promise<StagedIntakeFile> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > rules.maxBytes) throw new IntakeFileRefused('FILE_TOO_LARGE', `The file in field ${declared.field} is larger than ${rules.maxBytes} bytes, the most this component accepts (rule maxBytes). Send a smaller file.`, declared.field);
    chunks.push(Buffer.from(chunk));
  }
  return stageBytes(store, Buffer.concat(chunks), rules, declared);
}

async function stageBytes(store: DocumentStore, bytes: Buffer, rules: IntakeFileRules, declared: { readonly field: string; readonly sha256?: string }): Promise<StagedIntakeFile> {
  const { field } = declared;
  if (bytes.byteLength === 0) throw new IntakeFileRefused('FILE_EMPTY', `The file in field ${field} is empty; send the file itself.`, field);
  if (bytes.byteLength > rules.maxBytes) throw new IntakeFileRefused('FILE_TOO_LARGE', `The file in field ${field} is larger than ${rules.maxBytes} bytes, the most this component accepts (rule maxBytes). Send a smaller file.`, field);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (declared.sha256 !== undefined && declared.sha256 !== sha256) {
    throw new IntakeFileRefused('FILE_DIGEST_MISMATCH', `The file in field ${field} does not have the SHA-256 declared for it; send it again, with the digest of exactly the bytes sent.`, field);
  }
  const mediaType = sniff(bytes);
  if (!mediaType || !rules.accept.includes(mediaType)) {
    throw new IntakeFileRefused('FILE_TYPE_NOT_ACCEPTED', `The file in field ${field} is ${mediaType ?? 'of no type this engine reads'} by its bytes; this component accepts ${rules.accept.join(', ')}. Renaming a file does not change its type.`, field);
  }
  return { sha256, size: bytes.byteLength, mediaType, commit: async () => void (await store.put(bytes, mediaType)), discard: async () => undefined };
}

function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}
