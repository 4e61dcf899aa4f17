// Which roles may send which command. One table for the decider (which also checks the agency)
// and the API (which refuses a role before anything reaches the workflow), so they cannot differ.
// Auditors read and change nothing; admins manage catalogues and calendars, not dossiers.
import type { Role } from './actor.js';
import type { DossierCommand } from './commands.js';

export const COMMAND_ROLES = {
  // A portal posts its online submissions through the intake (docs/portal-intake.md).
  ReceiveDossier: ['reception', 'head', 'portal'],
  AcceptDossier: ['reception', 'head'],
  RequestSupplementAtReception: ['reception', 'head'],
  RefuseAtReception: ['reception', 'head'],
  ProvideSupplement: ['reception', 'head'],
  AssignHandler: ['head'],
  // `interagency`: an outside system's answer for a step it carries out (docs/integrations.md#interagency).
  CompleteStep: ['officer', 'head', 'interagency'],
  SendStepBack: ['officer', 'head', 'interagency'],
  ConsultBody: ['officer', 'head'],
  RecordConsultationReply: ['officer', 'head'],
  RequestSupplement: ['officer', 'head', 'interagency'],
  RequestFinancialObligation: ['officer', 'head', 'interagency'],
  // `payment-platform`: an online payment the national payment platform confirmed (docs/integrations.md#online-payment).
  RecordPayment: ['reception', 'officer', 'head', 'interagency', 'payment-platform'],
  RequestPayment: ['reception', 'officer', 'head'],
  // What the outbox and the outside systems report of a step handed over.
  RecordStepHandOff: ['interagency'],
  ReportExternalProgress: ['interagency'],
  // Only a head signs a refusal, an apology or a result.
  RefuseToResolve: ['head'],
  IssueApology: ['head'],
  IssueResult: ['head'],
  ReturnResult: ['reception', 'head'],
  RequestWithdrawal: ['reception', 'head'],
  DecideWithdrawal: ['head'],
  // `citizen`: the applicant's own, online; reception and heads enter only paper forms (source `paper-form`).
  RecordEvaluation: ['reception', 'head', 'citizen'],
  MarkDeadline: ['system'],
  RecordDocumentIssued: ['system'],
  // The head signs the letter to the applicant; the explanation is written by the official
  // responsible (or the head) and addressed to the head of the agency.
  IssueLatenessApology: ['head'],
  RecordLatenessExplanation: ['officer', 'head'],
  AdoptCalendarAmendment: ['system'],
  // The receiving centre's staff attach the papers' files and approve their digitised copies.
  AttachComponentFile: ['reception', 'head'],
  ApproveComponentFile: ['reception', 'head'],
} as const satisfies Record<DossierCommand['type'], readonly Role[]>;

export function mayIssue(role: Role, commandType: DossierCommand['type']): boolean {
  return (COMMAND_ROLES[commandType] as readonly Role[]).includes(role);
}
