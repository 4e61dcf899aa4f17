// The ONE reader of the national portal's answers (docs/integrations.md#the-portals-answers): every answer of either
// API generation is classified here, so the adapters never match a message themselves. Matching on
// the portal's words is brittle, so it is done once, tolerantly: the text is composed (NFC), lower-
// cased, and also compared without diacritics ("da ton tai" as "đã tồn tại"), while a negated
// success ("không thành công", "chưa thành công") is never taken for one.
//
//   answer                                           → verdict
//   HTTP 5xx, 408, 425, 429; network error; timeout  → retryable
//   HTTP 401/403                                     → session-expired (generation A re-authenticates once), else refused
//   other HTTP 4xx, 3xx                              → refused (the request or the endpoint is wrong)
//   empty body, an HTML page, not JSON where JSON is due → retryable (a gateway in the way, or a broken answer)
//   auth: error_code 0 and a session                 → session; a non-zero code → refused (credentials)
//   gen A: error_code 0 / "0" / "00"                 → delivered
//   gen A: a message about the session (phiên, token, hết hạn, expired) → session-expired [guess: no code seen]
//   gen A/B: "-3" / "3", or a message with "đã tồn tại" → already-exists (send as an update)
//   gen B create/update: "0" and "thành công"        → delivered; "0" without it → retryable (TH counts it a failure)
//   gen B progress: plain text with "thành công"     → delivered
//   anything else                                    → refused, with the portal's message (one line, ≤ 300 characters)
import { portalText } from '../../domain/portal-sync/portal-format.js';

/** An HTTP answer as the adapter read it. */
export interface PortalReply {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

export type PortalVerdict =
  | { readonly kind: 'delivered'; readonly message: string }
  | { readonly kind: 'already-exists'; readonly message: string }
  | { readonly kind: 'session-expired'; readonly message: string }
  | { readonly kind: 'retryable'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string; readonly message: string };

export type AuthVerdict = { readonly kind: 'session'; readonly session: string } | Extract<PortalVerdict, { kind: 'retryable' | 'refused' }>;

export type LookUpVerdict = { readonly kind: 'found'; readonly records: readonly unknown[] } | Exclude<PortalVerdict, { kind: 'delivered' | 'already-exists' }>;

const SUCCESS_CODES: ReadonlySet<string> = new Set(['0', '00']);
const EXISTS_CODES: ReadonlySet<string> = new Set(['3', '-3']);

/** The portal's message as it may be repeated in a reason: one line, at most 300 characters. */
export function portalMessage(text: unknown): string {
  return typeof text === 'string' ? portalText(text, 300) : '';
}

/** Lower case, composed, and a copy without diacritics (đ → d), for tolerant matching. */
function forms(text: string): { readonly exact: string; readonly folded: string } {
  const exact = text.normalize('NFC').toLowerCase();
  const folded = exact.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/\s+/g, ' ');
  return { exact, folded };
}

/** "… thành công" and not "không/chưa thành công". */
export function saysSuccess(text: string): boolean {
  const { folded } = forms(text);
  return folded.includes('thanh cong') && !/(khong|chua) thanh cong/.test(folded);
}

/** "… đã tồn tại" (already there). */
export function saysAlreadyExists(text: string): boolean {
  return forms(text).folded.includes('da ton tai');
}

/** A message about the session (generation A): no code for it is seen in public code [guess]. */
export function saysSessionExpired(text: string): boolean {
  return /session|token|phien (lam viec|dang nhap)|het han|expired|unauthori[sz]ed/.test(forms(text).folded);
}

/** The verdict an HTTP status alone gives, before the body is read; undefined for 2xx. */
function byStatus(reply: PortalReply, sessionAware: boolean): PortalVerdict | undefined {
  const { status } = reply;
  if (status >= 200 && status < 300) return undefined;
  if (status >= 500 || status === 408 || status === 425 || status === 429) return { kind: 'retryable', reason: `the portal answered HTTP ${status}` };
  if ((status === 401 || status === 403) && sessionAware) return { kind: 'session-expired', message: `HTTP ${status}` };
  const message = looksLikeHtml(reply) ? '' : portalMessage(reply.text);
  return { kind: 'refused', reason: `the portal refused the request with HTTP ${status}${message ? `: ${message}` : ''}`, message };
}

function looksLikeHtml({ contentType, text }: PortalReply): boolean {
  return (contentType ?? '').toLowerCase().includes('html') || /^\s*</.test(text);
}

type Retryable = Extract<PortalVerdict, { kind: 'retryable' }>;

/** The body as a JSON object, or why it is not one. */
function jsonObject(reply: PortalReply): { readonly body: Record<string, unknown> } | { readonly verdict: Retryable } {
  if (reply.text.trim() === '') return { verdict: { kind: 'retryable', reason: 'the portal answered with an empty body' } };
  if (looksLikeHtml(reply)) return { verdict: { kind: 'retryable', reason: 'the portal answered with an HTML page, not its answer (a gateway or proxy in the way?)' } };
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return { verdict: { kind: 'retryable', reason: 'the portal answered with a body that is not JSON' } };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { verdict: { kind: 'retryable', reason: 'the portal answered with JSON that is not an object' } };
  return { body: body as Record<string, unknown> };
}

function errorCode(body: Record<string, unknown>): string | undefined {
  const raw = body.error_code ?? body.errorCode ?? body.ErrorCode;
  return typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : undefined;
}

function refused(code: string | undefined, message: string): PortalVerdict {
  return { kind: 'refused', reason: `the portal refused it with error_code ${JSON.stringify(code ?? null)}${message ? `: ${message}` : ''}`, message };
}

/** Generation A's auth: `{session, error_code: 0}`; an empty session is no session (OCPS aborts). */
export function readAuthAnswer(reply: PortalReply): AuthVerdict {
  const status = byStatus(reply, false);
  if (status?.kind === 'retryable' || status?.kind === 'refused') return status;
  if (status) return { kind: 'refused', reason: 'the portal refused the authentication', message: '' };
  const parsed = jsonObject(reply);
  if ('verdict' in parsed) return parsed.verdict;
  const { body } = parsed;
  const code = errorCode(body);
  const message = portalMessage(body.message);
  if (code === undefined || !SUCCESS_CODES.has(code)) return { kind: 'refused', reason: `the portal refused the credentials with error_code ${JSON.stringify(code ?? null)}${message ? `: ${message}` : ''}`, message };
  if (typeof body.session !== 'string' || body.session.trim() === '') return { kind: 'retryable', reason: 'the portal answered the authentication without a session' };
  return { kind: 'session', session: body.session };
}

/** Generation A's DongBoHoSoMC and CapNhatTienDoHoSoMC: success is error_code 0, "0" or "00". */
export function readGenerationAAnswer(reply: PortalReply): PortalVerdict {
  const status = byStatus(reply, true);
  if (status) return status;
  const parsed = jsonObject(reply);
  if ('verdict' in parsed) return parsed.verdict;
  const { body } = parsed;
  const code = errorCode(body);
  const message = portalMessage(body.message ?? body.error_message);
  if (code !== undefined && SUCCESS_CODES.has(code)) return { kind: 'delivered', message };
  if (saysSessionExpired(message)) return { kind: 'session-expired', message };
  if ((code !== undefined && EXISTS_CODES.has(code)) || saysAlreadyExists(message)) return { kind: 'already-exists', message };
  return refused(code, message);
}

/** Generation A's TraCuuHoSo: `{error_code: 0, result: [...]}`; a non-empty result means the portal holds the dossier. */
export function readLookUpAnswer(reply: PortalReply): LookUpVerdict {
  const verdict = readGenerationAAnswer(reply);
  if (verdict.kind === 'already-exists') return refused(undefined, verdict.message) as LookUpVerdict;
  if (verdict.kind !== 'delivered') return verdict;
  const body = JSON.parse(reply.text) as Record<string, unknown>;
  const result = body.result ?? body.data;
  if (result === undefined || result === null) return { kind: 'found', records: [] };
  if (!Array.isArray(result)) return { kind: 'retryable', reason: 'the portal answered TraCuuHoSo with a result that is not a list' };
  return { kind: 'found', records: result };
}

/** The TrangThaiHoSo of a looked-up record (any letter case of the key), or null. */
export function lookedUpStatus(record: unknown): number | null {
  if (typeof record !== 'object' || record === null) return null;
  const entry = Object.entries(record).find(([key]) => key.toLowerCase() === 'trangthaihoso');
  const status = entry === undefined ? NaN : Number(String(entry[1]).trim());
  return Number.isInteger(status) && status >= 0 ? status : null;
}

/** Generation B's themmoi (and capnhat): `{error_code, message}`; success needs "0" and "thành công". */
export function readGenerationBAnswer(reply: PortalReply): PortalVerdict {
  const status = byStatus(reply, false);
  if (status) return status;
  const parsed = jsonObject(reply);
  if ('verdict' in parsed) return parsed.verdict;
  const { body } = parsed;
  const code = errorCode(body);
  const message = portalMessage(body.message);
  if ((code !== undefined && EXISTS_CODES.has(code)) || saysAlreadyExists(message)) return { kind: 'already-exists', message };
  if (code !== undefined && SUCCESS_CODES.has(code)) {
    return saysSuccess(message) ? { kind: 'delivered', message } : { kind: 'retryable', reason: `the portal answered error_code ${JSON.stringify(code)} without saying "thành công"${message ? `: ${message}` : ''}` };
  }
  return refused(code, message);
}

/** Generation B's tientrinh: plain text, success when it says "thành công". */
export function readProgressAnswer(reply: PortalReply): PortalVerdict {
  const status = byStatus(reply, false);
  if (status) return status;
  if (reply.text.trim() === '') return { kind: 'retryable', reason: 'the portal answered the progress with an empty body' };
  if (looksLikeHtml(reply)) return { kind: 'retryable', reason: 'the portal answered the progress with an HTML page, not its answer (a gateway or proxy in the way?)' };
  const message = portalMessage(reply.text.replace(/^\s*"|"\s*$/g, ''));
  if (saysSuccess(reply.text)) return { kind: 'delivered', message };
  return { kind: 'refused', reason: `the portal did not accept the progress${message ? `: ${message}` : ''}`, message };
}
