// The reference adapter of another agency's system (docs/integrations.md#handing-steps-over): it
// speaks the engine's own contract (domain/interagency/hand-off.ts), which the loopback doubles
// enforce, and is the model of the one file a deployment writes for a real system (./port.ts).
//   POST {baseUrl}/steps   Authorization: Bearer <token>, Idempotency-Key: <delivery key>,
//                          Content-Type: application/json, body: the hand-off message
//   → 202 {"reference": "…"}                   taken: delivered, the reference recorded on the dossier
//   → 200 {"reference": "…", "duplicate": true} it had the key: already delivered
//   → 408, 429, 5xx, or no answer              retried with backoff, dead-lettered after the time
//   → any other 4xx                            the request breaks its contract: dead-lettered at once
// The attempt's record keeps the message with the applicant's data masked, file names hidden and
// the links' signatures removed; requestSha256 is the digest of the body really sent.
import { handOffMessage } from '../../domain/interagency/hand-off-message.js';
import type { HandOffKind, HandOffMessage } from '../../domain/interagency/hand-off.js';
import { answerPageSchema, MAX_ANSWERS_PER_MESSAGE } from '../../domain/interagency/answer.js';
import type { InteragencySystem } from '../../domain/interagency/systems.js';
import { callSignal } from '../outbox/attempt-signal.js';
import type { DeliveryContext, DeliveryResult, Exchange } from '../outbox/delivery-channel.js';
import { MASKED, maskEmail, maskedFileLink, maskName, maskPhone, recordedResponse, sha256Hex } from '../outbox/mask.js';
import { callbackUrl, type InteragencyConfig, systemToken } from './interagency-config.js';
import { type InteragencyAdapter, type PolledAnswers, PolledPageMalformed } from './port.js';

export interface ReferenceChannelDeps {
  /** The engine's public address: the callback URL's base when the section names no callbackBaseUrl. */
  readonly publicBaseUrl: string;
  /** A signed, expiring link to one of the dossier's files (integrations/outbox/channels.ts publicFileLinks). */
  readonly fileLink: (dossierCode: string, sha256: string) => string;
  /** Where secret references are resolved (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
}

const HAND_OFF_TRIGGERS: readonly string[] = ['hand-off', 'update', 'cancel'] satisfies HandOffKind[];

/** The adapter of one configured system; its token is resolved now, so a missing secret stops the start. */
export function createReferenceChannel(system: InteragencySystem, config: InteragencyConfig, deps: ReferenceChannelDeps): InteragencyAdapter {
  const section = config.systems[system];
  if (!section) throw new Error(`interagency.systems.${system} is not configured`);
  const token = systemToken(config, system, deps.env);
  const authorization = `Bearer ${token}`;
  const answers: HandOffMessage['answers'] = section.answers === 'callback' ? { mode: 'callback', callbackUrl: callbackUrl(config, deps.publicBaseUrl, system) } : { mode: 'poll' };
  const url = `${section.baseUrl.replace(/\/+$/, '')}/steps`;
  return {
    receiver: system,
    async deliver(context: DeliveryContext): Promise<DeliveryResult> {
      if (!HAND_OFF_TRIGGERS.includes(context.trigger)) return { outcome: 'failed', retryable: false, reason: `the ${system} system takes hand-offs, updates and cancellations, not "${context.trigger}"` };
      const built = handOffMessage({ key: context.key, kind: context.trigger as HandOffKind, system, events: context.events, fileLink: deps.fileLink, answers });
      if ('refused' in built) return { outcome: 'failed', retryable: false, reason: built.refused };
      const body = JSON.stringify(built.message);
      const reply = await post(url, body, { authorization, 'idempotency-key': context.key }, section.timeoutMs);
      const exchange: Exchange = {
        request: { url, message: maskedHandOff(built.message) },
        requestSha256: sha256Hex(body),
        response: recordedResponse('transport' in reply ? reply.transport : `HTTP ${reply.status} ${reply.text}`),
      };
      return { ...classifyHandOffAnswer(system, reply, context.trigger as HandOffKind), exchange } as DeliveryResult;
    },
    ...(section.answers === 'poll' ? { pollAnswers: (after: string | null) => pollReferenceAnswers(system, { baseUrl: section.baseUrl, token, timeoutMs: section.timeoutMs }, after) } : {}),
  };
}

/**
 * One page of the reference contract's answers (docs/integrations.md#answers-from-the-systems):
 * `GET {baseUrl}/answers?after=<cursor or empty>&limit=50` with the bearer token, `answerPageSchema`
 * back. The inbox's poller for a system whose adapter has no pollAnswers of its own.
 */
export async function pollReferenceAnswers(system: InteragencySystem, settings: { readonly baseUrl: string; readonly token: string; readonly timeoutMs?: number | undefined }, after: string | null): Promise<PolledAnswers> {
  const url = new URL(`${settings.baseUrl.replace(/\/+$/, '')}/answers`);
  url.searchParams.set('after', after ?? '');
  url.searchParams.set('limit', String(MAX_ANSWERS_PER_MESSAGE));
  const response = await fetch(url, { headers: { authorization: `Bearer ${settings.token}`, accept: 'application/json' }, signal: AbortSignal.timeout(settings.timeoutMs ?? DEFAULT_POLL_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the ${system} system answered its poll with HTTP ${response.status}`);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PolledPageMalformed([], 'the page is not JSON');
  }
  const parsed = answerPageSchema.safeParse(json);
  if (!parsed.success) throw new PolledPageMalformed(parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
  return parsed.data;
}

const DEFAULT_POLL_TIMEOUT_MS = 10_000;

type Reply = { readonly status: number; readonly text: string } | { readonly transport: string };

async function post(url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<Reply> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body, signal: callSignal(timeoutMs) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { transport: `no answer within ${timeoutMs} ms` };
    return { transport: 'the system could not be reached' };
  }
}

/** The outcome of a system's answer to a hand-off, without the exchange (docs/integrations.md#handing-steps-over). */
export function classifyHandOffAnswer(
  system: InteragencySystem,
  reply: Reply,
  kind: HandOffKind = 'hand-off',
): { outcome: 'delivered' | 'already-delivered'; reference?: string } | { outcome: 'failed'; retryable: boolean; reason: string } {
  if ('transport' in reply) return { outcome: 'failed', retryable: true, reason: `the ${system} system: ${reply.transport}` };
  const { status } = reply;
  // A cancel for a step the system does not hold (officers did it by hand before the hand-off
  // reached it, say) has nothing to stop: the system's 409 says so, and the lane goes on.
  if (kind === 'cancel' && status === 409) return { outcome: 'already-delivered' };
  if (status >= 200 && status < 300) {
    const answer = readAnswer(reply.text);
    const reference = answer?.reference;
    if (status === 200 && answer?.duplicate === true) return { outcome: 'already-delivered', ...(reference ? { reference } : {}) };
    return { outcome: 'delivered', ...(reference ? { reference } : {}) };
  }
  if (status === 408 || status === 429 || status >= 500) return { outcome: 'failed', retryable: true, reason: `the ${system} system answered HTTP ${status}: ${snippet(reply.text)}` };
  return {
    outcome: 'failed',
    retryable: false,
    reason: `the ${system} system refused the hand-off with HTTP ${status}${status === 401 || status === 403 ? ' (check interagency.systems.' + system + '.token)' : ' (the request breaks its contract)'}: ${snippet(reply.text)}`,
  };
}

/** `{"reference": "…", "duplicate": true}`, as far as it can be read; a reference is kept when it is a short line of text. */
function readAnswer(text: string): { reference?: string; duplicate?: boolean } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { reference, duplicate } = body as { reference?: unknown; duplicate?: unknown };
  return {
    ...(typeof reference === 'string' && /^[\x21-\x7e][\x20-\x7e]{0,199}$/.test(reference) ? { reference } : {}),
    ...(duplicate === true ? { duplicate: true } : {}),
  };
}

function snippet(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat || '(no body)';
}

/**
 * The message as an attempt records it: the applicant's data masked, file names hidden, links without
 * their signature, and a cancel's reason (a head's refusal or withdrawal text, which may quote the
 * applicant) replaced whole, like other free text.
 */
export function maskedHandOff(message: HandOffMessage): unknown {
  const { applicant } = message.dossier;
  const file = (linked: HandOffMessage['dossier']['components'][number]['files'][number]) => ({ ...linked, ...(linked.name ? { name: MASKED } : {}), url: maskedFileLink(linked.url) });
  return {
    ...message,
    dossier: {
      ...message.dossier,
      applicant: {
        kind: applicant.kind,
        fullName: maskName(applicant.fullName),
        identityNumber: MASKED,
        ...(applicant.phone ? { phone: maskPhone(applicant.phone) } : {}),
        ...(applicant.email ? { email: maskEmail(applicant.email) } : {}),
        ...(applicant.address ? { address: MASKED } : {}),
        ...(applicant.representative
          ? {
              representative: {
                fullName: maskName(applicant.representative.fullName),
                ...(applicant.representative.identityNumber ? { identityNumber: MASKED } : {}),
                ...(applicant.representative.phone ? { phone: maskPhone(applicant.representative.phone) } : {}),
                ...(applicant.representative.email ? { email: maskEmail(applicant.representative.email) } : {}),
              },
            }
          : {}),
      },
      components: message.dossier.components.map((component) => ({ ...component, files: component.files.map(file) })),
    },
    step: { ...message.step, earlierResults: message.step.earlierResults.map((result) => ({ ...result, files: result.files.map(file) })) },
    ...(message.reason !== undefined ? { reason: MASKED } : {}),
  };
}
