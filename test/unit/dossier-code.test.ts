import { describe, expect, it } from 'vitest';
import { formatDossierCode, isDossierCode, parseDossierCode } from '../../domain/dossier/dossier-code.js';

describe('dossier code <agency>-YYMMDD-NNNN', () => {
  it('matches the example of Circular 01/2018 for the fifth dossier of 1 July 2025', () => {
    const code = formatDossierCode({ agencyCode: '000.00.31.H38', receptionDate: { year: 2025, month: 7, day: 1 }, serial: 5 });
    expect(code).toBe('000.00.31.H38-250701-0005');
  });

  it('reads a code back into the same parts', () => {
    expect(parseDossierCode('000.00.31.H38-250701-0005')).toEqual({
      agencyCode: '000.00.31.H38',
      receptionDate: { year: 2025, month: 7, day: 1 },
      serial: 5,
    });
  });

  it('widens the serial past 9999 instead of refusing the 10,000th dossier of a day', () => {
    const code = formatDossierCode({ agencyCode: 'H38', receptionDate: { year: 2026, month: 1, day: 2 }, serial: 10_000 });
    expect(code).toBe('H38-260102-10000');
    expect(parseDossierCode(code)?.serial).toBe(10_000);
  });

  it.each([
    ['lower-case agency', '000.00.31.h38-250701-0005'],
    ['month 13', '000.00.31.H38-251301-0005'],
    ['day 00', '000.00.31.H38-250700-0005'],
    ['three-digit serial', '000.00.31.H38-250701-005'],
    ['no agency', '-250701-0005'],
    ['free text', 'hồ sơ số 5'],
  ])('rejects a code with %s', (_label, code) => {
    expect(isDossierCode(code)).toBe(false);
  });

  it('refuses to format an agency code outside QCVN 102:2016 or a serial below 1', () => {
    expect(() => formatDossierCode({ agencyCode: 'h38', receptionDate: { year: 2026, month: 1, day: 2 }, serial: 1 })).toThrow(/QCVN 102/);
    expect(() => formatDossierCode({ agencyCode: 'H38', receptionDate: { year: 2026, month: 1, day: 2 }, serial: 0 })).toThrow(/positive/);
  });
});
