// What a component's file must be to be accepted: its types (judged by its bytes, never by its name
// or the type the sender declares), its size and, for a PDF, its pages. Pure: the catalogue declares
// rules per component with `fileRulesSchema`; documents/files/ applies them to a stored file.
import { z } from 'zod';

export const FILE_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/xml', 'application/json'] as const;
export type FileMediaType = (typeof FILE_MEDIA_TYPES)[number];

export interface FileRules {
  readonly accept: readonly FileMediaType[];
  readonly maxBytes: number;
  readonly maxPages: number;
}

/** Scans and e-files of a paper component: PDF or a photo of it, 20 MiB, 100 pages. */
export const DEFAULT_FILE_RULES: FileRules = Object.freeze({
  accept: Object.freeze(['application/pdf', 'image/jpeg', 'image/png'] as const),
  maxBytes: 20 * 1024 * 1024,
  maxPages: 100,
});

/** The largest file any rule may admit (1 GiB): a typo in the catalogue must not open the door wide. */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export const fileRulesSchema = z
  .object({
    accept: z
      .array(z.enum(FILE_MEDIA_TYPES))
      .min(1)
      .refine((types) => new Set(types).size === types.length, 'lists a type twice')
      .default([...DEFAULT_FILE_RULES.accept]),
    maxBytes: z.number().int().min(1).max(MAX_FILE_BYTES).default(DEFAULT_FILE_RULES.maxBytes),
    maxPages: z.number().int().min(1).max(10_000).default(DEFAULT_FILE_RULES.maxPages),
  })
  .describe('What a file of this component must be: its accepted types (by its bytes), its size and its pages (PDF)');

/** Why a file was refused: the rule's code, what is wrong and what to do, and the field that carried it. */
export const FILE_REFUSAL_CODES = [
  'FILE_TOO_LARGE',
  'FILE_EMPTY',
  'FILE_TYPE_NOT_ACCEPTED',
  'FILE_NOT_A_PDF',
  'FILE_ENCRYPTED',
  'FILE_TOO_MANY_PAGES',
  'FILE_DIGEST_MISMATCH',
  'FILE_MALFORMED_EFORM',
  'FILE_BAD_BASE64',
] as const;
export type FileRefusalCode = (typeof FILE_REFUSAL_CODES)[number];

export interface FileRefusal {
  readonly code: FileRefusalCode;
  readonly message: string;
  readonly field: string;
}

/** What the intake knows of an accepted file. */
export interface InspectedFile {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: FileMediaType;
  /** A PDF's page count. */
  readonly pages?: number;
}

const MIB = 1024 * 1024;
/** A size as a person reads it: "20 MiB", "512 KiB", "300 bytes". */
export function readableSize(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/**
 * Why a file already held (its recorded type, size and pages) does not meet a component's rules, or
 * undefined when it does: a reused file must be what an upload of it would have to be.
 */
export function heldFileMisfit(rules: FileRules, file: { readonly mediaType: string; readonly size: number; readonly pages?: number | undefined }): string | undefined {
  if (!(rules.accept as readonly string[]).includes(file.mediaType)) return `it is ${file.mediaType}, and this component accepts ${rules.accept.join(', ')}`;
  if (file.size > rules.maxBytes) return `it is ${readableSize(file.size)}, more than the ${readableSize(rules.maxBytes)} this component allows`;
  if (file.pages !== undefined && file.pages > rules.maxPages) return `it has ${file.pages} pages, more than the ${rules.maxPages} this component allows`;
  return undefined;
}
