// Files sent base64 inside a JSON body: the text is already in memory, so Buffer.from decodes it.
// Buffer.from is lenient (it skips characters outside the alphabet and ignores a bad padding), so
// the text is checked first: the standard alphabet (RFC 4648 §4), padded, nothing else, canonical.
import { readableSize } from '../../domain/files/file-rules.js';
import { FileRefused } from './file-refused.js';

const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/=]/;

export function decodeBase64File(text: string, field: string, maxBytes: number): Buffer {
  const refuse = (why: string) =>
    new FileRefused('FILE_BAD_BASE64', `The content in field ${field} is not strict base64: ${why}. Send the file's bytes encoded with the standard base64 alphabet (RFC 4648 §4), padded with =, without line breaks, spaces or a data: prefix.`, field);
  if (text.startsWith('data:')) throw refuse('it is a data: URL');
  const outside = OUTSIDE_ALPHABET.exec(text);
  if (outside) throw refuse(`it holds a character outside the alphabet at position ${outside.index}`);
  if (text.length % 4 !== 0) throw refuse(`its length, ${text.length}, is not a multiple of 4`);
  const padding = text.indexOf('=');
  if (padding !== -1 && padding < text.length - 2) throw refuse('= appears before the end');
  if (padding !== -1 && text.length - padding === 2 && text[text.length - 1] !== '=') throw refuse('= appears before the end');
  // Decoded size from the text's length: refuse an oversized file before allocating it.
  const size = (text.length / 4) * 3 - (padding === -1 ? 0 : text.length - padding);
  if (size > maxBytes) {
    throw new FileRefused('FILE_TOO_LARGE', `The file in field ${field} is larger than ${readableSize(maxBytes)}, the most this component accepts (rule maxBytes). Send a smaller file.`, field);
  }
  const bytes = Buffer.from(text, 'base64');
  // Canonical: the unused bits of the last character are zero, so one file has one encoding.
  if (bytes.toString('base64') !== text) throw refuse('the bits after its last byte are not zero');
  return bytes;
}
