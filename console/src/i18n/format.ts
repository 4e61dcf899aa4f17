// Dates, times, numbers and money as Vietnamese forms write them, always in Vietnam's time zone:
// 02/12/2026, 14:30 02/12/2026, 12.500.000 đồng (docs/console.md#languages).
import { type Language, TIME_ZONE } from './i18n';

const locale = (language: Language) => (language === 'vi' ? 'vi-VN' : 'en-GB');
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale(language), { timeZone: TIME_ZONE, ...options });
    cache.set(key, format);
  }
  return format;
}

/** A day: 02/12/2026. Takes an instant or a civil date (YYYY-MM-DD, read as that day in Vietnam). */
export function formatDate(value: string | null | undefined, language: Language): string {
  if (!value) return '—';
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+07:00`) : new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return formatter(language, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(instant);
}

/** An instant: 14:30, 02/12/2026 (time first, as Vietnamese receipts write it). */
export function formatDateTime(value: string | null | undefined, language: Language): string {
  if (!value) return '—';
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  const time = formatter(language, { hour: '2-digit', minute: '2-digit', hour12: false }).format(instant);
  return language === 'vi' ? `${time}, ${formatDate(value, language)}` : `${formatDate(value, language)} ${time}`;
}

export function formatNumber(value: number, language: Language, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale(language), { maximumFractionDigits: fractionDigits, minimumFractionDigits: fractionDigits }).format(value);
}

/** An amount in đồng: 12.500.000 đ. */
export function formatMoney(value: number, language: Language): string {
  return `${formatNumber(value, language)} ${language === 'vi' ? 'đ' : 'VND'}`;
}

/** A percentage: 98,5 %. */
export function formatPercent(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${formatNumber(value, language, 1)} %`;
}
