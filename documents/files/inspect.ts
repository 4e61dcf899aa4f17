// The checks of a staged upload, made on the stored file (not on the bytes as they streamed past):
// not empty, the digest the sender declared, a type the component accepts judged by the bytes, and
// what that type must be (a PDF that parses, unencrypted, within the page limit; an e-form that parses).
import { open } from 'node:fs/promises';
import { type FileRules, type InspectedFile, readableSize } from '../../domain/files/file-rules.js';
import type { StagedFile } from '../document-store.js';
import { eformFault } from './eform-check.js';
import { FileRefused } from './file-refused.js';
import { checkPdf, type PdfCheckLimits } from './pdf-check.js';
import { MEDIA_TYPE_NAMES, SNIFF_BYTES, sniffMediaType } from './sniff.js';

export interface DeclaredFile {
  /** The request field the file came in (`file`, `components[0].files[1].content`), named in refusals. */
  readonly field?: string;
  /** The SHA-256 the sender computed, hex; a file whose digest differs is refused. */
  readonly sha256?: string;
}

export interface InspectOptions {
  readonly pdf?: PdfCheckLimits;
}

const names = (types: readonly string[]) => types.map((type) => MEDIA_TYPE_NAMES[type as keyof typeof MEDIA_TYPE_NAMES] ?? type).join(', ');

/** The file as accepted, or a FileRefused naming the rule it breaks. */
export async function inspectStagedFile(staged: StagedFile, rules: FileRules, declared: DeclaredFile = {}, options: InspectOptions = {}): Promise<InspectedFile> {
  const field = declared.field ?? 'file';
  if (staged.size === 0) throw new FileRefused('FILE_EMPTY', `The file in field ${field} is empty (0 bytes). Send the file itself; if the upload was cut short, send it again.`, field);
  if (staged.size > rules.maxBytes) {
    throw new FileRefused('FILE_TOO_LARGE', `The file in field ${field} is larger than ${readableSize(rules.maxBytes)}, the most this component accepts (rule maxBytes). Send a smaller file.`, field);
  }
  if (declared.sha256 !== undefined && declared.sha256.toLowerCase() !== staged.sha256) {
    throw new FileRefused(
      'FILE_DIGEST_MISMATCH',
      `The file in field ${field} does not have the SHA-256 digest declared for it: the bytes received differ from those the sender hashed. Send the file again, and its digest computed over exactly the bytes sent.`,
      field,
    );
  }

  const head = await readHead(staged.path);
  const mediaType = sniffMediaType(head);
  if (!mediaType || !rules.accept.includes(mediaType)) {
    const found = mediaType ? `is a ${MEDIA_TYPE_NAMES[mediaType]} file by its content` : 'is none of the accepted types by its content';
    throw new FileRefused('FILE_TYPE_NOT_ACCEPTED', `The file in field ${field} ${found}, whatever its name or declared type; this component accepts ${names(rules.accept)} (rule accept). Send the document in one of those types.`, field);
  }

  const inspected = { sha256: staged.sha256, size: staged.size, mediaType };
  if (mediaType === 'application/pdf') {
    const verdict = await checkPdf(staged.path, options.pdf);
    if (verdict.outcome === 'encrypted') {
      throw new FileRefused('FILE_ENCRYPTED', `The PDF in field ${field} is encrypted (password-protected or restricted), so the engine cannot read, archive or verify it. Save it again without a password or restrictions and send that copy.`, field);
    }
    if (verdict.outcome === 'unparseable') {
      throw new FileRefused('FILE_NOT_A_PDF', `The file in field ${field} starts as a PDF but does not parse as one: ${verdict.reason}. Export or scan the document to PDF again and send the new file.`, field);
    }
    if (verdict.pages > rules.maxPages) {
      throw new FileRefused('FILE_TOO_MANY_PAGES', `The PDF in field ${field} has ${verdict.pages} pages; this component accepts at most ${rules.maxPages} (rule maxPages). Send only the pages of this component, or split it where the procedure allows.`, field);
    }
    return { ...inspected, pages: verdict.pages };
  }
  if (mediaType === 'application/xml' || mediaType === 'application/json') {
    const fault = await eformFault(staged.path, mediaType);
    if (fault) {
      throw new FileRefused('FILE_MALFORMED_EFORM', `The ${MEDIA_TYPE_NAMES[mediaType]} e-form in field ${field} does not parse: ${fault}. Send the e-form as the portal produced it, well-formed UTF-8.`, field);
    }
  }
  return inspected;
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
