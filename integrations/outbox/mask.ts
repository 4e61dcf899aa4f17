// Personal data out of the attempts' records (docs/integrations.md#what-an-attempt-records): a phone keeps
// its first three and last two digits, an e-mail its domain, a name its initials; other fields the
// adapter names are replaced whole. What was really sent is proven by the body's SHA-256.
import { createHash } from 'node:crypto';

export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  return digits.length <= 5 ? '***' : `${digits.slice(0, 3)}${'*'.repeat(digits.length - 5)}${digits.slice(-2)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '***' : `***${email.slice(at)}`;
}

export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${[...word][0]}.`)
    .join(' ');
}

export const MASKED = '***';

/**
 * A signed file link as an attempt records it. The link is a credential for the file: the engine's
 * links carry their token as the last path segment (api/portal-file-links.ts), other signers in the
 * query, so both go; what is left names the dossier, and the record's digest proves the rest.
 */
export function maskedFileLink(link: string): string {
  const bare = link.split(/[?#]/)[0]!;
  return `${bare.slice(0, bare.lastIndexOf('/') + 1)}${MASKED}`;
}

/** The SHA-256 (hex) of a request body as sent. */
export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** A receiver's answer as recorded: at most 4 KiB of it. */
export function recordedResponse(text: string): string {
  return text.length > 4096 ? `${text.slice(0, 4096)}…(${text.length} characters)` : text;
}
