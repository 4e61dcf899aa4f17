// The zod schemas of the operators' outbox routes (api/routes/deliveries.ts): what they take and
// answer, as the OpenAPI document shows them.
import { z } from 'zod';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { RECEIVERS } from '../../domain/outbox/deliveries.js';
import { CLOSE_REASON_MAX, closeReasonSchema, DELIVERY_STATES, deliveryKeySchema, RETRY_ALL_MAX } from '../../db/outbox/operator-queries.js';
import { idempotencyKeySchema, instantSchema } from '../request-schemas.js';

/** A delivery key as a path segment: the whole key percent-encoded, `/` as %2F. */
export const deliveryKeySegment = (key: string) => encodeURIComponent(key);
export const linksOf = (key: string, dossierCode: string) => ({
  history: `/dossiers/${encodeURIComponent(dossierCode)}/deliveries`,
  retry: `/deliveries/${deliveryKeySegment(key)}/retry`,
  close: `/deliveries/${deliveryKeySegment(key)}/close`,
});

const EXAMPLE_KEY = 'portal/000.00.31.H38-250701-0005/7/status';
export const keyParams = z.object({
  key: deliveryKeySchema.describe(`The delivery's key, percent-encoded as one segment: ${encodeURIComponent(EXAMPLE_KEY)}`),
});
export const receiverSchema = z.enum(RECEIVERS);
const linksSchema = z.object({ history: z.string(), retry: z.string(), close: z.string() }).describe('Paths to call, the key already percent-encoded');

export const deadLetterItem = z.object({
  key: z.string(),
  receiver: z.string(),
  dossierCode: z.string(),
  agencyCode: z.string().nullable().describe('The receiving centre of the dossier'),
  sequence: z.number().int().describe("The event's stream version: the lane's order"),
  eventType: z.string(),
  trigger: z.string(),
  eventCommittedAt: z.string(),
  plannedAt: z.string(),
  deadAt: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  links: linksSchema,
});

const attemptItem = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z.enum(['delivered', 'already-delivered', 'failed', 'refused']),
  request: z.unknown().describe("What was sent, personal fields masked; the real body's digest is requestSha256"),
  requestSha256: z.string().nullable(),
  response: z.string().nullable().describe("The receiver's answer, at most 4 KiB"),
  error: z.string().nullable(),
});

export const deliveryItem = z.object({
  key: z.string(),
  receiver: z.string(),
  sequence: z.number().int(),
  eventType: z.string(),
  trigger: z.string(),
  state: z.enum(DELIVERY_STATES),
  notBefore: z.string().nullable().describe('Held back until then (quiet hours)'),
  eventCommittedAt: z.string(),
  plannedAt: z.string(),
  dispatchedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deadAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedReason: z.string().nullable(),
  attempts: z.number().int().describe('Attempts made in all'),
  lastError: z.string().nullable(),
  receiverReference: z.string().nullable().describe("The receiver's own id for it (a Message-ID, a gateway's message id)"),
  recentAttempts: z.array(attemptItem).describe('The latest attempts (query `attempts`), oldest of them first'),
  links: linksSchema,
});

export const outcomeAnswer = z.object({
  key: z.string(),
  receiver: z.string(),
  dossierCode: z.string(),
  state: z.enum(DELIVERY_STATES),
  lane: z.enum(['woken', 'next-sweep']).describe('woken: its lane was signalled; next-sweep: the relay wakes it within its sweep interval'),
  detail: z.string(),
});

export const closeBody = z
  .object({ reason: closeReasonSchema.describe(`Why nothing more is to be sent for it (10–${CLOSE_REASON_MAX} characters), kept with the delivery`) })
  .meta({ examples: [{ reason: 'Số điện thoại không còn liên lạc được; đã gọi điện báo công dân nhận kết quả tại bộ phận một cửa.' }] });
export const operatorHeaders = z.object({ 'idempotency-key': idempotencyKeySchema.optional().describe('Retries with the same key replay the first answer') });

export const deadLetterCursor = z.tuple([z.iso.datetime({ offset: true }), deliveryKeySchema]);
export const historyCursor = z.tuple([z.number().int().min(0).max(2_147_483_647), deliveryKeySchema]);
export const retryAllBody = z
  .object({
    receiver: receiverSchema.describe('The receiver that was down'),
    agency: agencyCodeSchema.optional().describe("Only the dossiers of this receiving centre"),
    since: instantSchema.optional().describe('Only the letters dead at or after this instant (the outage began)'),
    limit: z.number().int().min(1).max(RETRY_ALL_MAX).default(RETRY_ALL_MAX).describe('At most this many, oldest first; call again while `remaining` is not 0'),
  })
  .meta({ examples: [{ receiver: 'portal', since: '2026-12-04T08:00:00+07:00', limit: 500 }] });

export const retryAllAnswer = z.object({
  receiver: z.string(),
  retried: z.number().int(),
  lanes: z.number().int().describe('Lanes that had a dead letter retried'),
  woken: z.number().int().describe('Of them, lanes signalled now; the relay wakes the others at its next sweep'),
  remaining: z.number().int().describe("The receiver's dead letters still dead"),
  detail: z.string(),
});
