import { type LocalDate, pad2 } from '../calendar/vietnam-time.js';
import { FEEDBACK_ID_PATTERN } from './commands.js';

/** The unit codes a feedback id can name (QCVN 102:2016's four groups, e.g. 000.01.01.H99). */
export const FEEDBACK_UNIT_PATTERN = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$/;

/** `PAKN-<unit>-<YYMMDD>-<NNNN>`: the receiving unit, the day (Vietnam time) it was received, that day's serial there. */
export function formatFeedbackId(parts: { readonly agencyCode: string; readonly receivedDate: LocalDate; readonly serial: number }): string {
  if (!Number.isSafeInteger(parts.serial) || parts.serial < 1) throw new RangeError(`feedback serial must be a positive whole number, got ${parts.serial}`);
  const { year, month, day } = parts.receivedDate;
  const id = `PAKN-${parts.agencyCode}-${pad2(year % 100)}${pad2(month)}${pad2(day)}-${String(parts.serial).padStart(4, '0')}`;
  if (!FEEDBACK_ID_PATTERN.test(id)) throw new RangeError(`agency code "${parts.agencyCode}" cannot name a feedback item: ids are PAKN-<NNN.NN.NN.XXX>-<YYMMDD>-<serial>`);
  return id;
}
