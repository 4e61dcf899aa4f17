// The forms of what a request names in its path, query and headers, each one zod schema that both
// validates the request and writes its pattern into the OpenAPI document. A check the document
// cannot show (a `.refine()`) would let a client generated from it send what the API refuses, so
// every form here is a `.regex()`; where a pattern alone cannot say everything (a calendar date), a
// `.pipe()` into the full check keeps the pattern in the document and a single error per field.
import { z } from 'zod';
import { isoDateSchema } from '../domain/calendar/date-schemas.js';
import { PROCEDURE_CODE_PATTERN } from '../domain/catalogue/procedure.js';
import { AGENCY_CODE_PATTERN } from '../domain/dossier/dossier-code.js';

const agencyPart = AGENCY_CODE_PATTERN.source.slice(1, -1);
/** YYMMDD with a month 01–12 and a day 01–31, as parseDossierCode reads it (domain/dossier/dossier-code.ts). */
const receptionDatePart = '\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
const dossierCodePart = `${agencyPart}-${receptionDatePart}-\\d{4,}`;

/** A dossier code (Circular 01/2018/TT-VPCP art. 19): exactly the codes isDossierCode accepts. */
export const DOSSIER_CODE_PATTERN = new RegExp(`^${dossierCodePart}$`);
export const dossierCodeSchema = z.string().regex(DOSSIER_CODE_PATTERN, 'must be a dossier code such as 000.00.31.H38-250701-0005');
export const dossierCodeParams = z.object({ code: dossierCodeSchema });

/** The code of an issued result: its dossier's code and its number, `-KQ<n>`. */
export const resultCodeSchema = z.string().regex(new RegExp(`^${dossierCodePart}-KQ\\d+$`), 'must be a result code such as 000.00.31.H38-250701-0005-KQ1');

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256 digest');

export const procedureCodeSchema = z.string().max(50).regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193');

/** The receipt's lookup secret as a citizen may type it: any case, with spaces or dashes. */
export const lookupSecretQuery = z.object({
  secret: z.string().regex(/^[0-9A-Za-z -]{1,40}$/, 'must be the lookup secret printed on the receipt (letters and digits)').describe('Mã tra cứu printed on the receipt'),
});

/** A page cursor this API gave out: base64url, checked against its content when it comes back (api/cursor.ts). */
export const cursorSchema = z.string().max(500).regex(/^[A-Za-z0-9_-]*$/, 'is not a cursor of this API').describe('nextCursor of the previous page');

/** A calendar day, YYYY-MM-DD: the pattern for the document, then the calendar's own check. */
export const calendarDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a calendar date written YYYY-MM-DD').pipe(isoDateSchema);

export const instantSchema = z.iso.datetime({ offset: true });

/** `true` or `false`, as a query string writes them. */
export const booleanQuery = z.enum(['true', 'false']);

/** The Idempotency-Key header, as api/idempotency.ts reads it. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, 'must be 1 to 200 visible ASCII characters');
