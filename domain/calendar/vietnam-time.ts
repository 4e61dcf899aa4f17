// Legal time in Vietnam: Asia/Ho_Chi_Minh is UTC+7 all year, with no daylight saving since 1975,
// so a fixed offset is exact and keeps this module free of any time-zone database (it runs inside
// the Temporal workflow sandbox and in the audit replay, which must agree to the minute).
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

/** A calendar date in Vietnam, without a time of day. */
export interface LocalDate {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  /** 1 to 31. */
  readonly day: number;
}

/** The calendar date in Vietnam at the given instant. */
export function vietnamDateOf(instant: Date): LocalDate {
  const shifted = new Date(instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** `YYYY-MM-DD`, the ISO form used in the database and the API. */
export function formatIsoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** `dd/mm/yyyy hh:mm` in Vietnam time, as registers and forms write a moment. */
export function formatVietnameseDateTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  const date = vietnamDateOf(instant);
  return `${pad2(date.day)}/${pad2(date.month)}/${date.year} ${pad2(shifted.getUTCHours())}:${pad2(shifted.getUTCMinutes())}`;
}

/** The instant a Vietnamese calendar day (`YYYY-MM-DD`) begins: its midnight at UTC+7. */
export function startOfVietnamDay(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+07:00`);
}

/**
 * A date as Vietnamese documents write it (Decree 30/2020, Appendix I): days below 10 and the months
 * January and February take a leading zero, e.g. "ngày 05 tháng 02 năm 2026", "ngày 14 tháng 3 năm 2026".
 */
export function formatVietnameseLongDate(instant: Date): string {
  const { year, month, day } = vietnamDateOf(instant);
  return `ngày ${pad2(day)} tháng ${month <= 2 ? pad2(month) : month} năm ${year}`;
}

/** A moment as forms write it: "09 giờ 00 phút, ngày 02/03/2026". */
export function formatVietnameseMoment(instant: Date): string {
  const shifted = new Date(instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  const { year, month, day } = vietnamDateOf(instant);
  return `${pad2(shifted.getUTCHours())} giờ ${pad2(shifted.getUTCMinutes())} phút, ngày ${pad2(day)}/${pad2(month)}/${year}`;
}

/** A date as forms write it in a line: "02/03/2026". */
export function formatVietnameseShortDate(instant: Date): string {
  const { year, month, day } = vietnamDateOf(instant);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}
