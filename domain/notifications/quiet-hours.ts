// Quiet hours (docs/integrations.md#who-is-told-on-which-channels-and-when): a text message is not sent at night. A notice
// planned in the quiet hours waits for their end, in Vietnam time (UTC+7, no daylight saving).

export interface QuietHours {
  /** "HH:MM", Vietnam time: from when nothing is sent… */
  readonly from: string;
  /** …until when (may be the next morning). */
  readonly to: string;
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

function minutesOf(clock: string): number {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(clock);
  if (!match) throw new Error(`quiet hours: "${clock}" is not a time of day as HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The instant a message planned at `at` may go out: `at` itself outside the quiet hours. */
export function afterQuietHours(at: string, quiet: QuietHours | undefined): string {
  if (!quiet) return at;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return at;
  const local = Date.parse(at) + VIETNAM_OFFSET_MS;
  const dayStart = local - (local % 86_400_000);
  const minute = Math.floor((local - dayStart) / 60_000);
  const quietNow = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!quietNow) return at;
  // The end of this quiet spell: `to` today, or tomorrow when the spell started before midnight.
  const endDay = from > to && minute >= from ? dayStart + 86_400_000 : dayStart;
  return new Date(endDay + to * 60_000 - VIETNAM_OFFSET_MS).toISOString();
}
