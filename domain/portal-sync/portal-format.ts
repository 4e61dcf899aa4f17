// How the national portal wants its values written (docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc): every value
// a string, instants as yyyyMMddHHmmss in Asia/Ho_Chi_Minh, text on one line within the lengths the
// public client code truncates to. Pure: the projection of the payload and the progress rows share it.
import { pad2, VIETNAM_UTC_OFFSET_MINUTES } from '../calendar/vietnam-time.js';

/** The lengths Thanh Hóa's client truncates to (docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc): the portal's column widths, as far as public code shows. */
export const PORTAL_TEXT_LIMITS = {
  summary: 1000,
  handler: 50,
  fileName: 4000,
  resultName: 2000,
  /** Not seen in code: a generous line for names of units, procedures and progress texts [guess]. */
  line: 2000,
} as const;

/** An ISO instant as the portal writes it: yyyyMMddHHmmss in Vietnam time (UTC+7, no daylight saving); '' when absent or unreadable. */
export function portalDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const shifted = new Date(time + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return `${String(shifted.getUTCFullYear()).padStart(4, '0')}${pad2(shifted.getUTCMonth() + 1)}${pad2(shifted.getUTCDate())}${pad2(shifted.getUTCHours())}${pad2(shifted.getUTCMinutes())}${pad2(shifted.getUTCSeconds())}`;
}

// C0/C1 controls (line breaks and tabs among them), DEL, lone surrogates, and the Unicode line and
// paragraph separators: a portal column is one line, and a receiver's parser must not meet them.
const NOT_ON_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\p{Cs}]+/gu;

/**
 * Text as one portal column holds it: NFC (the portal compares Vietnamese text composed), every
 * control character and line break a space, runs of spaces one, trimmed, and at most `max`
 * characters (code points, so a character is never cut in half).
 */
export function portalText(value: string | null | undefined, max: number): string {
  if (!value) return '';
  const line = value.normalize('NFC').replace(NOT_ON_ONE_LINE, ' ').replace(/\s+/gu, ' ').trim();
  const characters = [...line];
  return characters.length <= max ? line : characters.slice(0, max).join('').trimEnd();
}
