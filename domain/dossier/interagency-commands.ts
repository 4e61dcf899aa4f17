// The commands and fields that carry what an outside system did with a step it carries out
// (docs/integrations.md#interagency). The inbox turns each answer of a system into one of the
// commands an officer would send (CompleteStep, SendStepBack, RequestSupplement,
// RequestFinancialObligation, RecordPayment), with the fields below that only a system's answer
// fills: the files it returned, stored by the engine first, and the registration it recorded.
// The outbox records the hand-off itself. Only the `interagency` role sends these fields and
// commands; the API's own bodies do not offer them.
import { z } from 'zod';
import { isoDateSchema } from '../calendar/date-schemas.js';
import { storedFileSchema } from '../files/file-model.js';
import { INTERAGENCY_SYSTEMS } from '../interagency/systems.js';
import { lineText } from '../text.js';
import { dossierCommand, stepCommand, text } from './command-envelope.js';

/**
 * The run of the step the hand-off named, which the system's answer repeats: an answer for a run
 * that has ended (the step was sent back and handed over again) is refused, not applied to the new run.
 */
const answeredRun = { run: z.number().int().min(1).optional() };

export const systemAnswerFields = {
  /** SendStepBack and RequestSupplement carry only the run. */
  stepRun: answeredRun,
  completeStep: {
    ...answeredRun,
    resultFile: storedFileSchema.optional(),
    registration: z.object({ system: z.enum(INTERAGENCY_SYSTEMS), number: lineText(100).min(1), book: lineText(200).min(1).optional() }).strict().optional(),
  },
  financialObligation: {
    ...answeredRun,
    dueDate: isoDateSchema.optional(),
    noticeFile: storedFileSchema.optional(),
  },
  payment: {
    receiptFile: storedFileSchema.optional(),
    paidAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * The national payment platform's confirmation (docs/integrations.md#online-payment): the payment
     * request it settles (our MaThamChieu), the platform's transaction id (MaGiaoDich) and the bank.
     * Only the `payment-platform` role sends it, after the callback's or the query's MaXacThuc checked.
     */
    platformPayment: z
      .object({ reference: lineText(100).min(1), transactionId: lineText(100).min(1), bankCode: lineText(50).min(1).optional() })
      .strict()
      .optional(),
  },
} as const;

// The names of the fields above, and which command takes which: in ./system-only-fields.ts, free of
// zod, since the decider (bundled into the workflow) checks them.
export { SYSTEM_ONLY_FIELDS, SYSTEM_ONLY_FIELDS_OF, systemOnlyOmit, type SystemOnlyField, type CommandWithSystemFields } from './system-only-fields.js';

/** The outbox delivered a step's hand-off to its system (form 06's hand-off time). */
export const recordStepHandOffSchema = dossierCommand('RecordStepHandOff', {
  stepId: lineText(200).min(1),
  run: z.number().int().min(1),
  system: z.enum(INTERAGENCY_SYSTEMS),
  reference: lineText(200).min(1).optional(),
});

/** A system's progress report on a step it holds. */
export const reportExternalProgressSchema = stepCommand('ReportExternalProgress', {
  run: z.number().int().min(1),
  status: lineText(200).min(1),
  note: text(2000).optional(),
  reportedAt: z.iso.datetime({ offset: true }),
});
