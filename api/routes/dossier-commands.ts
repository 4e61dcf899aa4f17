// One thin route per lifecycle command: POST /dossiers/:code/<command>. Each builds the command from
// the body, the caller and the path, sends it (api/commands/send-dossier-command.ts: the rules
// answer in the dossier's workflow) and answers the outcome.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  acceptDossierSchema,
  assignHandlerSchema,
  completeStepSchema,
  consultBodySchema,
  decideWithdrawalSchema,
  issueApologySchema,
  issueResultSchema,
  provideSupplementSchema,
  recordConsultationReplySchema,
  recordEvaluationSchema,
  recordPaymentSchema,
  refuseAtReceptionSchema,
  refuseToResolveSchema,
  requestFinancialObligationSchema,
  requestPaymentSchema,
  requestSupplementAtReceptionSchema,
  requestSupplementSchema,
  requestWithdrawalSchema,
  returnResultSchema,
  sendStepBackSchema,
} from '../../domain/dossier/commands.js';
import { issueLatenessApologySchema, recordLatenessExplanationSchema } from '../../domain/dossier/lateness-commands.js';
import { systemOnlyOmit } from '../../domain/dossier/interagency-commands.js';
import type { CommandOutcome } from '../../domain/dossier/catch-up.js';
import { NATIONAL_PORTAL_STATUS } from '../../domain/dossier/state.js';
import type { Database } from '../../db/schema.js';
import { COMMAND_ROLES } from '../../domain/dossier/command-roles.js';
import { callerOf } from '../auth/access.js';
import { lookupSecretFor } from '../auth/lookup-secret.js';
import { type DossierCommandRequest, sendDossierCommand } from '../commands/send-dossier-command.js';
import { commandIdFor } from '../idempotency.js';
import { problemSchema, sendProblem } from '../problem-details.js';
import { dossierCodeParams, idempotencyKeySchema } from '../request-schemas.js';
import { dossierNotFound } from './dossiers.js';

export interface DossierCommandRoutesDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  /** Where a late dossier's ended run is started again for its apology or explanation. */
  readonly taskQueue: string;
  readonly lookupKey: string;
  readonly commandTimeoutMs: number;
}

/** The multipart body of issue-result, as the OpenAPI document describes it (./issue-result.ts reads it, not a schema). */
export const issueResultForm = z
  .object({
    file: z.string().meta({ contentMediaType: 'application/pdf' }).describe('The result as the competent body signed it (PAdES), at most 20 MB'),
    reference: issueResultSchema.shape.document.shape.reference,
  })
  .meta({ examples: [{ file: '(the signed PDF)', reference: '125/QĐ-UBND' }] });

const envelope = { type: true, commandId: true, actor: true, dossierCode: true, expectedStreamVersion: true, loggedVersion: true } as const;
// The fields only an outside system's answer carries (domain/dossier/interagency-commands.ts) are
// not in staff's bodies: neither the OpenAPI document nor the console's client offers them, and a
// body that sends one has it dropped like any unknown field (the decider refuses them besides).

/** Path segment, summary and body of every command a person can send. */
export const COMMAND_ROUTES = [
  { path: 'accept', summary: 'Accept a complete dossier: receipt and appointment (form 01)', body: acceptDossierSchema.omit({ ...envelope, pinned: true }).meta({ examples: [{ components: [{ componentId: 'application', form: 'original' }, { componentId: 'owner-identity', form: 'photocopy' }] }] }), type: 'AcceptDossier' },
  { path: 'request-supplement-at-reception', summary: 'Ask for everything missing, once (form 02 at reception)', body: requestSupplementAtReceptionSchema.omit(envelope).meta({ examples: [{ missing: [{ componentId: 'application', description: 'Giấy đề nghị đăng ký hộ kinh doanh', reason: 'Chưa có chữ ký của chủ hộ' }] }] }), type: 'RequestSupplementAtReception' },
  { path: 'refuse-at-reception', summary: 'Refuse the dossier at reception (form 03)', body: refuseAtReceptionSchema.omit(envelope).meta({ examples: [{ reasons: ['Thủ tục không thuộc thẩm quyền của xã'], legalBasis: 'Nghị định 01/2021/NĐ-CP, Điều 87' }] }), type: 'RefuseAtReception' },
  { path: 'provide-supplement', summary: 'Record the supplement the applicant brought', body: provideSupplementSchema.omit(envelope).meta({ examples: [{ components: [{ componentId: 'application', form: 'original' }], note: 'Đã bổ sung chữ ký' }] }), type: 'ProvideSupplement' },
  { path: 'assign-handler', summary: "Assign an officer to a step (the head of the step's agency)", body: assignHandlerSchema.omit(envelope).meta({ examples: [{ stepId: 'business-registration', handlerUserId: 'chuyenvien.binh' }] }), type: 'AssignHandler' },
  { path: 'complete-step', summary: 'Complete a step; the next stage of the route begins when its stage is done', body: completeStepSchema.omit({ ...envelope, ...systemOnlyOmit('CompleteStep') }).meta({ examples: [{ stepId: 'business-registration', outcome: 'approved', note: 'Hồ sơ hợp lệ' }] }), type: 'CompleteStep' },
  { path: 'send-step-back', summary: 'Send the dossier back to the previous stage for rework', body: sendStepBackSchema.omit({ ...envelope, ...systemOnlyOmit('SendStepBack') }).meta({ examples: [{ stepId: 'land-registration', reason: 'Xác nhận nguồn gốc đất chưa đủ' }] }), type: 'SendStepBack' },
  { path: 'consult', summary: "Ask another body's opinion with a deadline", body: consultBodySchema.omit(envelope).meta({ examples: [{ stepId: 'land-registration', consultationId: 'tax-code', bodyAgencyCode: '000.30.99.H99', question: 'Đề nghị cho ý kiến về nghĩa vụ tài chính', replyBy: '2026-12-01T17:00:00+07:00' }] }), type: 'ConsultBody' },
  { path: 'record-consultation-reply', summary: 'Record the reply to a consultation', body: recordConsultationReplySchema.omit(envelope).meta({ examples: [{ consultationId: 'tax-code', reply: 'Thống nhất' }] }), type: 'RecordConsultationReply' },
  { path: 'request-supplement', summary: 'Ask for a supplement during processing, through the one-stop centre (form 02)', body: requestSupplementSchema.omit({ ...envelope, ...systemOnlyOmit('RequestSupplement') }).meta({ examples: [{ stepId: 'commune-verification', missing: [{ description: 'Sơ đồ thửa đất', reason: 'Không khớp hiện trạng' }] }] }), type: 'RequestSupplement' },
  { path: 'request-financial-obligation', summary: 'Notify a tax or fee to pay; the clock stops', body: requestFinancialObligationSchema.omit({ ...envelope, ...systemOnlyOmit('RequestFinancialObligation') }).meta({ examples: [{ stepId: 'tax-assessment', noticeNumber: '125/TB-CCT', amountVnd: 12500000 }] }), type: 'RequestFinancialObligation' },
  { path: 'record-payment', summary: 'Record a payment at the counter, by bank transfer or by post; a pending obligation restarts the clock (online payments are recorded from the payment platform)', body: recordPaymentSchema.omit({ ...envelope, ...systemOnlyOmit('RecordPayment') }).meta({ examples: [{ amountVnd: 12500000, method: 'counter', receiptNumber: 'BL-0001' }] }), type: 'RecordPayment' },
  { path: 'request-payment', summary: "Ask the applicant to pay online: the procedure's fees and charges, or the pending financial obligation", body: requestPaymentSchema.omit(envelope).meta({ examples: [{ purpose: 'fees', note: 'Lệ phí đăng ký hộ kinh doanh' }] }), type: 'RequestPayment' },
  { path: 'refuse-to-resolve', summary: 'Refuse to resolve after appraisal, with reasons', body: refuseToResolveSchema.omit(envelope).meta({ examples: [{ reasons: ['Ngành nghề kinh doanh bị cấm'], legalBasis: 'Luật Đầu tư 2020, Điều 6' }] }), type: 'RefuseToResolve' },
  { path: 'issue-apology', summary: 'Apologise and give a new appointment (form 04)', body: issueApologySchema.omit(envelope).meta({ examples: [{ reason: 'Chờ ý kiến của cơ quan thuế', newAppointment: '2026-12-10T09:00:00+07:00' }] }), type: 'IssueApology' },
  // The signed result file itself, as multipart/form-data: its own route (./issue-result.ts).
  { path: 'issue-result', summary: 'Issue the result: the signed PDF of the competent body (its code is <dossier code>-KQ<n>)', body: issueResultForm, type: 'IssueResult', multipart: true },
  { path: 'return-result', summary: 'Return the result to the applicant', body: returnResultSchema.omit(envelope).meta({ examples: [{ method: 'counter', applicantNotifiedInAdvance: true }] }), type: 'ReturnResult' },
  { path: 'request-withdrawal', summary: "Record the applicant's request to withdraw", body: requestWithdrawalSchema.omit(envelope).meta({ examples: [{ reason: 'Công dân không còn nhu cầu' }] }), type: 'RequestWithdrawal' },
  { path: 'decide-withdrawal', summary: 'Decide on a withdrawal request (form 05 when approved)', body: decideWithdrawalSchema.omit(envelope).meta({ examples: [{ approved: true, reason: 'Đồng ý dừng giải quyết' }] }), type: 'DecideWithdrawal' },
  { path: 'record-evaluation', summary: "Record the applicant's evaluation", body: recordEvaluationSchema.omit(envelope).meta({ examples: [{ rating: 'very-satisfied', comment: 'Cán bộ nhiệt tình', source: 'paper-form', paperFormReference: 'PDG-2026/0153' }] }), type: 'RecordEvaluation' },
  { path: 'issue-lateness-apology', summary: 'Apologise to the applicant for an overdue dossier: a signed letter with the reason and, while the result is not ready, a new appointment (never moves the due date)', body: issueLatenessApologySchema.omit(envelope).meta({ examples: [{ reason: 'Chờ ý kiến của cơ quan thuế', newAppointment: '2026-12-10T09:00:00+07:00' }] }), type: 'IssueLatenessApology' },
  { path: 'record-lateness-explanation', summary: 'Record the accountability explanation (giải trình) of the agency responsible for an overdue dossier, to its head', body: recordLatenessExplanationSchema.omit(envelope).meta({ examples: [{ reason: 'Chuyên viên thụ lý nghỉ ốm, chưa bàn giao hồ sơ' }] }), type: 'RecordLatenessExplanation' },
] as const;

/** The path segment of each command's route, by command type: POST /dossiers/{code}/<path>. */
export const COMMAND_PATHS = Object.fromEntries(COMMAND_ROUTES.map((route) => [route.type, route.path])) as {
  readonly [Route in (typeof COMMAND_ROUTES)[number] as Route['type']]: Route['path'];
};

export const commandResponse = z.object({
  dossierCode: z.string(),
  status: z.string(),
  portalStatus: z.number().int(),
  streamVersion: z.number().int(),
  events: z.array(z.string()).describe('The events the command caused'),
  lookupSecret: z.string().optional().describe('On acceptance: the secret to print on the receipt, for the citizen lookup'),
});

/**
 * The answer to a dossier command that was taken (commandResponse's fields): the dossier's status and
 * its national-portal code, its stream version (also set as the ETag), and the events the command caused.
 */
export function commandAnswer(reply: FastifyReply, dossierCode: string, answer: CommandOutcome) {
  const status = answer.status === 'none' ? 'received' : answer.status;
  reply.header('etag', `"${answer.streamVersion}"`);
  return { dossierCode, status, portalStatus: NATIONAL_PORTAL_STATUS[status], streamVersion: answer.streamVersion, events: [...answer.events] };
}

/**
 * A command sent from a route: the body, then its type, its id (the Idempotency-Key's), the caller,
 * its subject (the dossier's code, a feedback item's id), and the If-Match version when given.
 */
export function routeCommand<S extends object>(request: FastifyRequest, type: string, subject: S) {
  const expected = request.headers['if-match'];
  return {
    ...(request.body as object),
    type,
    commandId: commandIdFor(request, randomUUID),
    actor: callerOf(request).actor,
    ...subject,
    ...(expected ? { expectedStreamVersion: Number(expected.replace(/\D/g, '')) } : {}),
  };
}

export const ifMatch = z.object({
  'if-match': z.string().regex(/^"\d+"$/, 'must be the strong ETag of the dossier, e.g. "7" (with the quotes)').optional().describe('Refuse (409) if the dossier moved past this stream version'),
  'idempotency-key': idempotencyKeySchema.optional().describe('Retries with the same key and body replay the first answer'),
});

export const dossierCommandRoutes: FastifyPluginAsyncZod<DossierCommandRoutesDeps> = async (app, { db, temporal, taskQueue, lookupKey, commandTimeoutMs }) => {
  for (const route of COMMAND_ROUTES) {
    if ('multipart' in route) continue;
    app.post(
      `/dossiers/:code/${route.path}`,
      {
        schema: {
          summary: route.summary,
          tags: ['commands'],
          params: dossierCodeParams,
          headers: ifMatch,
          body: route.body,
          response: { 200: commandResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema },
        },
        config: { access: { roles: COMMAND_ROLES[route.type] } },
      },
      async (request, reply) => {
        const dossierCode = request.params.code;
        const command = routeCommand(request, route.type, { dossierCode }) as DossierCommandRequest;
        const outcome = await sendDossierCommand({ db, temporal, taskQueue, commandTimeoutMs, log: request.log }, command);
        if (outcome.kind === 'unknown-dossier') return dossierNotFound(reply, dossierCode);
        if (outcome.kind === 'refused') return sendProblem(reply, outcome.problem);
        return {
          ...commandAnswer(reply, dossierCode, outcome.answer),
          ...(route.type === 'AcceptDossier' ? { lookupSecret: lookupSecretFor(lookupKey, dossierCode) } : {}),
        };
      },
    );
  }
};
