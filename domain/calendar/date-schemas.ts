// The zod forms of a calendar date and a time of day, shared by every schema that takes them.
import { z } from 'zod';
import { civilDayFromIso } from './civil-day.js';

export const isoDateSchema = z.string().refine((value) => {
  try {
    civilDayFromIso(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a calendar date written YYYY-MM-DD');

export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day written HH:MM (24-hour clock)');
