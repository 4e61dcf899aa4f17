import { type LocalDate, pad2 } from '../calendar/vietnam-time.js';

// Dossier code (mã số hồ sơ): `<receiving agency code>-YYMMDD-NNNN`, e.g. `000.00.31.H38-250701-0005`.
// The agency part is the receiving agency's identifier under QCVN 102:2016; YYMMDD is the reception
// date; NNNN the dossier's serial number for that agency and day, from 0001.
// Circular 01/2018/TT-VPCP art. 19, Decree 61/2018/NĐ-CP art. 26; re-regulated by Circular
// 03/2025/TT-VPCP, whose text we have not verified (docs/rules.md).

/** Agency identifiers: groups of digits and capital letters separated by dots (QCVN 102:2016). */
export const AGENCY_CODE_PATTERN = /^[0-9A-Z]{1,8}(\.[0-9A-Z]{1,8}){0,5}$/;

/**
 * The serial part has four digits. A centre receiving more than 9,999 dossiers in a day gets a
 * five-digit serial rather than a refusal: the code stays unique and sortable within the day.
 */
export const SERIAL_MIN_DIGITS = 4;

const DOSSIER_CODE_PATTERN = /^([0-9A-Z]{1,8}(?:\.[0-9A-Z]{1,8}){0,5})-(\d{2})(\d{2})(\d{2})-(\d{4,})$/;

export interface DossierCodeParts {
  readonly agencyCode: string;
  readonly receptionDate: LocalDate;
  readonly serial: number;
}

export function formatDossierCode(parts: DossierCodeParts): string {
  if (!AGENCY_CODE_PATTERN.test(parts.agencyCode)) {
    throw new RangeError(`agency code "${parts.agencyCode}" does not follow QCVN 102:2016 (digits and capitals in dot-separated groups)`);
  }
  if (!Number.isSafeInteger(parts.serial) || parts.serial < 1) {
    throw new RangeError(`dossier serial must be a positive whole number, got ${parts.serial}`);
  }
  const { year, month, day } = parts.receptionDate;
  const yymmdd = `${pad2(year % 100)}${pad2(month)}${pad2(day)}`;
  return `${parts.agencyCode}-${yymmdd}-${String(parts.serial).padStart(SERIAL_MIN_DIGITS, '0')}`;
}

/**
 * Reads a dossier code back into its parts, or returns undefined if it is not one. Two-digit years
 * are read as 20YY: the format itself cannot tell centuries apart.
 */
export function parseDossierCode(code: string): DossierCodeParts | undefined {
  const match = DOSSIER_CODE_PATTERN.exec(code);
  if (!match) return undefined;
  const [, agencyCode, yy, mm, dd, serial] = match as unknown as [string, string, string, string, string, string];
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return {
    agencyCode,
    receptionDate: { year: 2000 + Number(yy), month, day },
    serial: Number(serial),
  };
}

export function isDossierCode(code: string): boolean {
  return parseDossierCode(code) !== undefined;
}
