// A file's type by its first bytes (its magic number), never by its name or the type its sender
// declares. Three binary signatures and two text shapes are all the intake accepts, so they are
// written out here rather than taken from a general sniffing library (file-type knows hundreds of
// types, and neither XML nor JSON is a signature: their check is a parse, documents/files/eform-check.ts).
import type { FileMediaType } from '../../domain/files/file-rules.js';

/** How many leading bytes the sniffing reads. */
export const SNIFF_BYTES = 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [...'%PDF-'].map((c) => c.charCodeAt(0));
const UTF8_BOM = [0xef, 0xbb, 0xbf];

const startsWith = (head: Uint8Array, signature: readonly number[], at = 0) => signature.every((byte, i) => head[at + i] === byte);
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** The type the leading bytes announce, or undefined when they announce none the intake knows. */
export function sniffMediaType(head: Uint8Array): FileMediaType | undefined {
  // A PDF starts with its header: PDF 2.0 (ISO 32000-2 §7.5.2) puts it at byte 0, as every scanner does.
  if (startsWith(head, PDF)) return 'application/pdf';
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, JPEG)) return 'image/jpeg';
  // Text: an optional UTF-8 byte-order mark, white space, then the first character tells.
  let at = startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0;
  while (isSpace(head[at])) at++;
  if (head[at] === 0x3c /* < */) return 'application/xml';
  if (head[at] === 0x7b /* { */ || head[at] === 0x5b /* [ */) return 'application/json';
  return undefined;
}

export const MEDIA_TYPE_NAMES: Record<FileMediaType, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'application/xml': 'XML',
  'application/json': 'JSON',
};
