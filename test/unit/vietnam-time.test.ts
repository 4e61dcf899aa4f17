import { describe, expect, it } from 'vitest';
import { formatIsoDate, vietnamDateOf } from '../../domain/calendar/vietnam-time.js';

describe('the date in Vietnam (UTC+7)', () => {
  it('is already the next day from 17:00 UTC', () => {
    expect(vietnamDateOf(new Date('2026-02-13T16:59:59.999Z'))).toEqual({ year: 2026, month: 2, day: 13 });
    expect(vietnamDateOf(new Date('2026-02-13T17:00:00.000Z'))).toEqual({ year: 2026, month: 2, day: 14 });
  });

  it('turns the year at 17:00 UTC on 31 December', () => {
    expect(formatIsoDate(vietnamDateOf(new Date('2025-12-31T17:00:00Z')))).toBe('2026-01-01');
  });
});
