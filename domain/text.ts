import { z } from 'zod';

// One rule for every string the engine accepts, wherever it comes from (a request's body, query or
// path, a catalogue file): it must be text that PostgreSQL can store and a document can print.
// PostgreSQL's jsonb refuses NUL (U+0000) outright; the other C0 and C1 control characters and
// DEL print as nothing or as garbage on a receipt; a lone UTF-16 surrogate is not a character at
// all (JSON.stringify escapes it, a UTF-8 encoder replaces it). Free text may keep tab and the two
// line breaks; a single line keeps none. Patterns rather than refinements, so the OpenAPI document
// shows them to client generators.

/** A single line: no control characters at all, no lone surrogates. */
export const SINGLE_LINE_PATTERN = /^[^\u0000-\u001F\u007F-\u009F\p{Cs}]*$/u;
/** Free text over several lines: tab, line feed and carriage return allowed. */
export const MULTILINE_PATTERN = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cs}]*$/u;
/**
 * A person's or an organisation's name: letters with their marks (Vietnamese diacritics), digits,
 * spaces and the punctuation names carry (Công ty TNHH "An Phát" & Co., Nguyễn Thị Ánh-Dương).
 */
export const NAME_PATTERN = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,'’"“”()&/-]*$/u;

export const CONTROL_CHARACTERS_MESSAGE =
  'must not contain control characters such as NUL (U+0000) or an unpaired UTF-16 surrogate; remove them';
const MULTILINE_MESSAGE = 'must not contain control characters such as NUL (U+0000) other than tab and line breaks, nor an unpaired UTF-16 surrogate; remove them';
const NAME_MESSAGE = 'must be a name: letters, digits, spaces and . , \' " ( ) & / - only, starting with a letter or digit';

/**
 * Text kept as it is (not trimmed, may be empty), at most `max` characters: on one line (an
 * identifier, a number on a document), or over several where the text is a machine's report.
 */
export function storableText(max: number, { multiline = false }: { readonly multiline?: boolean } = {}) {
  return z.string().max(max).regex(multiline ? MULTILINE_PATTERN : SINGLE_LINE_PATTERN, multiline ? MULTILINE_MESSAGE : CONTROL_CHARACTERS_MESSAGE);
}

/** Text on one line, at most `max` characters. */
export const lineText = (max: number) => storableText(max);

/**
 * Free text a person wrote: trimmed, not empty, at most `max` characters; `multiline` where a line
 * break makes sense (a reason, a note, a question).
 */
export function freeText({ max, multiline = false }: { readonly max: number; readonly multiline?: boolean }) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(multiline ? MULTILINE_PATTERN : SINGLE_LINE_PATTERN, multiline ? MULTILINE_MESSAGE : CONTROL_CHARACTERS_MESSAGE);
}

/** A person's or an organisation's name, trimmed, at most `max` characters. */
export function nameText(max: number) {
  return z.string().trim().min(1).max(max).regex(SINGLE_LINE_PATTERN, CONTROL_CHARACTERS_MESSAGE).regex(NAME_PATTERN, NAME_MESSAGE);
}

/** Whether a string can be stored and printed as it is (for inputs no schema reads: headers, files). */
export function isStorableText(value: string, { multiline = false }: { readonly multiline?: boolean } = {}): boolean {
  return (multiline ? MULTILINE_PATTERN : SINGLE_LINE_PATTERN).test(value);
}

/** The text with every lone surrogate replaced by U+FFFD: what can always be encoded when echoed. */
export function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}
