// A loopback double of Zalo ZNS and its OAuth token endpoint (docs/integrations.md#the-sms-and-zalo-doubles,
// docs/integrations.md#sms-and-zalo), enforcing the contract as the engine must meet it:
//   POST /message/template (header access_token) {phone, template_id, template_data, tracking_id}
//     → {error:0, message:"Success", data:{msg_id, sent_time}}, or error ≠ 0:
//       -124 access token unknown, -220 access token expired (after `expireAccessTokens()`),
//       -101 phone not 84 + a mobile number, -106 template not registered, -112 a parameter
//       missing, unknown, not text or longer than its type allows (name 30, code 30, address 200),
//       or tracking_id missing, -118 a number that is no Zalo account (`notZaloUsers`),
//       -110 out of quota (after `quota(times)`).
//   POST /v4/oa/access_token (header secret_key; form refresh_token, app_id, grant_type=refresh_token)
//     → {access_token, refresh_token, expires_in}: refresh tokens rotate, each is good once;
//     a spent or unknown one → {error:-14014, error_name:"Invalid refresh token"}.
// Each message is acted on once per idempotency key (the `Idempotency-Key` header, else the
// tracking_id): a resend is a duplicate, answered error 0 with the first msg_id.
// Test hooks: the shared fault switches (operation `message/template` or `access_token`),
// GET /__inspect, POST /__faults, GET /__receipts, POST /__expire-tokens.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { installReceiverControls, receiverHandle, type Receipt, ReceiptLedger, type ReceiverFault } from './receiver-double.js';

/** Parameter types of ZNS templates and their length caps (ZSDK `zns.d.ts` gives name 30, code 30, address 200; the rest are this double's). */
export const ZNS_PARAM_CAPS = { name: 30, code: 30, address: 200, phone: 15, date: 20, number: 20, currency: 20, text: 200 } as const;
export type ZnsParamType = keyof typeof ZNS_PARAM_CAPS;

export interface ZnsDoubleOptions {
  readonly port?: number;
  readonly appId?: string;
  readonly secretKey?: string;
  /** The refresh token first issued (the adapter's configured one). */
  readonly refreshToken?: string;
  /** An access token valid from the start, if any. */
  readonly accessToken?: string;
  /** Approved templates: template_id → parameter name → type. */
  readonly templates?: Readonly<Record<string, Readonly<Record<string, ZnsParamType>>>>;
  /** Numbers (84…) that have no Zalo account. */
  readonly notZaloUsers?: readonly string[];
}

export const ZNS_DOUBLE_DEFAULTS = {
  appId: '4318123456789',
  secretKey: 'zns-dev-secret',
  refreshToken: 'zns-dev-refresh-0',
  templates: {
    '301001': { ten_nguoi_nhan: 'name', ma_ho_so: 'code', ngay_hen_tra: 'date', noi_dung: 'text' },
    '301002': { ma_ho_so: 'code', dia_chi: 'address' },
  },
} satisfies ZnsDoubleOptions;

export interface SentZns {
  readonly key: string;
  readonly msgId: string;
  readonly to: string;
  readonly templateId: string;
  readonly templateData: Readonly<Record<string, string>>;
}

export interface InspectedZnsRequest {
  readonly operation: 'message/template' | 'access_token';
  readonly idempotencyKey: string | null;
  /** The message's body (no token; the number masked), or the refresh's grant_type and app_id. */
  readonly body: unknown;
  readonly error: number;
}

export interface ZnsDouble {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly ledger: ReceiptLedger;
  fail(fault: ReceiverFault): void;
  /** Every access token issued so far stops working (error -220), as at the end of its 25 hours. */
  expireAccessTokens(): void;
  /** The next `times` messages are refused for quota (-110), not acted on. */
  quota(times: number): void;
  /** The refresh token the double will accept next (tests check rotation). */
  currentRefreshToken(): string;
  receipts(): readonly Receipt[];
  requests(): readonly InspectedZnsRequest[];
  messages(): readonly SentZns[];
  close(): Promise<void>;
}

const MOBILE = /^84[35789][0-9]{8}$/;
const maskTail = (phone: string) => (phone.length > 5 ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}` : '***');
const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

function receiptOf(key: string, detail: unknown): Omit<Receipt, 'at'> {
  const [, dossierCode, sequence] = key.split('/');
  const number = Number(sequence);
  return { key, dossierCode: dossierCode ?? key, sequence: Number.isInteger(number) ? number : 0, detail };
}

export async function startZnsDouble(options: ZnsDoubleOptions = {}): Promise<ZnsDouble> {
  const appId = options.appId ?? ZNS_DOUBLE_DEFAULTS.appId;
  const secretKey = options.secretKey ?? ZNS_DOUBLE_DEFAULTS.secretKey;
  const templates: Readonly<Record<string, Readonly<Record<string, ZnsParamType>>>> = options.templates ?? ZNS_DOUBLE_DEFAULTS.templates;
  const notZalo = new Set(options.notZaloUsers ?? []);
  let refreshToken = options.refreshToken ?? ZNS_DOUBLE_DEFAULTS.refreshToken;
  const valid = new Set<string>(options.accessToken ? [options.accessToken] : []);
  const expired = new Set<string>();
  let quotaLeft = 0;
  const ledger = new ReceiptLedger();
  const received: InspectedZnsRequest[] = [];
  const sent: SentZns[] = [];
  /** tracking_id → msg_id of the message it sent. */
  const byTracking = new Map<string, string>();
  const app = Fastify({ logger: false, bodyLimit: 65_536 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, new URLSearchParams(body as string)));
  const control = installReceiverControls(app, ledger);
  const headerKey = (value: string | string[] | undefined) => (typeof value === 'string' && value !== '' ? value : null);

  app.post('/v4/oa/access_token', async (request, reply) => {
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const answer = (error: number, body: unknown) => {
      received.push({ operation: 'access_token', idempotencyKey: null, body: { grant_type: form.get('grant_type'), app_id: form.get('app_id') }, error });
      return body;
    };
    const fault = control.take('access_token');
    if (await control.before(fault, request, reply, '{"access_token":')) return reply;
    if (request.headers.secret_key !== secretKey) return answer(-14002, { error: -14002, error_name: 'Invalid secret key', error_description: 'secret_key is not valid for this app' });
    if (form.get('app_id') !== appId) return answer(-14001, { error: -14001, error_name: 'Invalid app id', error_description: 'app_id is not valid' });
    if (form.get('grant_type') !== 'refresh_token') return answer(-14003, { error: -14003, error_name: 'Invalid grant type', error_description: 'grant_type must be refresh_token' });
    if (form.get('refresh_token') !== refreshToken) return answer(-14014, { error: -14014, error_name: 'Invalid refresh token', error_description: 'the refresh token is invalid or was already used' });
    const access = token('access');
    refreshToken = token('refresh');
    valid.add(access);
    if (await control.afterActing(fault, request)) return reply;
    return answer(0, { access_token: access, refresh_token: refreshToken, expires_in: '90000' });
  });

  app.post('/message/template', async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const key = headerKey(request.headers['idempotency-key']);
    const answer = (error: number, message: string, data?: unknown) => {
      received.push({ operation: 'message/template', idempotencyKey: key, body: { ...body, phone: typeof body.phone === 'string' ? maskTail(body.phone) : body.phone }, error });
      return { error, message, ...(data ? { data } : {}) };
    };
    const fault = control.take('message/template');
    if (await control.before(fault, request, reply, '{"error":0,"data":')) return reply;
    const accessToken = headerKey(request.headers.access_token);
    if (accessToken !== null && expired.has(accessToken)) return answer(-220, 'access_token is expired or removed');
    if (accessToken === null || !valid.has(accessToken)) return answer(-124, 'Access token invalid');
    if (quotaLeft > 0) {
      quotaLeft -= 1;
      return answer(-110, 'Out of quota');
    }
    const phone = typeof body.phone === 'string' ? body.phone : '';
    if (!MOBILE.test(phone)) return answer(-101, 'Phone number invalid');
    const templateId = typeof body.template_id === 'string' ? body.template_id : '';
    const template = Object.hasOwn(templates, templateId) ? templates[templateId] : undefined;
    if (!template) return answer(-106, 'Template ID not exists');
    const data = body.template_data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return answer(-108, 'Template data empty');
    const values = data as Record<string, unknown>;
    for (const name of Object.keys(values)) if (!Object.hasOwn(template, name)) return answer(-112, `Parameter invalid: ${name} is not in the template`);
    for (const [name, type] of Object.entries(template)) {
      const value = values[name];
      if (typeof value !== 'string' || value === '') return answer(-112, `Parameter invalid: ${name} is missing`);
      if ([...value].length > ZNS_PARAM_CAPS[type]) return answer(-112, `Parameter invalid: ${name} is longer than ${ZNS_PARAM_CAPS[type]} characters`);
    }
    const trackingId = typeof body.tracking_id === 'string' ? body.tracking_id : '';
    if (trackingId === '' || trackingId.length > 128) return answer(-112, 'Parameter invalid: tracking_id');
    if (notZalo.has(phone)) return answer(-118, 'Zalo account not existed');
    const ledgerKey = key ?? trackingId;
    const outcome = ledger.act(receiptOf(ledgerKey, { templateId }));
    let msgId = byTracking.get(trackingId);
    if (outcome === 'new' || msgId === undefined) {
      msgId ??= randomBytes(16).toString('hex');
      byTracking.set(trackingId, msgId);
      if (outcome === 'new') sent.push({ key: ledgerKey, msgId, to: maskTail(phone), templateId, templateData: values as Record<string, string> });
    }
    if (await control.afterActing(fault, request)) return reply;
    return answer(0, 'Success', { msg_id: msgId, sent_time: String(Date.now()) });
  });

  app.post('/__expire-tokens', async () => {
    for (const access of valid) expired.add(access);
    valid.clear();
    return { expired: expired.size };
  });
  app.get('/__inspect', async () => ({ requests: received, messages: sent }));

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    ...receiverHandle(url, app, ledger, control),
    expireAccessTokens: () => {
      for (const access of valid) expired.add(access);
      valid.clear();
    },
    quota: (times) => {
      quotaLeft = times;
    },
    currentRefreshToken: () => refreshToken,
    requests: () => [...received],
    messages: () => [...sent],
  };
}
