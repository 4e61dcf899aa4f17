// The pure parts of the public pages: which periods a unit publishes results for, and a procedure
// as the public catalogue shows it (domain/reporting/published-period.ts, domain/catalogue/public-procedure.ts).
import { describe, expect, it } from 'vitest';
import { competentAgenciesOn, publicProcedureOf, timeLimitLabel } from '../../domain/catalogue/public-procedure.js';
import { catalogueFileSchema } from '../../domain/catalogue/catalogue-file.js';
import { readCatalogueFile } from '../../db/catalogue.js';
import { isPublishedPeriodRefusal, latestPublishedMonth, publishedPeriod } from '../../domain/reporting/published-period.js';

// 3 December 2026, 08:00 in Vietnam.
const NOW = new Date('2026-12-03T01:00:00Z');

describe('published periods', () => {
  it('a month, a quarter or a year that has ended, in Vietnam time', () => {
    expect(publishedPeriod('2026-03', NOW)).toEqual({ period: '2026-03', kind: 'month', from: new Date('2026-02-28T17:00:00Z'), to: new Date('2026-03-31T17:00:00Z'), firstDay: '2026-03-01', lastDay: '2026-03-31' });
    expect(publishedPeriod('2026-Q3', NOW)).toMatchObject({ kind: 'quarter', firstDay: '2026-07-01', lastDay: '2026-09-30', to: new Date('2026-09-30T17:00:00Z') });
    expect(publishedPeriod('2025', NOW)).toMatchObject({ kind: 'year', firstDay: '2025-01-01', lastDay: '2025-12-31' });
    expect(publishedPeriod('2024-02', NOW)).toMatchObject({ lastDay: '2024-02-29' });
    expect(publishedPeriod('2026-11', NOW)).toMatchObject({ lastDay: '2026-11-30' });
  });

  it('refuses a period under way or to come, naming the last month ended', () => {
    for (const period of ['2026-12', '2026-Q4', '2026', '2027-01']) {
      const refusal = publishedPeriod(period, NOW);
      expect(isPublishedPeriodRefusal(refusal) && refusal.code, period).toBe('RESULTS_PERIOD_NOT_PUBLISHED');
      expect(isPublishedPeriodRefusal(refusal) && refusal.message).toContain('2026-11');
    }
  });

  it('a month ends at midnight in Vietnam, not in UTC', () => {
    // 30 November 2026 at 23:30 in Vietnam: November is still under way.
    expect(isPublishedPeriodRefusal(publishedPeriod('2026-11', new Date('2026-11-30T16:30:00Z')))).toBe(true);
    expect(isPublishedPeriodRefusal(publishedPeriod('2026-11', new Date('2026-11-30T17:00:00Z')))).toBe(false);
    expect(latestPublishedMonth(new Date('2027-01-01T00:00:00Z'))).toBe('2026-12');
  });

  it('refuses what names no period, or one before the register', () => {
    for (const period of ['2026-13', '2026-Q5', '26-03', '1999']) expect(isPublishedPeriodRefusal(publishedPeriod(period, NOW)), period).toBe(true);
  });
});

describe('a procedure in the public catalogue', () => {
  const catalogue = catalogueFileSchema.parse(readCatalogueFile('catalogue/sample-catalogue.json'));
  const business = catalogue.procedures.find((procedure) => procedure.code === '2.000720')!;
  const birthByRole = catalogue.procedures.find((procedure) => procedure.code === '1.001193' && procedure.competentRole !== undefined)!;

  it('shows what to bring, the fees, the time limit, the legal basis and whether online, and none of the route', () => {
    const shown = publicProcedureOf(business, ['000.03.01.H99'], new Map([['000.03.01.H99', 'Phòng Kinh tế']]));
    expect(shown).toMatchObject({
      code: '2.000720',
      legalBasis: 'Nghị định 01/2021/NĐ-CP, Điều 87',
      competentAgencies: [{ agencyCode: '000.03.01.H99', name: 'Phòng Kinh tế' }],
      timeLimit: { unit: 'working-days', amount: 3, label: '3 ngày làm việc' },
      online: { level: 'full', label: 'Dịch vụ công trực tuyến toàn trình' },
      fees: [{ name: 'Lệ phí đăng ký hộ kinh doanh', amountVnd: 100_000 }],
    });
    expect(shown.components).toContainEqual({ id: 'family-agreement', name: expect.any(String), form: 'original', formLabel: 'Bản chính', count: 1, required: false });
    expect(Object.keys(shown)).not.toContain('route');
    expect(JSON.stringify(shown)).not.toContain('business-registration');
  });

  it('is competent where it names an agency, or where the directory gives the role that day', () => {
    expect(competentAgenciesOn(business, catalogue.directory ?? null, '2026-12-03')).toEqual(['000.03.01.H99']);
    expect(competentAgenciesOn(birthByRole, catalogue.directory ?? null, '2026-12-03')).toEqual(['000.02.01.H99', '000.02.02.H99']);
    expect(competentAgenciesOn(birthByRole, catalogue.directory ?? null, '2025-06-30')).toEqual([]);
    expect(competentAgenciesOn(birthByRole, null, '2026-12-03')).toEqual([]);
  });

  it('words each time limit as a citizen reads it', () => {
    expect(timeLimitLabel({ unit: 'same-day' })).toBe('Trong ngày');
    expect(timeLimitLabel({ unit: 'working-hours', amount: 4 })).toBe('4 giờ làm việc');
    expect(timeLimitLabel({ unit: 'calendar-days', amount: 30 })).toBe('30 ngày');
  });
});
