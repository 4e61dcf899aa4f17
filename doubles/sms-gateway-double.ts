// A loopback double of the SMS brandname gateways (docs/integrations.md#sms-and-zalo, docs/integrations.md#the-sms-and-zalo-doubles):
// one Fastify app on 127.0.0.1 with both providers' endpoints, each enforcing its contract:
//   POST /smsmarketing/api   VNPT JSON {RQST:{…}} → {RPLY:{name, ERROR, ERROR_DESC}}: credentials and
//     contract ids (ERROR 2), REQID present and short enough (1), MOBILELIST 84 + a mobile number
//     (9), TEMPLATEID registered (7), PARAMS numbered 1..n as many as the template has (8), CONTENT
//     plain ASCII when DATACODING is "0" (10); with `basicPassword`, HTTP Basic auth (401).
//   POST /bulkapi            Viettel SOAP wsCpMt → wsCpMtResponse {message, result}: User/Password
//     and CPCode ("Authenticate: …"), ServiceID ("Check brandname: …"), UserID/ReceiverID
//     ("Check receiver: …"), ASCII content for ContentType "0" ("Check content: CONTENT_NOT_ASCII");
//     result "1" "Insert MT_QUEUE: OK" when queued. A body that is not a SOAP envelope: HTTP 500 Fault.
// Only ERROR "0"/"7" and result "1"/"0" with CONTENT_NOT_MATCH_TEMPLATE are seen in public code;
// the other codes are this double's, matched by the channel's defaults (sms-channel.ts).
// Each message is acted on once per idempotency key: the `Idempotency-Key` header the adapter
// sends (the delivery key: the receipt's dossier and sequence come from it), else the REQID /
// RequestID; a resend is a duplicate, answered as a success without a second message.
// Test hooks: the shared fault switches (operation `vnpt` or `viettel`), `busy(times)` (VNPT
// ERROR 99, Viettel "System busy"), GET /__inspect, POST /__faults, GET /__receipts.
import Fastify, { type FastifyInstance } from 'fastify';
import { isPlainAscii } from '../integrations/notifications/sms-shared.js';
import { readSoap, soapFaultEnvelope, WS_CP_MT_FIELDS, wsCpMtResponseEnvelope } from '../integrations/notifications/sms-soap.js';
import { installReceiverControls, receiverHandle, type Receipt, ReceiptLedger, type ReceiverFault } from './receiver-double.js';

export interface VnptDoubleAccount {
  readonly username: string;
  readonly apiUser: string;
  readonly apiPass: string;
  readonly labelId: string;
  readonly contractTypeId: string;
  readonly contractId: string;
  readonly agentId: string;
  /** When set, the endpoint asks for HTTP Basic auth as `username` with this password. */
  readonly basicPassword?: string;
  /** Registered templates: TEMPLATEID → how many PARAMS it takes. */
  readonly templates: Readonly<Record<string, { readonly params: number }>>;
  readonly reqIdMaxLength: number;
}

export interface ViettelDoubleAccount {
  readonly user: string;
  readonly password: string;
  readonly cpCode: string;
  readonly serviceId: string;
}

export interface SmsGatewayDoubleOptions {
  readonly port?: number;
  readonly vnpt?: Partial<VnptDoubleAccount>;
  readonly viettel?: Partial<ViettelDoubleAccount>;
}

/** The accounts the double accepts unless told otherwise (npm start and the tests configure the adapter with them). */
export const SMS_DOUBLE_ACCOUNTS: { readonly vnpt: VnptDoubleAccount; readonly viettel: ViettelDoubleAccount } = {
  vnpt: {
    username: 'MOTCUA_DEV',
    apiUser: 'motcua-api',
    apiPass: 'vnpt-dev-pass',
    labelId: '131350',
    contractTypeId: '1',
    contractId: '401',
    agentId: '164',
    templates: { '554183': { params: 1 }, '554184': { params: 2 } },
    reqIdMaxLength: 20,
  },
  viettel: { user: 'smsbrand_motcua', password: 'viettel-dev-pass', cpCode: 'MOTCUA', serviceId: 'MOTCUA-DEV' },
};

/** A message the gateway queued (the number masked; the content is the test's own). */
export interface QueuedSms {
  readonly provider: 'vnpt' | 'viettel';
  readonly key: string;
  readonly to: string;
  readonly templateId?: string;
  readonly content: readonly string[];
}

export interface InspectedSmsRequest {
  readonly operation: 'vnpt' | 'viettel';
  readonly idempotencyKey: string | null;
  /** The body with passwords replaced and the number masked. */
  readonly body: unknown;
  readonly answer: string;
}

export interface SmsGatewayDouble {
  readonly url: string;
  /** The VNPT RQST endpoint and the Viettel SOAP endpoint. */
  readonly vnptUrl: string;
  readonly viettelUrl: string;
  readonly app: FastifyInstance;
  readonly ledger: ReceiptLedger;
  fail(fault: ReceiverFault): void;
  /** The next `times` calls get the gateway's own "busy" answer (not acted on). */
  busy(times: number): void;
  receipts(): readonly Receipt[];
  requests(): readonly InspectedSmsRequest[];
  messages(): readonly QueuedSms[];
  close(): Promise<void>;
}

const MOBILE = /^84[35789][0-9]{8}$/;

/** The receipt of a key: `receiver/dossierCode/sequence/trigger` (domain/outbox/deliveries.ts), or the raw id. */
function receiptOf(key: string, detail: unknown): Omit<Receipt, 'at'> {
  const [, dossierCode, sequence] = key.split('/');
  const number = Number(sequence);
  return { key, dossierCode: dossierCode ?? key, sequence: Number.isInteger(number) ? number : 0, detail };
}

const maskTail = (phone: string) => (phone.length > 5 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}` : '***');

export async function startSmsGatewayDouble(options: SmsGatewayDoubleOptions = {}): Promise<SmsGatewayDouble> {
  const vnpt: VnptDoubleAccount = { ...SMS_DOUBLE_ACCOUNTS.vnpt, ...options.vnpt };
  const viettel: ViettelDoubleAccount = { ...SMS_DOUBLE_ACCOUNTS.viettel, ...options.viettel };
  const ledger = new ReceiptLedger();
  const received: InspectedSmsRequest[] = [];
  const queued: QueuedSms[] = [];
  /** REQID/RequestID → the key it first came with (a gateway dedups on its own id). */
  const ids = new Map<string, string>();
  let busyLeft = 0;
  const app = Fastify({ logger: false, bodyLimit: 262_144 });
  app.addContentTypeParser(['text/xml', 'application/soap+xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const control = installReceiverControls(app, ledger);

  /** Acts once per key; the id the gateway itself dedups on maps a keyless resend to its key. */
  const act = (provider: 'vnpt' | 'viettel', headerKey: string | null, id: string, message: Omit<QueuedSms, 'provider' | 'key'>): 'new' | 'duplicate' => {
    const key = headerKey ?? ids.get(`${provider}:${id}`) ?? `${provider}:${id}`;
    if (!ids.has(`${provider}:${id}`)) ids.set(`${provider}:${id}`, key);
    else if (ids.get(`${provider}:${id}`) !== key) return ledger.act(receiptOf(ids.get(`${provider}:${id}`)!, { provider }));
    const outcome = ledger.act(receiptOf(key, { provider, templateId: message.templateId }));
    if (outcome === 'new') queued.push({ provider, key, ...message });
    return outcome;
  };
  const headerKey = (value: string | string[] | undefined) => (typeof value === 'string' && value !== '' ? value : null);

  app.post('/smsmarketing/api', async (request, reply) => {
    const rqst = (request.body as { RQST?: Record<string, unknown> } | null)?.RQST;
    const answer = (error: string, description: string) => {
      received.push({ operation: 'vnpt', idempotencyKey: headerKey(request.headers['idempotency-key']), body: rqst ? { RQST: { ...rqst, APIPASS: '***', MOBILELIST: maskTail(String(rqst.MOBILELIST ?? '')) } } : null, answer: error });
      return { RPLY: { name: 'send_sms_list', ERROR: error, ERROR_DESC: description } };
    };
    const fault = control.take('vnpt');
    if (await control.before(fault, request, reply, '{"RPLY":{"ERROR":')) return reply;
    if (vnpt.basicPassword && request.headers.authorization !== `Basic ${Buffer.from(`${vnpt.username}:${vnpt.basicPassword}`).toString('base64')}`) {
      return reply.code(401).send(answer('401', 'unauthorized'));
    }
    if (busyLeft > 0) {
      busyLeft -= 1;
      return answer('99', 'he thong dang ban, thu lai sau');
    }
    if (typeof rqst !== 'object' || rqst === null || rqst.name !== 'send_sms_list') return answer('1', 'RQST khong hop le');
    const field = (name: string) => (typeof rqst[name] === 'string' ? (rqst[name] as string) : undefined);
    if (field('APIUSER') !== vnpt.apiUser || field('APIPASS') !== vnpt.apiPass || field('USERNAME') !== vnpt.username || field('AGENTID') !== vnpt.agentId) return answer('2', 'sai thong tin xac thuc');
    if (field('LABELID') !== vnpt.labelId || field('CONTRACTID') !== vnpt.contractId || field('CONTRACTTYPEID') !== vnpt.contractTypeId) return answer('2', 'sai nhan hoac hop dong');
    const reqId = field('REQID');
    if (!reqId || reqId.length > vnpt.reqIdMaxLength) return answer('1', 'REQID khong hop le');
    if (field('DATACODING') !== '0' && field('DATACODING') !== '8') return answer('1', 'DATACODING khong hop le');
    const mobile = field('MOBILELIST') ?? '';
    if (!MOBILE.test(mobile)) return answer('9', 'so dien thoai khong hop le');
    const templateId = field('TEMPLATEID') ?? '';
    const template = Object.hasOwn(vnpt.templates, templateId) ? vnpt.templates[templateId] : undefined;
    if (!template) return answer('7', 'template khong hop le hoac ko ton tai vs label va agent');
    const params = rqst.PARAMS;
    const wellNumbered =
      Array.isArray(params) &&
      params.length === template.params &&
      params.every((param: unknown, index) => typeof param === 'object' && param !== null && (param as { NUM?: unknown }).NUM === String(index + 1) && typeof (param as { CONTENT?: unknown }).CONTENT === 'string' && (param as { CONTENT: string }).CONTENT !== '');
    if (!wellNumbered) return answer('8', `template can ${template.params} tham so NUM 1..${template.params}`);
    const content = (params as { CONTENT: string }[]).map((param) => param.CONTENT);
    if (field('DATACODING') === '0' && !content.every(isPlainAscii)) return answer('10', 'noi dung co dau voi DATACODING 0');
    act('vnpt', headerKey(request.headers['idempotency-key']), reqId, { to: maskTail(mobile), templateId, content });
    if (await control.afterActing(fault, request)) return reply;
    return answer('0', 'success');
  });

  app.post('/bulkapi', async (request, reply) => {
    const xml = typeof request.body === 'string' ? request.body : '';
    const soap = readSoap(xml);
    const key = headerKey(request.headers['idempotency-key']);
    const answer = (result: string, message: string) => {
      received.push({ operation: 'viettel', idempotencyKey: key, body: soap instanceof Error ? null : { ...soap.fields, Password: '***', UserID: maskTail(soap.fields.UserID ?? ''), ReceiverID: maskTail(soap.fields.ReceiverID ?? '') }, answer: `${result} ${message}` });
      return reply.type('text/xml; charset=utf-8').send(wsCpMtResponseEnvelope(result, message));
    };
    const fault = control.take('viettel');
    if (await control.before(fault, request, reply, '<?xml version="1.0"?><S:Envelope')) return reply;
    if (soap instanceof Error || soap.operation !== 'wsCpMt') {
      received.push({ operation: 'viettel', idempotencyKey: key, body: null, answer: 'Fault' });
      return reply.code(500).type('text/xml; charset=utf-8').send(soapFaultEnvelope(soap instanceof Error ? `Unmarshalling Error: ${soap.message.slice(0, 100)}` : `Cannot find dispatch method for ${soap.operation}`));
    }
    if (busyLeft > 0) {
      busyLeft -= 1;
      return answer('0', 'System busy, try again later');
    }
    const call = soap.fields;
    const missing = WS_CP_MT_FIELDS.find((name) => call[name] === undefined);
    if (missing) return answer('0', `Invalid parameter: ${missing} is missing`);
    if (call.User !== viettel.user || call.Password !== viettel.password) return answer('0', 'Authenticate: AUTHENTICATE_FAIL');
    if (call.CPCode !== viettel.cpCode) return answer('0', 'Authenticate: CPCODE_NOT_FOUND');
    if (call.ServiceID !== viettel.serviceId) return answer('0', 'Check brandname: SERVICEID_NOT_FOUND');
    if (!MOBILE.test(call.UserID!) || call.ReceiverID !== call.UserID) return answer('0', 'Check receiver: RECEIVER_INVALID');
    if (call.ContentType !== '0' && call.ContentType !== '1') return answer('0', 'Check content: CONTENTTYPE_INVALID');
    if (call.Content === '' || (call.ContentType === '0' && !isPlainAscii(call.Content!))) return answer('0', 'Check content: CONTENT_NOT_ASCII');
    if (call.RequestID === '') return answer('0', 'Invalid parameter: RequestID is empty');
    act('viettel', key, call.RequestID!, { to: maskTail(call.ReceiverID!), content: [call.Content!] });
    if (await control.afterActing(fault, request)) return reply;
    return answer('1', 'Insert MT_QUEUE: OK');
  });

  app.get('/__inspect', async () => ({ requests: received, messages: queued }));

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    ...receiverHandle(url, app, ledger, control),
    vnptUrl: `${url}/smsmarketing/api`,
    viettelUrl: `${url}/bulkapi`,
    busy: (times) => {
      busyLeft = times;
    },
    requests: () => [...received],
    messages: () => [...queued],
  };
}
