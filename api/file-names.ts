// A dossier file's name, as the sender gave it: personal data, kept in the event as one clean line,
// and given back only in a download's content-disposition, encoded so that nothing of it can break
// the header (RFC 6266, RFC 8187). Pure.

/** The sender's file name as the event keeps it: one line, no control characters, at most 255 characters. */
export function fileNameOf(filename: string | undefined): string | undefined {
  const line = (filename ?? '').replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim();
  // At most 255 UTF-16 units, as the event's schema counts them; a pair cut in two loses its half.
  const cut = line.slice(0, 255).replace(/\p{Cs}/gu, '').trim();
  return cut === '' ? undefined : cut;
}

/** The extension a download's fallback name takes, by the type its bytes showed. */
export const FILE_EXTENSIONS: Readonly<Record<string, string>> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'application/xml': 'xml', 'application/json': 'json' };

/**
 * `attachment` with the sender's name as RFC 6266 wants it: an ASCII fallback with every other
 * character replaced, and the name itself percent-encoded in `filename*` (RFC 8187). Nothing of the
 * raw name reaches the header unencoded: no quote, no CR/LF, no path.
 */
export function attachmentDisposition(name: string | undefined, fallbackStem: string, mediaType: string): string {
  const extension = FILE_EXTENSIONS[mediaType] ?? 'bin';
  const base = (name ?? '').replace(/\p{Cs}/gu, '\uFFFD').split(/[/\\]/).pop()!.trim();
  const fallback = `${fallbackStem}.${extension}`;
  if (base === '') return `attachment; filename="${fallback}"`;
  const ascii = base.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (letter) => (letter === 'đ' ? 'd' : 'D')).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100) || fallback;
  const encoded = encodeURIComponent(base).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

