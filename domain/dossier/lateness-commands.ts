// The commands of a late dossier (docs/lifecycle.md): the apology for lateness to the applicant and
// the accountability explanation to the head of the agency.
import { z } from 'zod';
import { dossierCommand, text } from './command-envelope.js';

/** Apology for lateness, past the appointment in force: the reason and, until the result is ready, a new appointment (never moves the due time). */
export const issueLatenessApologySchema = dossierCommand('IssueLatenessApology', { reason: text(2000), newAppointment: z.iso.datetime({ offset: true }).optional() });
/** The accountability explanation (giải trình) of the agency responsible for an overdue dossier, to its head. */
export const recordLatenessExplanationSchema = dossierCommand('RecordLatenessExplanation', { reason: text(4000) });
