// The command that brings a calendar amendment into an open dossier (docs/deadlines.md).
import { z } from 'zod';
import { calendarAmendmentSchema } from '../calendar/calendar-schemas.js';
import { dossierCommand } from './command-envelope.js';

/**
 * Adopt a calendar amendment (a swap, an extra day off, a year's official schedule) announced while
 * the dossier is open: sent by the engine's roll-out to every open accepted dossier when an admin
 * loads the amendment, with its data, never by a person. Its days apply from the day after the
 * adoption on; the days already lived keep what they were (docs/deadlines.md).
 * Shape: `{ type, commandId, actor: { role: 'system', … }, dossierCode, calendarId, amendment }`.
 */
export const adoptCalendarAmendmentSchema = dossierCommand('AdoptCalendarAmendment', {
  calendarId: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('The holiday calendar amended, e.g. vn-civil-service'),
  amendment: calendarAmendmentSchema,
});
export type AdoptCalendarAmendment = z.infer<typeof adoptCalendarAmendmentSchema>;
