import { z } from 'zod';
import { lineText } from '../text.js';
import { AGENCY_CODE_PATTERN } from './dossier-code.js';

/** Who may act on a dossier. The API's token decides the role; the domain only records it. */
// `portal`: a public-service portal's system account, allowed only the intake of online submissions.
// `interagency`: another agency's own system answering for a step it carries out (docs/integrations.md#interagency);
// never a token's role: the engine records it when it applies the system's signed answer.
// `ministry-system`: a ministry's own system pushing mirrors of the dossiers it handles (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere);
// it sends no command to a dossier of the engine's.
// `citizen`: the applicant (or whoever holds the receipt's code and secret) acting on their own
// dossier or feedback through the public routes (docs/citizens.md); never a token's role.
// `payment-platform`: the national portal's payment platform confirming an online payment
// (docs/integrations.md#online-payment); never a token's role: the engine records it when it
// applies a verified callback or query answer.
export const ROLES = ['reception', 'officer', 'head', 'auditor', 'admin', 'portal', 'system', 'interagency', 'ministry-system', 'citizen', 'payment-platform'] as const;
export type Role = (typeof ROLES)[number];

export const agencyCodeSchema = z
  .string()
  .regex(AGENCY_CODE_PATTERN, 'must be an agency identifier under QCVN 102:2016, e.g. 000.00.31.H38');

/** The person or process behind a command, recorded on every event it causes. */
export const actorSchema = z.object({
  userId: lineText(200).min(1),
  role: z.enum(ROLES),
  agencyCode: agencyCodeSchema,
});
export type Actor = z.infer<typeof actorSchema>;
