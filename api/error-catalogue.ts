// Every error code the API can answer, with its HTTP status, the rule behind it and what the caller
// should do. The dossier's rules define their codes in domain/dossier/errors.ts (the decider returns
// them); the codes below them are the API's own. A code missing here fails to compile, and
// docs/errors.md is generated from this table (npm run docs:errors).
import { DOMAIN_ERROR_CODES, type DomainErrorCode } from '../domain/dossier/errors.js';
import { FILE_REFUSAL_CODES, type FileRefusalCode } from '../domain/files/file-rules.js';
import type { MirrorErrorCode } from '../domain/mirror/decide-mirror.js';

/** Codes only the API answers: checks made before a command reaches its dossier, and the service's own state. */
export const API_ERROR_CODES = [
  'UNKNOWN_RECEIVING_CENTRE',
  'UNKNOWN_PROCEDURE',
  'WORKFLOW_NOT_RUNNING',
  'COMMAND_NOT_ANSWERED',
  'IDEMPOTENCY_KEY_REUSED',
  'CATALOGUE_REFUSED',
  'REPORT_OUTSIDE_UNIT',
  'METHOD_NOT_ALLOWED',
  'EVENT_NOT_STORABLE',
  'UNKNOWN_LOCALITY',
  'JURISDICTION_UNRESOLVED',
  'CALENDAR_AMENDMENT_REFUSED',
  'REPORT_PERIOD_REVERSED',
  'REPORT_PERIOD_TOO_LONG',
  'REPORT_PERIOD_OUT_OF_RANGE',
  'REPORT_AS_OF_OUT_OF_RANGE',
  'RESULTS_PERIOD_NOT_PUBLISHED',
  'RESULT_FILE_MISSING',
  'RESULT_NOT_A_PDF',
  'RESULT_FILE_TOO_LARGE',
  'UPLOAD_NOT_MULTIPART',
  'UPLOAD_FILE_MISSING',
  'UPLOAD_TOO_MANY_FILES',
  'UPLOAD_MALFORMED',
  'COMPONENT_NOT_REUSABLE',
  'REUSE_SOURCE_NOT_FOUND',
  'REUSE_OTHER_APPLICANT',
  'DATA_STORE_NOT_CONFIGURED',
  'DATA_STORE_UNAVAILABLE',
  'DATA_STORE_FILE_REFUSED',
  'REUSE_FILE_NOT_ACCEPTED',
  'PORTAL_SCOPE_UNIT',
  'PORTAL_SCOPE_PROCEDURE',
  'PORTAL_CHANNEL_NOT_ONLINE',
  'PORTAL_PROCEDURE_NOT_IN_FORCE',
  'PORTAL_COMPONENT_UNKNOWN',
  'PORTAL_FILE_PARTS_MISMATCH',
  'PORTAL_SUBMISSION_CONFLICT',
  'DELIVERY_NOT_FOUND',
  'DELIVERY_NOT_DEAD',
  'PORTAL_FILE_LINK_INVALID',
  'PORTAL_FILE_LINK_EXPIRED',
  'PORTAL_FILE_NOT_FOUND',
  'UNKNOWN_AGENCY',
  'MIRROR_SCOPE_UNIT',
  'MIRROR_SCOPE_PROCEDURE',
  'MIRROR_CODE_TAKEN',
  'MIRROR_REVISION_STALE',
  'MIRROR_REVISION_CONFLICT',
  'MIRROR_IMMUTABLE_CHANGED',
  'INTERAGENCY_SYSTEM_NOT_CONFIGURED',
  'INTERAGENCY_SIGNATURE_INVALID',
  'INTERAGENCY_ANSWER_CHANGED',
  'INTERAGENCY_SEQUENCE_TAKEN',
  'UNKNOWN_FEEDBACK_UNIT',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
/** The mirror decider's codes are the API's (domain/mirror/decide-mirror.ts): this fails to compile if one is missing. */
export type MirrorCodesListed = MirrorErrorCode extends ApiErrorCode ? true : never;
const mirrorCodesListed: MirrorCodesListed = true;
void mirrorCodesListed;

export type ErrorCode = DomainErrorCode | ApiErrorCode | FileRefusalCode;
export const ERROR_CODES: readonly ErrorCode[] = [...DOMAIN_ERROR_CODES, ...API_ERROR_CODES, ...FILE_REFUSAL_CODES];

/** How a code is answered: an RFC 9457 problem of this status, type and title. */
export interface ProblemKind {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 503;
  readonly type: string;
  readonly title: string;
}

export interface ErrorEntry extends ProblemKind {
  /** Where the rule comes from: a law, a standard, or a file of this repository. */
  readonly rule: string;
  /** What the caller should do about it. */
  readonly remedy: string;
}

/** A rule of the one-stop process refused the request; nothing was recorded. */
export const RULE_REFUSED = { status: 422, type: 'urn:motcua:problem:rule-refused', title: 'A rule refused the command' } as const satisfies ProblemKind;
/** Who acts, not what is asked, is at fault. */
const FORBIDDEN = { status: 403, type: 'urn:motcua:problem:forbidden', title: 'Not allowed' } as const satisfies ProblemKind;
/** A report's period or instant is outside what a report covers (docs/reports.md#bounds); nothing was read. */
const INVALID_PERIOD = { status: 400, type: 'urn:motcua:problem:invalid-period', title: 'The period is invalid' } as const satisfies ProblemKind;
/** A file the intake refused (documents/files/); nothing of it was stored. */
const FILE_REFUSED = { status: 422, type: 'urn:motcua:problem:file-refused', title: 'The file was refused' } as const satisfies ProblemKind;
/** A multipart upload the API could not read as the route expects it; nothing was stored. */
const UPLOAD_INVALID = { status: 400, type: 'urn:motcua:problem:upload-invalid', title: 'The upload is invalid' } as const satisfies ProblemKind;
const FILE_RULES = 'Files of a dossier are checked on the way in against the rules of their component: types by their bytes, size, pages (docs/documents.md#file-intake)';
const VERSION_CONFLICT = { status: 409, type: 'urn:motcua:problem:version-conflict', title: 'The dossier changed since you read it' } as const satisfies ProblemKind;

const SEND_TO_THE_RIGHT_DOSSIER = 'A client fault: send the command to the dossier it names, with the code from the receipt (form 01).';
const CONSULTATIONS = 'Each consultation is logged with its content and deadline (Decree 61/2018/NĐ-CP art. 19(5))';
const CALENDAR_ADOPTION = 'Open dossiers adopt calendar amendments for the days they have still to live (Labor Code 45/2019/QH14 art. 112(3); docs/deadlines.md#amendments-loaded-as-data-and-their-adoption)';
const APOLOGY = 'Decree 61/2018/NĐ-CP art. 19(9), as amended: apology and new appointment (form 04)';
const FILES = 'The receiving official scans or takes in the papers and approves their digitised copies; a file is never changed, only replaced (Decree 45/2020/NĐ-CP arts. 13–14; docs/files.md)';
const E_RESULT = 'The result is the file the competent body signed: an electronic result is valid when digitally signed by the competent body (Decree 45/2020/NĐ-CP art. 14; docs/decisions/0017-result-signed-by-the-competent-body.md)';
const REUSE = 'A paper already held for the same applicant is taken by reference instead of asked for again: an approved file of their earlier dossier, a result issued to them, or their e-data store (Decree 45/2020/NĐ-CP art. 15; Decree 107/2021/NĐ-CP; docs/files.md#reuse)';
const FEEDBACK_PROCESS = 'The feedback process: receive, classify, accept or refuse or transfer, ask for information, answer, publish (Decree 20/2008/NĐ-CP arts. 9, 14; Decision 766/QĐ-TTg §5.2; docs/feedback.md#the-process)';
const FEEDBACK_ROLES = 'Who handles feedback: the unit that holds the item (reception, officer, head), its head alone signs the answer (docs/feedback.md#who-may-do-what)';
const LATENESS = 'An overdue dossier owes the applicant an apology for lateness and the head of the agency an accountability explanation (Decree 61/2018/NĐ-CP art. 19(9) as amended by Decree 107/2021/NĐ-CP; Decree 118/2025/NĐ-CP as the 2026 commune plans apply it; docs/rules.md#an-apology-for-every-late-dossier)';

export const ERROR_CATALOGUE = {
  // The dossier's rules (domain/dossier/errors.ts).
  COMMAND_FOR_ANOTHER_DOSSIER: { ...RULE_REFUSED, rule: 'One event stream per dossier, written only by commands for that dossier (docs/event-store.md)', remedy: SEND_TO_THE_RIGHT_DOSSIER },
  DOSSIER_ALREADY_RECEIVED: { ...RULE_REFUSED, rule: 'One dossier code per dossier, the same for every party and channel (Decree 61/2018/NĐ-CP art. 26)', remedy: 'The dossier is already registered: read it (GET /dossiers/{code}) instead of receiving it again.' },
  DOSSIER_CODE_MISMATCH: { ...RULE_REFUSED, rule: 'Dossier code = receiving agency code, reception date YYMMDD, daily serial (Circular 01/2018/TT-VPCP art. 19)', remedy: 'Let the API allocate the code (POST /dossiers); never build one by hand.' },
  DOSSIER_NOT_RECEIVED: { ...RULE_REFUSED, rule: 'A dossier exists from its reception (Decree 61/2018/NĐ-CP art. 17)', remedy: 'Register the dossier at reception first (POST /dossiers).' },
  DOSSIER_CLOSED: { ...RULE_REFUSED, rule: 'A refused, stopped or returned dossier is final (Decree 61/2018 arts. 17, 19, 20)', remedy: 'Nothing more can be recorded on it, except the applicant’s evaluation while its window is open and a late dossier’s apology for lateness and explanation; start a new dossier if the applicant files again.' },
  COMMAND_OUT_OF_ORDER: { ...RULE_REFUSED, rule: 'The order of the one-stop process (Decree 61/2018/NĐ-CP arts. 17–20; docs/lifecycle.md)', remedy: 'Read the dossier’s status (GET /dossiers/{code}) and send a command that applies to it (docs/lifecycle.md).' },
  ROLE_NOT_ALLOWED: { ...FORBIDDEN, rule: 'Roles and agencies of the one-stop mechanism (Decree 61/2018/NĐ-CP arts. 17–20)', remedy: 'Have a person in the role the command names send it.' },
  NOT_THE_RECEIVING_CENTRE: { ...FORBIDDEN, rule: 'The one-stop centre receives, returns and speaks to the applicant (Decree 61/2018/NĐ-CP arts. 16, 17, 19(4), 20, 22)', remedy: 'Have the one-stop centre that received the dossier send the command.' },
  NOT_THE_COMPETENT_AGENCY: { ...FORBIDDEN, rule: 'The competent body decides and signs (Decree 61/2018/NĐ-CP art. 19)', remedy: 'Have the competent agency of the procedure send the command.' },
  AGENCY_DOES_NOT_HOLD_STEP: { ...FORBIDDEN, rule: 'Each body acts only on the task the transfer slip gives it (Decree 61/2018/NĐ-CP art. 19(6), (9))', remedy: 'Have the agency that holds the step send the command.' },
  SYSTEM_DOES_NOT_HOLD_STEP: { ...FORBIDDEN, rule: 'Each body acts only on the task the transfer slip gives it (Decree 61/2018/NĐ-CP art. 19(6)); a connected system answers only for the steps handed to it (docs/integrations.md#interagency)', remedy: 'Answer only for a step the engine handed to this system; the hand-off names the step and its run.' },
  STEP_NOT_HANDED_TO_SYSTEM: { ...RULE_REFUSED, rule: 'A step is handed to the outside system its route names (Decree 61/2018/NĐ-CP art. 19(6); docs/integrations.md#interagency)', remedy: 'Name a step and run the engine handed to this system.' },
  DOSSIER_MIRRORED: { status: 409, type: 'urn:motcua:problem:dossier-mirrored', title: 'The dossier is handled on another system', rule: "A procedure a ministry runs on its own system is handled there; the province's system holds a read-only mirror of its data (Decree 224/2026 art. 15(1)(h); docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)", remedy: 'Nothing was recorded. Act on the dossier in the system the message names; its changes reach this mirror when that system pushes them.' },
  STEP_RUN_ENDED: { ...RULE_REFUSED, rule: 'A step sent back is done again from its new hand-off (Decree 61/2018/NĐ-CP art. 19(6); docs/integrations.md#interagency)', remedy: 'Answer for the run the latest hand-off named.' },
  SYSTEM_ONLY_FIELD: { ...RULE_REFUSED, rule: "Only an outside system's answer carries its result file, registration, notice or receipt file and the run it answers for (docs/rules.md#steps-carried-out-by-another-agencys-system)", remedy: 'Leave the field named out: it comes only with an outside system\'s answer, and the command works without it.' },
  NO_OBLIGATION_PENDING: { ...RULE_REFUSED, rule: 'An electronic receipt of payment settles the financial-obligation notice the tax authority issued (Decree 61/2018/NĐ-CP art. 19(4); docs/rules.md#tax-notices-and-receipts-from-the-tax-authoritys-system)', remedy: 'Send a receipt only for a notice still pending on the dossier; a payment already recorded by staff needs no receipt from the system.' },
  PAYMENT_AMOUNT_MISMATCH: { ...RULE_REFUSED, rule: 'An electronic receipt of payment settles the notice for its whole amount (docs/rules.md#tax-notices-and-receipts-from-the-tax-authoritys-system)', remedy: 'Send the receipt for the amount the pending notice states (the message gives it); for a corrected amount, issue a new notice first.' },
  STEP_NOT_IN_HAND: { ...RULE_REFUSED, rule: 'The interagency route of the procedure (Decree 61/2018/NĐ-CP art. 19(6)–(7))', remedy: 'Name a step in progress; the message lists them.' },
  PROCEDURE_MISMATCH: { ...RULE_REFUSED, rule: 'A dossier keeps the procedure it was received for (Decree 61/2018/NĐ-CP art. 17)', remedy: 'A client fault: the API pins the procedure the dossier was received for; send the acceptance through the API.' },
  PROCEDURE_NOT_IN_FORCE: { ...RULE_REFUSED, rule: 'A dossier is decided under the procedure version published and in force when it is accepted (docs/rules.md#procedure-version-pinned-at-acceptance)', remedy: 'Load the version in force into the catalogue (npm run catalogue:load), then accept again.' },
  AGENCY_NOT_PINNED: { ...RULE_REFUSED, rule: 'The route and calendars of a dossier are fixed at acceptance (Decree 61/2018/NĐ-CP art. 19(6)–(7))', remedy: 'Add every agency of the procedure’s route to the agency catalogue (npm run catalogue:load), then accept again.' },
  UNKNOWN_CALENDAR: { ...RULE_REFUSED, rule: 'Deadlines are counted on a known working-day calendar (Labor Code 45/2019/QH14 arts. 111–112; docs/deadlines.md)', remedy: 'Give the agency a calendar this engine knows in the agency catalogue (docs/deadlines.md).' },
  REQUIRED_COMPONENTS_MISSING: { ...RULE_REFUSED, rule: 'Accept only a complete dossier; otherwise guide the applicant once, fully (Decree 61/2018/NĐ-CP art. 17(1)(a))', remedy: 'Ask for everything missing in one supplement request (form 02) instead.' },
  UNKNOWN_COMPONENT: { ...RULE_REFUSED, rule: 'The components of the procedure as published (its legal basis in the catalogue)', remedy: 'Use the component ids of the procedure (GET /catalogue/procedures); the message lists them.' },
  SUPPLEMENT_ALREADY_REQUESTED: { ...RULE_REFUSED, rule: 'Guide the applicant to supplement once, fully and accurately (Decree 61/2018/NĐ-CP arts. 15, 17(1)(a))', remedy: 'Accept or refuse the dossier now.' },
  SUPPLEMENT_REQUEST_TOO_LATE: { ...RULE_REFUSED, rule: 'Decree 61/2018/NĐ-CP art. 19(4): within 3 working days of receiving the dossier, unless sector law says otherwise', remedy: 'Decide on the dossier as it is, or refuse to resolve it with reasons.' },
  ANOTHER_SUPPLEMENT_NEEDS_REASON: { ...RULE_REFUSED, rule: 'Supplement once, fully (Decree 61/2018/NĐ-CP art. 19(4)); more than one request is late under Decision 766/QĐ-TTg', remedy: 'Say why one more supplement is needed (the reason field), or decide without it.' },
  NO_PREVIOUS_STAGE: { ...RULE_REFUSED, rule: 'The interagency route of the procedure (Decree 61/2018/NĐ-CP art. 19(6))', remedy: 'The first stage has none to send back to: ask for a supplement, or refuse to resolve with reasons.' },
  CONSULTATION_ALREADY_EXISTS: { ...RULE_REFUSED, rule: CONSULTATIONS, remedy: 'Give the new consultation an id of its own.' },
  CONSULTATION_NOT_FOUND: { ...RULE_REFUSED, rule: CONSULTATIONS, remedy: 'Name a consultation of this dossier (its history lists them).' },
  CONSULTATION_ALREADY_ANSWERED: { ...RULE_REFUSED, rule: CONSULTATIONS, remedy: 'The reply is recorded; open a new consultation to ask again.' },
  STEPS_NOT_COMPLETED: { ...RULE_REFUSED, rule: 'The result is complete when every body on the route has done its task (Decree 61/2018/NĐ-CP arts. 19(6), 20)', remedy: 'Complete every step of the route first.' },
  EXTENSION_ALREADY_GRANTED: { ...RULE_REFUSED, rule: APOLOGY, remedy: 'The appointment can be extended once only: resolve the dossier by the new appointment.' },
  EXTENSION_TOO_LATE: { ...RULE_REFUSED, rule: APOLOGY, remedy: 'Past that day no apology extends the appointment: resolve the dossier now; it counts as late.' },
  NEW_APPOINTMENT_NOT_LATER: { ...RULE_REFUSED, rule: APOLOGY, remedy: 'Give a new appointment after the current due time.' },
  EARLY_RETURN_NOT_NOTIFIED: { ...RULE_REFUSED, rule: 'Decree 61/2018/NĐ-CP art. 20: early return is encouraged, with prior notice to the applicant', remedy: 'Notify the applicant first, then return the result with applicantNotifiedInAdvance set.' },
  WITHDRAWAL_TOO_LATE: { ...RULE_REFUSED, rule: 'A dossier may be withdrawn only before its result is ready (Circular 03/2025/TT-VPCP form 05, notice of stopping processing)', remedy: 'Return the result instead.' },
  EVALUATION_ALREADY_RECORDED: { ...RULE_REFUSED, rule: 'Decree 61/2018/NĐ-CP arts. 28–31: the applicant evaluates the handling of the dossier', remedy: 'Nothing to do: one evaluation per dossier.' },
  EVALUATION_NOT_OPEN: { ...RULE_REFUSED, rule: 'Decree 61/2018/NĐ-CP arts. 28–31; as on the national portal, the applicant evaluates a finished dossier (docs/rules.md#one-evaluation)', remedy: 'Evaluate once the result is returned (or the dossier refused or stopped), within 30 days.' },
  EVALUATION_BY_CITIZEN_ONLY: { ...FORBIDDEN, rule: 'Decree 61/2018/NĐ-CP arts. 28–31: the evaluation is the applicant\'s own (docs/rules.md#one-evaluation)', remedy: 'Let the applicant evaluate online (POST /lookup/{code}/evaluation with the receipt\'s secret); enter only a paper form the centre collected, with source "paper-form" and its paperFormReference.' },
  PAPER_FORM_BY_STAFF_ONLY: { ...FORBIDDEN, rule: 'Decree 61/2018/NĐ-CP arts. 28–31: a paper evaluation form is entered by the one-stop centre (docs/rules.md#one-evaluation)', remedy: 'Evaluate online (source "online"), without a paper form reference.' },
  PAPER_FORM_REFERENCE_REQUIRED: { ...RULE_REFUSED, rule: 'Decree 61/2018/NĐ-CP arts. 28–31: a paper evaluation form is kept and named (docs/rules.md#one-evaluation)', remedy: 'Set paperFormReference to the number or label the centre filed the form under.' },
  ALERT_NOT_DUE: { ...RULE_REFUSED, rule: 'Alerts come from the legal clock (docs/deadlines.md)', remedy: 'None: the engine raises due-soon and overdue alerts itself.' },
  STREAM_VERSION_MISMATCH: { ...VERSION_CONFLICT, rule: 'Optimistic concurrency on the dossier stream (If-Match, RFC 9110 §13.1.1)', remedy: 'Read the dossier again (GET /dossiers/{code}, its ETag) and decide anew.' },
  DOCUMENT_ALREADY_RECORDED: { ...RULE_REFUSED, rule: 'One record per issued document (docs/documents.md)', remedy: 'None: the engine records each document it issues once.' },
  DOSSIER_NOT_LATE: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Nothing is owed yet: before the due date, an apology with a new appointment (form 04) extends it; the apology for lateness and the explanation come once the appointment in force has passed.' },
  NOT_THE_RESPONSIBLE_AGENCY: { ...FORBIDDEN, rule: LATENESS, remedy: 'Have the agency that held the dossier when it went overdue (the message names it) send the command; the competent agency may also sign the apology.' },
  LATENESS_APOLOGY_ALREADY_ISSUED: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Keep the new appointment the apology gave; if it is missed, issue another apology then.' },
  NEW_APPOINTMENT_REQUIRED: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Give the applicant a new appointment (newAppointment) while the result is not ready.' },
  NEW_APPOINTMENT_OUTSIDE_OFFICE_HOURS: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Give a new appointment in the receiving centre\'s office hours on one of its working days; the answer names the next office time.' },
  NEW_APPOINTMENT_TOO_FAR: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Give a new appointment at most six months (183 days) ahead.' },
  NEW_APPOINTMENT_NOT_EXPECTED: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Leave newAppointment out: the result is ready (or the dossier stopped), so the letter only apologises and gives the reason.' },
  EXPLANATION_ALREADY_RECORDED: { ...RULE_REFUSED, rule: LATENESS, remedy: 'Nothing to do: the explanation for this overdue spell is recorded (the dossier history shows it).' },
  CALENDAR_AMENDMENT_BEFORE_ACCEPTANCE: { ...RULE_REFUSED, rule: CALENDAR_ADOPTION, remedy: 'None: a dossier not yet accepted pins the calendar in force when it is accepted, amendments included.' },
  CALENDAR_NOT_FOLLOWED: { ...RULE_REFUSED, rule: CALENDAR_ADOPTION, remedy: 'None: no agency of this dossier follows the amended calendar, so its due dates do not depend on it.' },
  CALENDAR_AMENDMENT_ALREADY_ADOPTED: { ...RULE_REFUSED, rule: CALENDAR_ADOPTION, remedy: 'None: the dossier already follows this version (pinned at acceptance or adopted).' },
  CALENDAR_AMENDMENT_CONFLICT: { ...RULE_REFUSED, rule: CALENDAR_ADOPTION, remedy: 'A version never changes: publish the corrected amendment under the next version.' },
  CALENDAR_AMENDMENT_OUT_OF_ORDER: { ...RULE_REFUSED, rule: CALENDAR_ADOPTION, remedy: 'Adopt the amendments in the order of their versions; a version older than the dossier’s latest cannot come after it.' },
  FILE_ALREADY_ATTACHED: { ...RULE_REFUSED, rule: FILES, remedy: 'Nothing to do if it is the same paper; to change a file, attach the new one with `replaces` set to the old digest.' },
  COMPONENT_FILE_NOT_FOUND: { ...RULE_REFUSED, rule: FILES, remedy: 'List the dossier’s files (GET /dossiers/{code}/files) and name a current file of that component by its digest.' },
  FILE_ALREADY_APPROVED: { ...RULE_REFUSED, rule: FILES, remedy: 'Nothing to do: the file is the component’s approved digitised copy.' },
  FILE_ORIGIN_NOT_ALLOWED: { ...RULE_REFUSED, rule: FILES, remedy: 'Attach an upload, or a file reused from the applicant’s earlier dossier, issued result or e-data store; files from a portal come only with its submission (POST /intake/dossiers).' },
  ONLINE_SUBMISSION_REQUIRED: { ...RULE_REFUSED, rule: 'A portal submits online dossiers under its own dossier id (Decree 45/2020/NĐ-CP arts. 9–11; docs/portal-intake.md)', remedy: 'Send channel "online" and the submission’s portal, portalDossierId and submittedAt.' },
  RESULT_SIGNATURE_INVALID: {
    ...RULE_REFUSED,
    rule: E_RESULT,
    remedy: 'Nothing was recorded. The message gives the verifier\'s reasons: send the file exactly as the competent body signed it (not re-saved or printed to PDF afterwards), signed with a certificate of a CA this engine trusts (MOTCUA_TRUST_ANCHORS). POST /verify checks a file beforehand.',
  },
  RESULT_NOT_SIGNED_BY_COMPETENT_BODY: {
    ...RULE_REFUSED,
    rule: E_RESULT,
    remedy: 'Nothing was recorded. Have the competent agency the message names sign the result with its own certificate; if that certificate is its own, declare it in the agency catalogue (signingCertificates, or the agency code in the certificate\'s organizationIdentifier or OU; docs/catalogue.md) and load the catalogue.',
  },

  // The API's own.
  UNKNOWN_RECEIVING_CENTRE: { ...RULE_REFUSED, rule: 'Dossiers are received at a one-stop centre of the agency catalogue (Decree 61/2018 art. 16)', remedy: 'Receive the dossier at a one-stop centre of the catalogue, or load the agency catalogue (npm run catalogue:load).' },
  UNKNOWN_PROCEDURE: { ...RULE_REFUSED, rule: 'Procedures come from the procedure catalogue (National TTHC Database)', remedy: 'Check the procedure code, or load the procedure into the catalogue (npm run catalogue:load).' },
  WORKFLOW_NOT_RUNNING: {
    status: 503,
    type: 'urn:motcua:problem:workflow-not-running',
    title: "The dossier's workflow is not running",
    rule: 'An open dossier takes commands through its running workflow (docs/operations.md)',
    remedy: 'Nothing was recorded. An operator resumes the dossier from its log (npm run dossier:resume -- <code>); then send the command again.',
  },
  COMMAND_NOT_ANSWERED: {
    status: 503,
    type: 'urn:motcua:problem:not-answered',
    title: 'The dossier did not answer in time',
    rule: 'A command waits MOTCUA_COMMAND_TIMEOUT_SECONDS for its dossier to answer (docs/operations.md)',
    remedy: 'The command may still take effect: send it again with the same Idempotency-Key (or with If-Match), as the message advises.',
  },
  IDEMPOTENCY_KEY_REUSED: { ...RULE_REFUSED, rule: 'An Idempotency-Key names one request (draft-ietf-httpapi-idempotency-key-header)', remedy: 'Use a new key for a new request.' },
  CATALOGUE_REFUSED: { ...RULE_REFUSED, rule: 'A loaded procedure version never changes (dossiers pinned it); publish a change as a new version', remedy: 'Give the changed procedure a new version with its own effective dates, or fix the file the message names.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'urn:motcua:problem:method-not-allowed',
    title: 'Method not allowed',
    rule: 'RFC 9110 §15.5.6: a path answers 405 to a method it does not serve, with the methods it does in the Allow header',
    remedy: 'Use one of the methods the Allow header lists; the API’s routes and their methods are at /docs.',
  },
  REPORT_OUTSIDE_UNIT: { ...FORBIDDEN, rule: 'A unit reports on itself and the units below it (Decision 766/QĐ-TTg; Circular 01/2020/TT-VPCP)', remedy: 'Ask for your own unit’s report, or have an auditor read it.' },
  EVENT_NOT_STORABLE: {
    status: 422,
    type: 'urn:motcua:problem:not-storable',
    title: 'The command holds data that cannot be stored',
    rule: 'Events are stored as PostgreSQL jsonb, which holds only storable text (docs/event-store.md)',
    remedy: 'Nothing was recorded and the dossier takes its next command. Remove the characters PostgreSQL refuses (NUL, U+0000) from the command’s text and send it again.',
  },
  UNKNOWN_LOCALITY: {
    ...RULE_REFUSED,
    rule: 'A dossier received regardless of administrative boundary goes to the body competent for the locality it names, which must exist on the day (Decree 118/2025/NĐ-CP; docs/catalogue.md#reception-regardless-of-boundary)',
    remedy: "Name in `locality` a commune, ward or special zone of the province's agency directory in existence today, or leave it out to use the receiving centre's own.",
  },
  JURISDICTION_UNRESOLVED: {
    ...RULE_REFUSED,
    rule: "A procedure's competent body and route steps are the bodies the agency directory assigns to the dossier's locality on the acceptance day; an agency the procedure names by code must serve that locality on that day when the directory knows it (docs/catalogue.md#resolution)",
    remedy:
      "Nothing was recorded. Add to the agency directory the entry the message names (the role, the locality, the dates) and load it as a new directory version (npm run catalogue:load); then send the command again. For an agency the procedure names by code that does not serve the dossier's locality: publish a procedure version naming a role, or, if the agency does serve it, add the locality to its directory entry.",
  },
  CALENDAR_AMENDMENT_REFUSED: { ...RULE_REFUSED, rule: 'A calendar version is never edited and comes after the versions before it; its days are where a year’s schedule can put them (domain/calendar/amendment-rules.ts)', remedy: 'Fix what the message lists, or publish a change as the next version.' },
  REPORT_PERIOD_REVERSED: { ...INVALID_PERIOD, rule: 'A report covers the days from `from` to `to`, both included (docs/reports.md#bounds)', remedy: 'Send the first day of the period as from and the last as to.' },
  REPORT_PERIOD_TOO_LONG: { ...INVALID_PERIOD, rule: 'A report covers at most 366 days, a calendar year (domain/reporting/report-period.ts; docs/reports.md#bounds)', remedy: 'Split the period into periods of a year or less (one per calendar year, say) and add them up: the counts of disjoint periods add.' },
  REPORT_PERIOD_OUT_OF_RANGE: { ...INVALID_PERIOD, rule: 'A report covers days from 2000-01-01 up to today (domain/reporting/report-period.ts; docs/reports.md#bounds)', remedy: 'Begin the period on or after 2000-01-01 and on or before today.' },
  REPORT_AS_OF_OUT_OF_RANGE: { ...INVALID_PERIOD, rule: 'A report is read as of an instant within or after its period that has already come (domain/reporting/report-period.ts; docs/reports.md#bounds)', remedy: 'Leave asOf out to read the report as of now, or give an instant between the period’s first day and now.' },
  RESULTS_PERIOD_NOT_PUBLISHED: { ...INVALID_PERIOD, rule: 'A unit publishes the results of a calendar month, quarter or year once it has ended (domain/reporting/published-period.ts; docs/citizens.md#a-units-procedures-and-results)', remedy: 'Ask for a month (2026-03), a quarter (2026-Q1) or a year (2026) that has ended; leave period out for the last month ended.' },
  RESULT_FILE_MISSING: {
    status: 400,
    type: 'urn:motcua:problem:validation-failed',
    title: 'The request is invalid',
    rule: 'POST /dossiers/{code}/issue-result takes multipart/form-data with the signed result as its `file` part and its `reference` field (docs/api.md)',
    remedy: 'Send the signed PDF as the part named file (curl -F file=@result.pdf) and the số, ký hiệu as the field named reference.',
  },
  RESULT_NOT_A_PDF: {
    status: 415,
    type: 'urn:motcua:problem:unsupported-media-type',
    title: 'The file is not a PDF',
    rule: 'A result is a signed PDF (PAdES), recognised by its bytes (%PDF- header), not by its name or declared type (Decree 45/2020/NĐ-CP art. 14)',
    remedy: 'Send the PDF the competent body signed; scans of a paper result are attached to the dossier as component files, not issued as its e-result.',
  },
  RESULT_FILE_TOO_LARGE: {
    status: 413,
    type: 'urn:motcua:problem:payload-too-large',
    title: 'The file is too large',
    rule: 'A signed result is read whole to verify it: at most 20 MB (api/routes/issue-result.ts)',
    remedy: 'Nothing was recorded. Have the competent body sign a smaller PDF (images at document resolution).',
  },

  // The file intake's (domain/files/file-rules.ts, documents/files/).
  FILE_TOO_LARGE: { status: 413, type: 'urn:motcua:problem:file-too-large', title: 'The file is too large', rule: FILE_RULES, remedy: 'Send a smaller file (the message gives the limit): scan at a lower resolution, or split the document where the procedure allows.' },
  FILE_EMPTY: { ...FILE_REFUSED, rule: FILE_RULES, remedy: 'Send the file itself; if the upload was cut short, send it again.' },
  FILE_TYPE_NOT_ACCEPTED: { status: 415, type: 'urn:motcua:problem:file-type-not-accepted', title: 'The file is not of a type this component accepts', rule: FILE_RULES, remedy: 'Send the document in one of the types the message lists; renaming a file does not change its type.' },
  FILE_NOT_A_PDF: { ...FILE_REFUSED, rule: 'A PDF must parse as one (ISO 32000), end to end, to be archived and verified (docs/documents.md#file-intake)', remedy: 'Export or scan the document to PDF again and send the new file.' },
  FILE_ENCRYPTED: { ...FILE_REFUSED, rule: 'An archived file must be readable without a password (docs/documents.md#file-intake)', remedy: 'Save the PDF again without a password or restrictions and send that copy.' },
  FILE_TOO_MANY_PAGES: { ...FILE_REFUSED, rule: FILE_RULES, remedy: 'Send only the pages of this component, or split it where the procedure allows.' },
  FILE_DIGEST_MISMATCH: { ...FILE_REFUSED, rule: 'A file sent with its SHA-256 digest is stored only if the bytes received have that digest (docs/documents.md#file-intake)', remedy: 'Send the file again, with the digest computed over exactly the bytes sent.' },
  FILE_MALFORMED_EFORM: { ...FILE_REFUSED, rule: 'An e-form must be well-formed UTF-8 XML without a DOCTYPE, or JSON (docs/documents.md#file-intake)', remedy: 'Send the e-form as the portal produced it; the message says where it fails to parse.' },
  FILE_BAD_BASE64: { ...FILE_REFUSED, rule: 'A file inside a JSON body is strict, padded base64 (RFC 4648 §4)', remedy: 'Encode the bytes with the standard base64 alphabet, padded with =, without line breaks, spaces or a data: prefix.' },
  UPLOAD_NOT_MULTIPART: { status: 415, type: 'urn:motcua:problem:unsupported-media-type', title: 'Unsupported content type', rule: 'Files are uploaded as multipart/form-data (RFC 7578; docs/api.md)', remedy: 'Send the request as multipart/form-data with the file in a part named as the route documents (usually file), e.g. curl -F file=@scan.pdf.' },
  UPLOAD_FILE_MISSING: { ...UPLOAD_INVALID, rule: 'An upload carries its file in the part the route names (docs/api.md)', remedy: 'Add the file part the message names (curl -F file=@scan.pdf) and send again.' },
  UPLOAD_TOO_MANY_FILES: { ...UPLOAD_INVALID, rule: 'An upload route takes as many files as it documents, one unless it says more (docs/api.md)', remedy: 'Send one file per request (or as many as the route allows), each in its own request.' },
  UPLOAD_MALFORMED: { ...UPLOAD_INVALID, rule: 'multipart/form-data (RFC 7578) within the upload limits: text fields, their number and size (docs/api.md)', remedy: 'Send a complete multipart/form-data body within the limits the message names; nothing was stored.' },
  COMPONENT_NOT_REUSABLE: { ...RULE_REFUSED, rule: `${REUSE}; the procedure marks which components may be taken from data already held (reusableFromData in the catalogue)`, remedy: 'Attach a scan or upload of the paper instead, or name a component the procedure marks reusable (GET /dossiers/{code}/reusable lists them).' },
  REUSE_SOURCE_NOT_FOUND: { ...RULE_REFUSED, rule: REUSE, remedy: 'Name a candidate as GET /dossiers/{code}/reusable lists it (its `from`): an approved, current file of another dossier of the same applicant, a result issued to them, or a paper their e-data store holds.' },
  REUSE_OTHER_APPLICANT: { ...RULE_REFUSED, rule: `${REUSE}; only the applicant's own data, never another person's`, remedy: 'Take only what GET /dossiers/{code}/reusable offers for this dossier; ask the applicant for the paper otherwise.' },
  DATA_STORE_NOT_CONFIGURED: { ...RULE_REFUSED, rule: 'The national portal\'s e-data store is reached only where it is configured (MOTCUA_DATA_STORE_URL; docs/integrations/data-store.md)', remedy: 'Attach the paper another way, or have the operator configure the e-data store.' },
  DATA_STORE_UNAVAILABLE: {
    status: 503,
    type: 'urn:motcua:problem:data-store-unavailable',
    title: 'The e-data store did not answer',
    rule: 'Calls to the national portal\'s e-data store have a deadline (MOTCUA_DATA_STORE_TIMEOUT_MS; docs/integrations/data-store.md)',
    remedy: 'Nothing was recorded. Try again later, or attach a scan of the paper the applicant brought.',
  },
  REUSE_FILE_NOT_ACCEPTED: { ...RULE_REFUSED, rule: 'A file already held is reused as it is, so it must meet the component\'s file rules as an upload would: its types, size and pages (domain/files/file-rules.ts; docs/files.md#reuse)', remedy: 'Nothing was recorded. Attach a scan or e-file that meets the component\'s rules instead.' },
  DATA_STORE_FILE_REFUSED: { ...RULE_REFUSED, rule: 'A file taken from the e-data store is checked like any upload: a PDF, JPEG or PNG by its bytes, at most 20 MiB and 100 pages, a PDF that parses (domain/files/file-rules.ts; docs/files.md)', remedy: 'Nothing was recorded. Attach a scan of the paper instead; the store\'s keeper may be told its file is unreadable.' },

  // The portal intake's (api/intake/, docs/portal-intake.md).
  PORTAL_SCOPE_UNIT: { ...FORBIDDEN, rule: "A portal submits only for the one-stop centres its token's `units` claim names (docs/portal-intake.md#who-may-post)", remedy: 'Submit to a centre the portal is configured for, or ask the operator to add the centre to the portal’s token.' },
  PORTAL_SCOPE_PROCEDURE: { ...FORBIDDEN, rule: "A portal submits only the procedures its token's `procedures` claim names (docs/portal-intake.md#who-may-post)", remedy: 'Submit a procedure the portal is configured for, or ask the operator to add the procedure to the portal’s token.' },
  PORTAL_CHANNEL_NOT_ONLINE: { ...RULE_REFUSED, rule: 'A portal submits online dossiers (KenhThucHien 2); dossiers at the counter or by post are received by the centre (Decree 61/2018/NĐ-CP art. 15; docs/portal-intake.md)', remedy: 'Send online submissions only (channel online, KenhThucHien 2).' },
  PORTAL_PROCEDURE_NOT_IN_FORCE: { ...RULE_REFUSED, rule: 'An online submission is checked against the version of its procedure in force today (docs/portal-intake.md#checks)', remedy: 'Submit a procedure that has a version in force today, or ask the operator to load it (npm run catalogue:load).' },
  PORTAL_COMPONENT_UNKNOWN: { ...RULE_REFUSED, rule: "Each file belongs to a component of the procedure in force, named by its id or by exactly one component's name (docs/portal-intake.md#checks)", remedy: 'Name the component by the id or the name the procedure gives it (GET /catalogue/procedures/{code}); the message lists them.' },
  PORTAL_FILE_PARTS_MISMATCH: { status: 400, type: 'urn:motcua:problem:validation-failed', title: 'The request is invalid', rule: 'A multipart intake sends, for each file its submission lists, one part file:<componentId>, in order (docs/portal-intake.md#multipart)', remedy: 'Send one part per file listed, named file:<componentId>, after the submission field.' },
  PORTAL_SUBMISSION_CONFLICT: { status: 409, type: 'urn:motcua:problem:portal-submission-conflict', title: 'Another submission was received under this portal dossier id', rule: "A portal's dossier id names one submission: a resend must be the same submission (docs/portal-intake.md#idempotency)", remedy: 'Send a new submission under a new portal dossier id; to change a received dossier, go through the centre (a supplement).' },

  // The outbox's operators (api/routes/deliveries.ts, docs/integrations.md#dead-letters-and-the-operators-routine).
  DELIVERY_NOT_FOUND: {
    status: 404,
    type: 'urn:motcua:problem:delivery-not-found',
    title: 'No delivery has this key',
    rule: 'A delivery is named by its idempotency key receiver/dossier/sequence/trigger, sent as one percent-encoded path segment (/ as %2F) (docs/integrations.md#dead-letters-and-the-operators-routine)',
    remedy: 'Copy the key from GET /deliveries/dead-letters or GET /dossiers/{code}/deliveries (their `links` are ready to call), and percent-encode it whole: portal%2F000.00.31.H38-250701-0005%2F7%2Fstatus.',
  },
  DELIVERY_NOT_DEAD: {
    status: 409,
    type: 'urn:motcua:problem:delivery-not-dead',
    title: 'The delivery is not a dead letter',
    rule: 'Only a dead letter is retried (dead → pending) or closed (dead → closed); a pending delivery is still being tried, a delivered or closed one is final (docs/integrations.md#dead-letters-and-the-operators-routine)',
    remedy: 'Nothing was changed. Read the delivery’s state (GET /dossiers/{code}/deliveries): if it is pending its lane is at work; if delivered or closed there is nothing left to do.',
  },
  // The public file links the national portal downloads from (api/portal-file-links.ts, api/routes/portal-files.ts).
  PORTAL_FILE_LINK_INVALID: { status: 404, type: 'urn:motcua:problem:portal-file-link', title: 'No file at this link', rule: 'A portal file link is the credential: a token signed by this deployment naming one file of one dossier until an instant (docs/integrations/national-portal.md#file-links-for-the-portal)', remedy: 'Use the link exactly as the sync sent it (DuongDanTaiTepTin, DuongDanTepTinKetQua); a link that was altered, truncated or signed with another key is not one.' },
  PORTAL_FILE_LINK_EXPIRED: { status: 404, type: 'urn:motcua:problem:portal-file-link', title: 'The link has expired', rule: 'A portal file link is valid until the instant it names (docs/integrations/national-portal.md#file-links-for-the-portal)', remedy: 'The next sync of the dossier (or the nightly reconciliation) sends fresh links; download from those.' },
  PORTAL_FILE_NOT_FOUND: { status: 404, type: 'urn:motcua:problem:portal-file-link', title: 'No file at this link', rule: 'A portal file link opens only a file of the dossier it names: a component file or an issued result or form (docs/integrations/national-portal.md#file-links-for-the-portal)', remedy: 'Ask the agency to sync the dossier again; its files are listed in the next sync with fresh links.' },
  // Mirrors of dossiers handled on a ministry's system (api/routes/mirrors.ts, docs/integrations.md#mirrors-of-dossiers-handled-elsewhere).
  MIRROR_SCOPE_UNIT: { ...FORBIDDEN, rule: "A ministry's system mirrors only the dossiers of the province's units its token's `units` claim names, and numbers them under its own identifier or one of those units (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)", remedy: 'Nothing was recorded. Push dossiers of a unit the system is configured for, or ask the operator to add the unit to its token.' },
  MIRROR_SCOPE_PROCEDURE: { ...FORBIDDEN, rule: "A ministry's system mirrors only the procedures its token's `procedures` claim names (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)", remedy: 'Nothing was recorded. Push dossiers of a procedure the system is configured for, or ask the operator to add the procedure to its token.' },
  MIRROR_CODE_TAKEN: { status: 409, type: 'urn:motcua:problem:mirror-code-taken', title: 'The dossier code is taken', rule: "A dossier code names one dossier: one the engine handles itself, or the mirror of one system's dossier (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)", remedy: 'Nothing was recorded. Push the dossier under the code your own system gave it; a code another system mirrors is updated only by that system.' },
  MIRROR_REVISION_STALE: { status: 409, type: 'urn:motcua:problem:mirror-revision-stale', title: 'The mirror holds a newer revision', rule: "A mirror follows its source's revisions forward only: a push is ordered by its sourceUpdatedAt (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)", remedy: 'Nothing was recorded, and nothing needs to be: the mirror already holds a newer revision. Push the dossier as it is now, with its latest sourceUpdatedAt.' },
  MIRROR_REVISION_CONFLICT: { status: 409, type: 'urn:motcua:problem:mirror-revision-conflict', title: 'This revision was pushed with other facts', rule: "A source revision (sourceUpdatedAt) names one state of the dossier: a resend must carry the same facts (docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)", remedy: 'Nothing was recorded. Send a changed dossier under a newer sourceUpdatedAt.' },
  MIRROR_IMMUTABLE_CHANGED: { ...RULE_REFUSED, rule: 'A dossier keeps the procedure, unit, channel and submission time it was received with (Decree 61/2018/NĐ-CP art. 17; docs/integrations.md#mirrors-of-dossiers-handled-elsewhere)', remedy: 'Nothing was recorded. If this is another dossier, push it under its own code; the message names the field that changed.' },
  // The outside systems' answers (api/routes/interagency-answers.ts, docs/integrations.md#answers-from-the-systems).
  INTERAGENCY_SYSTEM_NOT_CONFIGURED: {
    status: 404,
    type: 'urn:motcua:problem:interagency-system-not-configured',
    title: 'This system is not connected here',
    rule: 'Only the systems a deployment configures (the `interagency` section of MOTCUA_OUTBOX_CONFIG) answer by callback (docs/integrations.md#answers-from-the-systems)',
    remedy: 'Check the system name in the path (land-registry, tax, civil-status) and that the deployment configured it with answers: callback.',
  },
  INTERAGENCY_SIGNATURE_INVALID: {
    status: 401,
    type: 'urn:motcua:problem:interagency-signature-invalid',
    title: 'The callback is not signed by the system',
    rule: 'A callback carries X-Motcua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(callback secret, "<t>.<raw body>")>, made within 300 s of its receipt (docs/integrations.md#answers-from-the-systems)',
    remedy: 'Sign the exact bytes sent with the callback secret agreed for this system, with the current time; nothing was stored. Check the clock of the sending host if the signature is refused as expired.',
  },
  INTERAGENCY_ANSWER_CHANGED: {
    status: 409,
    type: 'urn:motcua:problem:interagency-answer-changed',
    title: 'An answer was sent again with another content',
    rule: 'An answer of a system never changes: a resend carries the same answerId and the same content; a new fact is a new answer with a new answerId and the next sequence (docs/integrations.md#answers-from-the-systems)',
    remedy: 'Nothing of this message was stored. Send the correction as a new answer (a new answerId, the next sequence), and resend the others of this message unchanged.',
  },
  INTERAGENCY_SEQUENCE_TAKEN: {
    status: 409,
    type: 'urn:motcua:problem:interagency-sequence-taken',
    title: 'This sequence was already applied from another answer',
    rule: 'A system numbers its answers about one dossier 1, 2, 3, …: one sequence is one thing the system did (docs/integrations.md#answers-from-the-systems)',
    remedy: 'The answer was kept and not applied. Number each new answer with the next sequence of the dossier.',
  },
  // The feedback (PAKN) rules (domain/feedback/decide-feedback.ts).
  FEEDBACK_NOT_RECEIVED: { ...RULE_REFUSED, rule: FEEDBACK_PROCESS, remedy: 'Receive the item first (POST /feedback, or POST /feedback-intake for staff).' },
  FEEDBACK_ALREADY_RECEIVED: { ...RULE_REFUSED, rule: FEEDBACK_PROCESS, remedy: 'The item is already received: read it (GET /feedback/{id}) instead of receiving it again.' },
  FEEDBACK_CLOSED: { ...RULE_REFUSED, rule: FEEDBACK_PROCESS, remedy: 'Nothing more can be recorded on a published, refused or transferred item; a citizen dissatisfied with the answer sends a new item that follows it up.' },
  FEEDBACK_STEP_NOT_ALLOWED: { ...RULE_REFUSED, rule: FEEDBACK_PROCESS, remedy: 'Read the item’s status (GET /feedback/{id}) and send a step that applies to it (docs/feedback.md#the-process).' },
  NOT_THE_HANDLING_UNIT: { ...FORBIDDEN, rule: FEEDBACK_ROLES, remedy: 'Have staff of the unit that holds the item act on it, or have it transferred to your unit.' },
  FEEDBACK_NOT_THE_SENDER: { ...FORBIDDEN, rule: FEEDBACK_ROLES, remedy: 'Send the item’s lookup secret, given when it was received, with the information.' },
  FEEDBACK_NOT_CLASSIFIED: { ...RULE_REFUSED, rule: 'An item is received, logged and classified before it is handled (Decree 20/2008/NĐ-CP art. 9; Decision 766/QĐ-TTg §5.1)', remedy: 'Classify the item (regulation, procedure or staff conduct), then accept it.' },
  FEEDBACK_TRANSFER_TO_SAME_UNIT: { ...RULE_REFUSED, rule: FEEDBACK_PROCESS, remedy: 'Name the competent body the item goes to, not the unit that holds it.' },
  FEEDBACK_ANSWER_DOCUMENT_PENDING: { ...RULE_REFUSED, rule: 'An answer is a signed document; what is published is that document (Decision 31/2021/QĐ-TTg ch. 6; docs/feedback.md#the-answer)', remedy: 'Wait a few seconds for the signed answer to be recorded (GET /feedback/{id} shows it), then publish again.' },
  FEEDBACK_CHANNEL_NOT_ALLOWED: { ...RULE_REFUSED, rule: 'PAKN arriving by paper, phone, fax or e-mail is entered by staff; online items come from the public form or the national PAKN system (Decision 31/2021/QĐ-TTg art. 43(2); docs/feedback.md#receiving-an-item)', remedy: 'Staff enter paper, phone, e-mail and in-person items; citizens use the public form.' },
  FEEDBACK_SENT_IN_FUTURE: { ...RULE_REFUSED, rule: 'The clocks start when the citizen sent the item (Decision 766/QĐ-TTg §5.2; docs/feedback.md#the-four-clocks)', remedy: 'Give the moment the citizen sent the item, as the paper or message shows it; it cannot be later than now.' },
  UNKNOWN_FEEDBACK_UNIT: { ...RULE_REFUSED, rule: 'A feedback item is received by a unit of the catalogue (docs/feedback.md#receiving-an-item)', remedy: 'Send the item to a unit of the catalogue, or check the code.' },
  UNKNOWN_AGENCY: { ...RULE_REFUSED, rule: 'A local sign-in acts for an agency of the catalogue (docs/console.md#signing-in)', remedy: 'Choose an agency that GET /auth/sign-in-options lists, or load the agency catalogue (npm run catalogue:load).' },
} as const satisfies Record<ErrorCode, ErrorEntry>;

/** The codes answered with a given status: `ruleRefused` takes only those of a 422. */
export type ErrorCodeWithStatus<S extends ErrorEntry['status']> = { [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['status'] extends S ? C : never }[ErrorCode];

/** The entry of a code; a refusal from a newer worker with a code this API does not know is a 422. */
export function errorEntryOf(code: string): ErrorEntry {
  return (ERROR_CATALOGUE as Record<string, ErrorEntry>)[code] ?? { ...RULE_REFUSED, rule: '', remedy: '' };
}
