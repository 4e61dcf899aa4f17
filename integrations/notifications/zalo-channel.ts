// The Zalo ZNS channel (receiver `zalo`, docs/integrations.md#sms-and-zalo): one delivery, one
// template message to the recipient's phone (docs/integrations.md#sms-and-zalo):
//   POST {baseUrl}/message/template, header access_token,
//        {phone:"84…", template_id, template_data:{…}, tracking_id} → {error:0, message, data:{msg_id}}
// tracking_id comes from the delivery key, so a resend carries the same one. error ≠ 0 is
// classified: an expired or invalid access token is refreshed and the message resent once within
// the attempt; an unknown template, bad parameters or a number that is no Zalo account will never
// go (dead-lettered at once); quota, busy and unknown codes are retried.
// Token refresh: POST {oauthBaseUrl}/v4/oa/access_token, header secret_key, form refresh_token,
// app_id, grant_type=refresh_token → {access_token, refresh_token, expires_in}. Refresh tokens
// ROTATE: each refresh spends the old one. The tokens are kept in memory, one refresh at a time;
// a deployment with more than one worker, or that restarts, must persist the rotated refresh token
// (deps.tokenStore: a row in PostgreSQL, as Thanh Hóa keeps it in a config row), or the first
// restart after a rotation starts from a spent token configured in `refreshToken`.
import { resolveSecret, SecretUnavailable } from '../../platform/secret-reference.js';
import type { DeliveryChannel, DeliveryContext, DeliveryResult, Exchange } from '../outbox/delivery-channel.js';
import { maskPhone, recordedResponse, sha256Hex } from '../outbox/mask.js';
import type { ZaloConfig } from './zalo-config.js';
import { normaliseVietnamesePhone, recipientPhoneOf } from './sms-phone.js';
import { maskedContent, noMessageResult, type NoMessagePolicy, postWithDeadline, quoted, type Render, requestIdOf, transportFailure, type ZnsMessage } from './sms-shared.js';

export interface ZaloTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Where the rotated tokens outlive the process (the lead's, e.g. a PostgreSQL row). */
export interface ZaloTokenStore {
  load(): Promise<ZaloTokens | undefined>;
  save(tokens: ZaloTokens): Promise<void>;
}

export interface ZaloChannelDeps {
  /** The template message a delivery sends (the notices' templates, wired by the lead); undefined: nothing for this trigger. */
  readonly render: Render<ZnsMessage>;
  /** What a trigger with no message gives (sms-shared.ts): `refuse` by default. */
  readonly onNoMessage?: NoMessagePolicy;
  /** The number as written; by default the recipient rule's (representative, else applicant). */
  readonly recipientPhone?: (context: DeliveryContext) => string | undefined;
  /** Keeps the rotated tokens; memory only without it (see the comment at the top). */
  readonly tokenStore?: ZaloTokenStore;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * ZNS error codes as seen in public client code (not Zalo's own table, which is not public
 * without an account): -124 "Access token invalid", -220 "access_token is expired or removed",
 * -118 "Zalo account not existed", and the template and parameter codes. -110 is read as "out
 * of quota" by one client and as a phone format error by another: it is retried (as every code in
 * neither list is), so a wrong reading costs retries, never a lost message.
 */
export const ZNS_ERROR_CODES = {
  refresh: { '-124': 'access token invalid', '-220': 'access token expired or removed' },
  permanent: {
    '-101': 'phone number invalid',
    '-106': 'template not found',
    '-107': 'template invalid',
    '-108': 'template data empty',
    '-112': 'parameter invalid',
    '-113': 'template data invalid',
    '-118': 'not a Zalo user (Zalo account not existed)',
  },
  transient: { '-110': 'out of quota', '-1472': 'daily limit exceeded' },
} as const;

export type ZnsVerdict =
  | { readonly kind: 'sent'; readonly msgId: string }
  | { readonly kind: 'refresh'; readonly reason: string }
  | { readonly kind: 'failed'; readonly retryable: boolean; readonly reason: string };

export function classifyZnsAnswer(body: string, codes: ZaloConfig['errorCodes'] = undefined): ZnsVerdict {
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return { kind: 'failed', retryable: true, reason: 'ZNS answered with a body that is not JSON' };
  }
  const record = typeof reply === 'object' && reply !== null ? (reply as { error?: unknown; message?: unknown; data?: unknown }) : {};
  const error = typeof record.error === 'string' && /^-?[0-9]+$/.test(record.error) ? Number(record.error) : record.error;
  if (typeof error !== 'number') return { kind: 'failed', retryable: true, reason: 'ZNS answered without an error code' };
  if (error === 0) {
    const msgId = typeof record.data === 'object' && record.data !== null ? (record.data as { msg_id?: unknown }).msg_id : undefined;
    if (typeof msgId !== 'string' || msgId === '') return { kind: 'failed', retryable: true, reason: 'ZNS answered error 0 without data.msg_id' };
    return { kind: 'sent', msgId };
  }
  const label = (table: Record<string, string>) => table[String(error)];
  const known = label(ZNS_ERROR_CODES.refresh) ?? label(ZNS_ERROR_CODES.permanent) ?? label(ZNS_ERROR_CODES.transient);
  const reason = `ZNS error ${error}${known ? ` (${known})` : ''}: ${quoted(typeof record.message === 'string' ? record.message : '')}`;
  const refresh = codes?.refresh ?? Object.keys(ZNS_ERROR_CODES.refresh).map(Number);
  if (refresh.includes(error)) return { kind: 'refresh', reason };
  const permanent = codes?.permanent ?? Object.keys(ZNS_ERROR_CODES.permanent).map(Number);
  return { kind: 'failed', retryable: !permanent.includes(error), reason };
}

/** The refresh did not give new tokens (no answer, refused, not the contract). */
class TokenRefreshFailed extends Error {}
/** Zalo answered the refresh, without tokens: this refresh token (or the app's secret) is not good. */
class TokenRefused extends TokenRefreshFailed {}

/** The OA's tokens: loaded once, refreshed one caller at a time (a rotated refresh token is spent by its first use). */
class ZaloTokenKeeper {
  #tokens: ZaloTokens | undefined;
  #refreshing: Promise<ZaloTokens> | undefined;

  constructor(
    private readonly config: ZaloConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly store: ZaloTokenStore | undefined,
  ) {}

  async accessToken(): Promise<string> {
    if (this.#tokens) return this.#tokens.accessToken;
    const stored = await this.store?.load();
    if (stored) return (this.#tokens ??= stored).accessToken;
    if (this.config.accessToken) {
      this.#tokens ??= { accessToken: resolveSecret(this.config.accessToken, 'zalo.accessToken', this.env), refreshToken: resolveSecret(this.config.refreshToken, 'zalo.refreshToken', this.env) };
      return this.#tokens.accessToken;
    }
    return (await this.refresh(undefined)).accessToken;
  }

  /** New tokens, unless another caller already replaced `stale`. */
  async refresh(stale: string | undefined): Promise<ZaloTokens> {
    if (this.#tokens && stale !== undefined && this.#tokens.accessToken !== stale) return this.#tokens;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<ZaloTokens> {
    const kept = this.#tokens?.refreshToken ?? (await this.store?.load())?.refreshToken;
    const configured = () => resolveSecret(this.config.refreshToken, 'zalo.refreshToken', this.env);
    if (kept !== undefined) {
      try {
        return await this.#refreshWith(kept);
      } catch (error) {
        // The kept (rotated) token was refused: an operator who re-authorised the OA set a new one
        // as zalo.refreshToken, which the store's copy must not shadow for ever.
        if (!(error instanceof TokenRefused) || configured() === kept) throw error;
      }
    }
    return this.#refreshWith(configured());
  }

  async #refreshWith(refreshToken: string): Promise<ZaloTokens> {
    const form = new URLSearchParams({ refresh_token: refreshToken, app_id: this.config.appId, grant_type: 'refresh_token' });
    const url = new URL('v4/oa/access_token', this.config.oauthBaseUrl.endsWith('/') ? this.config.oauthBaseUrl : `${this.config.oauthBaseUrl}/`).toString();
    const answer = await postWithDeadline(url, { 'content-type': 'application/x-www-form-urlencoded', secret_key: resolveSecret(this.config.secretKey, 'zalo.secretKey', this.env) }, form.toString(), this.config.timeoutMs);
    if (answer.kind !== 'answer') throw new TokenRefreshFailed(`the token refresh got ${answer.kind === 'timeout' ? `no answer within ${this.config.timeoutMs} ms` : 'no answer'}`);
    if (answer.status >= 500) throw new TokenRefreshFailed(`the token refresh answered HTTP ${answer.status}`);
    let reply: { access_token?: unknown; refresh_token?: unknown; error?: unknown; error_name?: unknown } = {};
    try {
      reply = JSON.parse(answer.body) as typeof reply;
    } catch {
      throw new TokenRefreshFailed('the token refresh answered with a body that is not JSON');
    }
    if (typeof reply.access_token !== 'string' || typeof reply.refresh_token !== 'string' || !reply.access_token || !reply.refresh_token) {
      // Never quote the answer whole: it may echo a token. Its error code and name are enough.
      // The refresh token is forgotten: the next attempt starts again from the store or the secret,
      // which an operator may have replaced by then.
      this.#tokens = undefined;
      throw new TokenRefused(`the token refresh was refused (HTTP ${answer.status}, error ${quoted(String(reply.error ?? ''), 20)} ${quoted(String(reply.error_name ?? ''), 60)}): re-authorise the OA and set zalo.refreshToken`);
    }
    const tokens = { accessToken: reply.access_token, refreshToken: reply.refresh_token };
    this.#tokens = tokens;
    await this.store?.save(tokens);
    return tokens;
  }
}

/** tracking_id: the delivery key when it fits, else its digest. */
export function znsTrackingId(key: string, maxLength: number): string {
  return key.length <= maxLength ? key : requestIdOf(key, Math.min(64, maxLength));
}

export function createZaloChannel(config: ZaloConfig, deps: ZaloChannelDeps): DeliveryChannel {
  const env = deps.env ?? process.env;
  const tokens = new ZaloTokenKeeper(config, env, deps.tokenStore);
  const url = new URL('message/template', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`).toString();
  const codes = config.errorCodes;

  return {
    receiver: 'zalo',
    async deliver(context): Promise<DeliveryResult> {
      const written = (deps.recipientPhone ?? recipientPhoneOf)(context);
      if (written === undefined) return { outcome: 'failed', retryable: false, reason: 'the recipient has no phone number' };
      const phone = normaliseVietnamesePhone(written);
      if (phone === undefined) return { outcome: 'failed', retryable: false, reason: "the recipient's number is not a Vietnamese mobile number" };
      const message = await deps.render(context);
      if (message === undefined) return noMessageResult(deps.onNoMessage ?? 'refuse');
      const payload = { phone, template_id: message.templateId, template_data: { ...message.templateData }, tracking_id: znsTrackingId(context.key, config.trackingIdMaxLength) };
      const body = JSON.stringify(payload);
      const exchange = (response: string): Exchange => ({
        request: { ...payload, phone: maskPhone(phone), template_data: Object.fromEntries(Object.entries(payload.template_data).map(([name, value]) => [name, maskedContent(value)])) },
        requestSha256: sha256Hex(body),
        response: recordedResponse(response),
      });
      const send = async (accessToken: string) => postWithDeadline(url, { 'content-type': 'application/json', access_token: accessToken, 'idempotency-key': context.key }, body, config.timeoutMs);
      try {
        let accessToken = await tokens.accessToken();
        for (let refreshed = false; ; refreshed = true) {
          const answer = await send(accessToken);
          const failure = transportFailure(answer, exchange, config.timeoutMs);
          if (failure || answer.kind !== 'answer') return failure!;
          const verdict = classifyZnsAnswer(answer.body, codes);
          if (verdict.kind === 'sent') return { outcome: 'delivered', reference: verdict.msgId, exchange: exchange(answer.body) };
          if (verdict.kind === 'failed') return { outcome: 'failed', retryable: verdict.retryable, reason: verdict.reason, exchange: exchange(answer.body) };
          if (refreshed) return { outcome: 'failed', retryable: true, reason: `${verdict.reason}, even after a token refresh`, exchange: exchange(answer.body) };
          accessToken = (await tokens.refresh(accessToken)).accessToken;
        }
      } catch (error) {
        // A refused refresh or an unreadable secret: retried (an operator may fix either), and
        // dead-lettered after the ceiling with this reason if nobody does.
        if (error instanceof TokenRefreshFailed || error instanceof SecretUnavailable) return { outcome: 'failed', retryable: true, reason: error.message };
        throw error;
      }
    },
  };
}
