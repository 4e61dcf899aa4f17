/**
 * A command the rules refuse. `code` is stable (clients branch on it), `message` says what was
 * wrong and what to do, and `rule` names where the rule comes from so anyone can check it.
 */
export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  readonly rule: string;
  /** The command field at fault, when there is one. */
  readonly field?: string;
}

export const DOMAIN_ERROR_CODES = [
  'COMMAND_FOR_ANOTHER_DOSSIER',
  'DOSSIER_ALREADY_RECEIVED',
  'DOSSIER_CODE_MISMATCH',
  'DOSSIER_NOT_RECEIVED',
  'DOSSIER_CLOSED',
  'COMMAND_OUT_OF_ORDER',
  'ROLE_NOT_ALLOWED',
  'NOT_THE_RECEIVING_CENTRE',
  'NOT_THE_COMPETENT_AGENCY',
  'AGENCY_DOES_NOT_HOLD_STEP',
  'SYSTEM_DOES_NOT_HOLD_STEP',
  'STEP_NOT_HANDED_TO_SYSTEM',
  'STEP_RUN_ENDED',
  // Not the decider's: a mirror never reaches it. Listed here so GET /dossiers/{code}/actions can
  // give it as the reason each command is unavailable on a mirror (api/routes/dossier-actions.ts).
  'DOSSIER_MIRRORED',
  'SYSTEM_ONLY_FIELD',
  'NO_OBLIGATION_PENDING',
  'PAYMENT_AMOUNT_MISMATCH',
  'STEP_NOT_IN_HAND',
  'PROCEDURE_MISMATCH',
  'PROCEDURE_NOT_IN_FORCE',
  'AGENCY_NOT_PINNED',
  'UNKNOWN_CALENDAR',
  'REQUIRED_COMPONENTS_MISSING',
  'UNKNOWN_COMPONENT',
  'SUPPLEMENT_ALREADY_REQUESTED',
  'SUPPLEMENT_REQUEST_TOO_LATE',
  'ANOTHER_SUPPLEMENT_NEEDS_REASON',
  'NO_PREVIOUS_STAGE',
  'CONSULTATION_ALREADY_EXISTS',
  'CONSULTATION_NOT_FOUND',
  'CONSULTATION_ALREADY_ANSWERED',
  'STEPS_NOT_COMPLETED',
  'EXTENSION_ALREADY_GRANTED',
  'EXTENSION_TOO_LATE',
  'NEW_APPOINTMENT_NOT_LATER',
  'EARLY_RETURN_NOT_NOTIFIED',
  'WITHDRAWAL_TOO_LATE',
  'EVALUATION_ALREADY_RECORDED',
  'EVALUATION_NOT_OPEN',
  'EVALUATION_BY_CITIZEN_ONLY',
  'PAPER_FORM_BY_STAFF_ONLY',
  'PAPER_FORM_REFERENCE_REQUIRED',
  'ALERT_NOT_DUE',
  'STREAM_VERSION_MISMATCH',
  'DOCUMENT_ALREADY_RECORDED',
  'DOSSIER_NOT_LATE',
  'NOT_THE_RESPONSIBLE_AGENCY',
  'LATENESS_APOLOGY_ALREADY_ISSUED',
  'NEW_APPOINTMENT_REQUIRED',
  'NEW_APPOINTMENT_NOT_EXPECTED',
  'NEW_APPOINTMENT_OUTSIDE_OFFICE_HOURS',
  'NEW_APPOINTMENT_TOO_FAR',
  'EXPLANATION_ALREADY_RECORDED',
  'CALENDAR_AMENDMENT_BEFORE_ACCEPTANCE',
  'CALENDAR_NOT_FOLLOWED',
  'CALENDAR_AMENDMENT_ALREADY_ADOPTED',
  'CALENDAR_AMENDMENT_CONFLICT',
  'CALENDAR_AMENDMENT_OUT_OF_ORDER',
  'FILE_ALREADY_ATTACHED',
  'COMPONENT_FILE_NOT_FOUND',
  'FILE_ALREADY_APPROVED',
  'FILE_ORIGIN_NOT_ALLOWED',
  'ONLINE_SUBMISSION_REQUIRED',
  'RESULT_SIGNATURE_INVALID',
  'RESULT_NOT_SIGNED_BY_COMPETENT_BODY',
  // The feedback (PAKN) rules' own (domain/feedback/decide-feedback.ts); they share the codes above
  // that mean the same (ROLE_NOT_ALLOWED, ALERT_NOT_DUE, DOCUMENT_ALREADY_RECORDED, STREAM_VERSION_MISMATCH).
  'FEEDBACK_NOT_RECEIVED',
  'FEEDBACK_ALREADY_RECEIVED',
  'FEEDBACK_CLOSED',
  'FEEDBACK_STEP_NOT_ALLOWED',
  'NOT_THE_HANDLING_UNIT',
  'FEEDBACK_NOT_THE_SENDER',
  'FEEDBACK_NOT_CLASSIFIED',
  'FEEDBACK_TRANSFER_TO_SAME_UNIT',
  'FEEDBACK_ANSWER_DOCUMENT_PENDING',
  'FEEDBACK_CHANNEL_NOT_ALLOWED',
  'FEEDBACK_SENT_IN_FUTURE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export type Decision<E> = { readonly ok: true; readonly events: readonly E[] } | { readonly ok: false; readonly error: DomainError };

export function accept<E>(...events: E[]): Decision<E> {
  return { ok: true, events };
}

export function refuse<E>(error: DomainError): Decision<E> {
  return { ok: false, error };
}
