// The SMS brandname channel (receiver `sms`, docs/integrations.md#sms-and-zalo): one delivery, one
// message to the recipient's mobile number, through the gateway configured for the receiving unit.
//   VNPT:    POST {url} JSON {RQST:{name:"send_sms_list", REQID, LABELID, CONTRACTTYPEID, CONTRACTID,
//            TEMPLATEID, PARAMS[{NUM, CONTENT}], SCHEDULETIME, MOBILELIST, ISTELCOSUB, AGENTID,
//            APIUSER, APIPASS, USERNAME, DATACODING}} → {RPLY:{name, ERROR, ERROR_DESC}}, ERROR "0" sent.
//   Viettel: POST {url} SOAP wsCpMt {User, Password, CPCode, RequestID, UserID, ReceiverID,
//            ServiceID, CommandCode, Content, ContentType} → <return><message/><result/></return>,
//            result "1" sent.
// REQID / RequestID derive from the delivery key (its SHA-256, cut to the gateway's column), so a
// resend carries the same id and the gateway can tell it is one; the key itself also travels in
// an `Idempotency-Key` header (the doubles count receipts by it; a real gateway ignores it).
// The attempt's record has the number masked, the message's content replaced by its length and
// the credentials removed; requestSha256 is the digest of the body really sent.
import { resolveSecret, SecretUnavailable } from '../../platform/secret-reference.js';
import type { DeliveryChannel, DeliveryContext, DeliveryResult, Exchange } from '../outbox/delivery-channel.js';
import { maskPhone, recordedResponse, sha256Hex } from '../outbox/mask.js';
import { smsProviderFor, type SmsConfig, type ViettelSmsConfig, type VnptSmsConfig } from './sms-config.js';
import { normaliseVietnamesePhone, operatorOf, receivingAgencyOf, recipientPhoneOf } from './sms-phone.js';
import { isPlainAscii, maskedContent, noMessageResult, type NoMessagePolicy, postWithDeadline, quoted, type Render, requestIdOf, type SmsMessage, transportFailure } from './sms-shared.js';
import { readSoap, wsCpMtEnvelope, type WsCpMt } from './sms-soap.js';

export interface SmsChannelDeps {
  /** The message a delivery sends (the notices' templates, wired by the lead); undefined: nothing for this trigger. */
  readonly render: Render<SmsMessage>;
  /** What a trigger with no message gives (sms-shared.ts): `refuse` by default. */
  readonly onNoMessage?: NoMessagePolicy;
  /** The number as written; by default the recipient rule's (representative, else applicant) from DossierReceived. */
  readonly recipientPhone?: (context: DeliveryContext) => string | undefined;
  /** Where secret references are resolved (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A gateway's verdict on its answer. */
export type GatewayVerdict = { readonly sent: true } | { readonly sent: false; readonly retryable: boolean; readonly reason: string };

/**
 * VNPT's ERROR codes. "0" (success) and "7" (template not valid for the label and agent) are seen
 * in public client code; the others are the loopback double's and a deployment corrects them from
 * its contract (sms-config.ts `errorCodes`). A code in neither list is retried (and, if it never
 * clears, dead-lettered after the ceiling, where an operator sees it).
 */
export const VNPT_ERROR_CODES = {
  permanent: { '1': 'request malformed', '2': 'credentials refused', '7': 'template not valid for the label and agent', '8': 'parameters do not match the template', '9': 'invalid mobile number', '10': 'content not allowed by DATACODING' },
  transient: { '99': 'gateway busy' },
} as const;

export function classifyVnptAnswer(body: string, codes: VnptSmsConfig['errorCodes'] = undefined): GatewayVerdict {
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return { sent: false, retryable: true, reason: 'the gateway answered with a body that is not JSON' };
  }
  const rply = typeof reply === 'object' && reply !== null ? (reply as { RPLY?: unknown }).RPLY : undefined;
  const error = typeof rply === 'object' && rply !== null ? (rply as { ERROR?: unknown }).ERROR : undefined;
  if (typeof error !== 'string' && typeof error !== 'number') return { sent: false, retryable: true, reason: 'the gateway answered without RPLY.ERROR' };
  const code = String(error);
  if (code === '0') return { sent: true };
  const description = quoted(String((rply as { ERROR_DESC?: unknown }).ERROR_DESC ?? ''));
  const permanent: readonly string[] = codes?.permanent ?? Object.keys(VNPT_ERROR_CODES.permanent);
  const known = (VNPT_ERROR_CODES.permanent as Record<string, string>)[code] ?? (VNPT_ERROR_CODES.transient as Record<string, string>)[code];
  return { sent: false, retryable: !permanent.includes(code), reason: `VNPT ERROR ${quoted(code, 20)}${known ? ` (${known})` : ''}: ${description}` };
}

/**
 * Viettel answers result "1" when it queued the message; otherwise "0" and a message, e.g.
 * "Check template: CONTENT_NOT_MATCH_TEMPLATE" (seen in public code). The message decides.
 */
export const VIETTEL_PERMANENT_MESSAGES = [/authen/i, /password/i, /template/i, /receiver|msisdn|phone number|invalid number/i, /content ?type|not[ _]?ascii|unicode/i, /cpcode|service ?id|brandname/i];

export function classifyViettelAnswer(xml: string): GatewayVerdict {
  const soap = readSoap(xml);
  if (soap instanceof Error || soap.operation !== 'wsCpMtResponse' || soap.fields.result === undefined) {
    const fault = soap instanceof Error ? undefined : soap.fields.faultstring;
    return { sent: false, retryable: true, reason: fault !== undefined ? `SOAP Fault ${quoted(fault)}` : 'the gateway answered with something that is not a wsCpMtResponse' };
  }
  const result = soap.fields.result.trim();
  if (result === '1') return { sent: true };
  const message = soap.fields.message ?? '';
  return { sent: false, retryable: !VIETTEL_PERMANENT_MESSAGES.some((pattern) => pattern.test(message)), reason: `Viettel result ${quoted(result, 20)}: ${quoted(message)}` };
}

/** TEMPLATEID and PARAMS for a VNPT message, or why there are none. */
export function vnptTemplateFor(message: SmsMessage, trigger: string, provider: VnptSmsConfig): { templateId: string; params: readonly string[] } | string {
  if ('templateId' in message) return { templateId: message.templateId, params: message.params };
  const configured = Object.hasOwn(provider.templates, trigger) ? provider.templates[trigger as keyof VnptSmsConfig['templates']] : undefined;
  if (configured) {
    const params: string[] = [];
    for (const name of configured.params) {
      const value = message.values?.[name];
      if (value === undefined) return `the rendered SMS has no value for parameter ${quoted(name, 60)} of VNPT template ${configured.templateId}`;
      params.push(value);
    }
    return { templateId: configured.templateId, params };
  }
  if (provider.textTemplateId) return { templateId: provider.textTemplateId, params: [message.text] };
  return 'no VNPT template is configured for this trigger (set templates or textTemplateId)';
}

const refused = (reason: string): DeliveryResult => ({ outcome: 'failed', retryable: false, reason });

function verdictResult(verdict: GatewayVerdict, reference: string, exchange: Exchange): DeliveryResult {
  return verdict.sent ? { outcome: 'delivered', reference, exchange } : { outcome: 'failed', retryable: verdict.retryable, reason: verdict.reason, exchange };
}

async function sendVnpt(context: DeliveryContext, phone: string, message: SmsMessage, provider: VnptSmsConfig, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<DeliveryResult> {
  const template = vnptTemplateFor(message, context.trigger, provider);
  if (typeof template === 'string') return refused(template);
  if (provider.dataCoding === '0' && !template.params.every(isPlainAscii)) return refused('the SMS is not plain ASCII and the VNPT gateway is set to DATACODING "0": render the ASCII variant');
  const reqId = requestIdOf(context.key, provider.reqIdLength);
  const rqst = {
    name: 'send_sms_list',
    REQID: reqId,
    LABELID: provider.labelId,
    CONTRACTTYPEID: provider.contractTypeId,
    CONTRACTID: provider.contractId,
    TEMPLATEID: template.templateId,
    PARAMS: template.params.map((content, index) => ({ NUM: String(index + 1), CONTENT: content })),
    SCHEDULETIME: '',
    MOBILELIST: phone,
    ISTELCOSUB: provider.isTelcoSub,
    AGENTID: provider.agentId,
    APIUSER: provider.apiUser,
    APIPASS: resolveSecret(provider.apiPass, 'sms.apiPass', env),
    USERNAME: provider.username,
    DATACODING: provider.dataCoding,
  };
  const body = JSON.stringify({ RQST: rqst });
  const { APIUSER: _user, APIPASS: _pass, ...shown } = rqst;
  // The digest is of the body as sent with the password left out: a digest over it would let a
  // reader of the records, who can rebuild the rest, test password guesses offline.
  const digest = sha256Hex(JSON.stringify({ RQST: { ...rqst, APIPASS: '' } }));
  const exchange = (response: string): Exchange => ({
    request: { RQST: { ...shown, MOBILELIST: maskPhone(phone), PARAMS: rqst.PARAMS.map((param) => ({ NUM: param.NUM, CONTENT: maskedContent(param.CONTENT) })) } },
    requestSha256: digest,
    response: recordedResponse(response),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', 'idempotency-key': context.key };
  if (provider.password) headers.authorization = `Basic ${Buffer.from(`${provider.username}:${resolveSecret(provider.password, 'sms.password', env)}`).toString('base64')}`;
  const answer = await postWithDeadline(provider.url, headers, body, timeoutMs);
  const failure = transportFailure(answer, exchange, timeoutMs);
  if (failure || answer.kind !== 'answer') return failure!;
  return verdictResult(classifyVnptAnswer(answer.body, provider.errorCodes), reqId, exchange(answer.body));
}

async function sendViettel(context: DeliveryContext, phone: string, message: SmsMessage, provider: ViettelSmsConfig, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<DeliveryResult> {
  if (!('text' in message)) return refused("Viettel's wsCpMt sends text, and the SMS was rendered as a registered template");
  if (provider.contentType === '0' && !isPlainAscii(message.text)) return refused('the SMS is not plain ASCII and the Viettel gateway is set to ContentType "0": render the ASCII variant');
  const requestId = requestIdOf(context.key, provider.requestIdLength);
  const call: WsCpMt = {
    User: provider.user,
    Password: resolveSecret(provider.password, 'sms.password', env),
    CPCode: provider.cpCode,
    RequestID: requestId,
    UserID: phone,
    ReceiverID: phone,
    ServiceID: provider.serviceId,
    CommandCode: provider.commandCode,
    Content: message.text,
    ContentType: provider.contentType,
  };
  const body = wsCpMtEnvelope(call);
  const { User: _user, Password: _password, ...shown } = call;
  // As for VNPT: the digest is of the envelope as sent with the password left out.
  const digest = sha256Hex(wsCpMtEnvelope({ ...call, Password: '' }));
  const exchange = (response: string): Exchange => ({
    request: { wsCpMt: { ...shown, UserID: maskPhone(phone), ReceiverID: maskPhone(phone), Content: maskedContent(message.text) } },
    requestSha256: digest,
    response: recordedResponse(response),
  });
  const answer = await postWithDeadline(provider.url, { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', 'idempotency-key': context.key }, body, timeoutMs);
  const failure = transportFailure(answer, exchange, timeoutMs);
  if (failure || answer.kind !== 'answer') return failure!;
  return verdictResult(classifyViettelAnswer(answer.body), requestId, exchange(answer.body));
}

export function createSmsChannel(config: SmsConfig, deps: SmsChannelDeps): DeliveryChannel {
  const env = deps.env ?? process.env;
  return {
    receiver: 'sms',
    async deliver(context) {
      const written = (deps.recipientPhone ?? recipientPhoneOf)(context);
      if (written === undefined) return refused('the recipient has no phone number');
      const phone = normaliseVietnamesePhone(written);
      if (phone === undefined) return refused("the recipient's number is not a Vietnamese mobile number");
      if (operatorOf(phone, config.operatorPrefixes) === undefined) return refused("the recipient's number is in no configured operator's prefixes");
      const message = await deps.render(context);
      if (message === undefined) return noMessageResult(deps.onNoMessage ?? 'refuse');
      const provider = smsProviderFor(config, receivingAgencyOf(context));
      try {
        return provider.provider === 'vnpt'
          ? await sendVnpt(context, phone, message, provider, config.timeoutMs, env)
          : await sendViettel(context, phone, message, provider, config.timeoutMs, env);
      } catch (error) {
        // A secret that cannot be read now may be mounted by the next attempt.
        if (error instanceof SecretUnavailable) return { outcome: 'failed', retryable: true, reason: error.message };
        throw error;
      }
    },
  };
}
