// The engine's Prometheus metrics (text exposition format 0.0.4), one registry per process:
// - motcua_delivery_attempts_total{receiver,outcome}: attempts to carry out a delivery, by outcome
//   (delivered, already-delivered, failed, refused); counted where the attempt runs (the outbox worker);
// - motcua_delivery_dead_letters_total{receiver}: deliveries that went dead in this process (alert on
//   its increase);
// - motcua_deliveries_dead_letters{receiver}: the dead letters waiting now, read from the database at
//   each scrape (any process that watches them: the API does), so it is right whichever process
//   marked them;
// - motcua_delivery_lag_seconds{receiver}: from the event's commit to its delivery (quiet hours
//   included: a notice held back overnight is late on purpose);
// - motcua_interagency_answers_total{system,outcome}: the outside systems' answers, by what became
//   of them (stored, duplicate, changed, applied, refused, held, duplicate-content, failed);
// - motcua_interagency_answers_held{system}: answers waiting for their predecessor now, read from the
//   database at each scrape.
// The API serves them at GET /metrics (api/routes/metrics.ts); a process without the API (the
// worker, the relay) serves them with serveMetrics(). Labels are bounded: a receiver this engine
// does not know is counted as `other`, so a label never carries free text.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { RECEIVERS } from '../domain/outbox/deliveries.js';
import { INTERAGENCY_SYSTEMS } from '../domain/interagency/systems.js';

export const metricsRegistry = new Registry();

/** The media type of the text exposition format. */
export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

export const DELIVERY_OUTCOMES = ['delivered', 'already-delivered', 'failed', 'refused'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** Seconds from commit to delivery: a second up to a day (a notice may wait out the night's quiet hours). */
export const DELIVERY_LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600];

const attempts = new Counter({
  name: 'motcua_delivery_attempts_total',
  help: 'Attempts to carry out an outbox delivery, by receiver and outcome',
  labelNames: ['receiver', 'outcome'] as const,
  registers: [metricsRegistry],
});

const deadLettered = new Counter({
  name: 'motcua_delivery_dead_letters_total',
  help: 'Deliveries that went to the dead-letter list (alert on its increase)',
  labelNames: ['receiver'] as const,
  registers: [metricsRegistry],
});

const lag = new Histogram({
  name: 'motcua_delivery_lag_seconds',
  help: "Seconds from the event's commit to its delivery, by receiver",
  labelNames: ['receiver'] as const,
  buckets: DELIVERY_LAG_BUCKETS,
  registers: [metricsRegistry],
});

/** Where the dead-letter gauge reads its counts at scrape time: counts by receiver. */
export type DeadLetterSource = () => Promise<Record<string, number>>;
let deadLetterSource: DeadLetterSource | undefined;
let collectLogger: Pick<Logger, 'warn'> | undefined;

/**
 * One read of the dead letters per scrape, shared by the gauge and the failure counter (the
 * registry collects every metric at once: both wait for the same read, so a failure shows in the
 * scrape it happened in).
 */
const DEAD_LETTER_READ_TIMEOUT_MS = 5_000;
let scrapeRead: Promise<Record<string, number> | 'failed' | undefined> | undefined;
function readDeadLetters(): Promise<Record<string, number> | 'failed' | undefined> {
  scrapeRead ??= (async () => {
    if (!deadLetterSource) return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Within a scrape's time (Prometheus waits 10 s by default): a slow database leaves the gauge out.
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${DEAD_LETTER_READ_TIMEOUT_MS} ms`)), DEAD_LETTER_READ_TIMEOUT_MS);
      });
      return await Promise.race([deadLetterSource(), timeout]);
    } catch (error) {
      collectLogger?.warn({ err: error }, 'dead-letter gauge not read: the database did not answer');
      return 'failed' as const;
    } finally {
      clearTimeout(timer);
    }
  })().finally(() => {
    scrapeRead = undefined;
  });
  return scrapeRead;
}

const collectFailures = new Counter({
  name: 'motcua_metrics_collect_failures_total',
  help: 'Scrapes where a metric read from the database could not be read (the metric is then left out)',
  labelNames: ['metric'] as const,
  registers: [metricsRegistry],
  async collect() {
    if ((await readDeadLetters()) === 'failed') this.inc({ metric: 'motcua_deliveries_dead_letters' });
  },
});

new Gauge({
  name: 'motcua_deliveries_dead_letters',
  help: 'Dead letters waiting for an operator (retry or close), by receiver, read from the database at scrape time',
  labelNames: ['receiver'] as const,
  registers: [metricsRegistry],
  async collect() {
    const counts = await readDeadLetters();
    this.reset();
    if (counts === undefined || counts === 'failed') return;
    for (const [receiver, count] of Object.entries(counts)) this.set({ receiver: receiverLabel(receiver) }, count);
  },
});

/**
 * Reads the dead-letter gauge from `source` at each scrape (the API passes countDeadLetters of
 * db/outbox/operator-queries.ts). One source per process: the last one watched; the function
 * returned stops watching it.
 */
export function watchDeadLetters(source: DeadLetterSource, logger?: Pick<Logger, 'warn'>): () => void {
  deadLetterSource = source;
  collectLogger = logger;
  return () => {
    if (deadLetterSource === source) deadLetterSource = undefined;
  };
}

function receiverLabel(receiver: string): string {
  return (RECEIVERS as readonly string[]).includes(receiver) ? receiver : 'other';
}

/** One attempt to carry out a delivery and its outcome: call once per attempt (activities/deliveries.ts). */
export function recordDeliveryAttempt(receiver: string, outcome: DeliveryOutcome): void {
  attempts.inc({ receiver: receiverLabel(receiver), outcome: (DELIVERY_OUTCOMES as readonly string[]).includes(outcome) ? outcome : 'failed' });
}

/** A delivery done: seconds from its event's commit to now (or to when it was acknowledged). */
export function recordDeliveryLag(receiver: string, seconds: number): void {
  if (!Number.isFinite(seconds)) return;
  lag.observe({ receiver: receiverLabel(receiver) }, Math.max(0, seconds));
}

/** A delivery went dead: call once when a lane marks it so, beside its error-level log line. */
export function recordDeadLetter(receiver: string): void {
  deadLettered.inc({ receiver: receiverLabel(receiver) });
}

export const INTERAGENCY_ANSWER_OUTCOMES = ['stored', 'duplicate', 'changed', 'applied', 'refused', 'held', 'duplicate-content', 'failed'] as const;
export type InteragencyAnswerOutcome = (typeof INTERAGENCY_ANSWER_OUTCOMES)[number];

const interagencyAnswers = new Counter({
  name: 'motcua_interagency_answers_total',
  help: "Outside systems' answers, by system and by what became of them",
  labelNames: ['system', 'outcome'] as const,
  registers: [metricsRegistry],
});

const systemLabel = (system: string) => ((INTERAGENCY_SYSTEMS as readonly string[]).includes(system) ? system : 'other');

/** What became of one answer: call once per answer and outcome (the route, the applier, the poller). */
export function recordInteragencyAnswer(system: string, outcome: InteragencyAnswerOutcome): void {
  interagencyAnswers.inc({ system: systemLabel(system), outcome: (INTERAGENCY_ANSWER_OUTCOMES as readonly string[]).includes(outcome) ? outcome : 'failed' });
}

let heldSource: (() => Promise<Record<string, number>>) | undefined;
new Gauge({
  name: 'motcua_interagency_answers_held',
  help: 'Answers of outside systems held for their predecessor, by system, read from the database at scrape time',
  labelNames: ['system'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    if (!heldSource) return;
    const counts = await heldSource().catch(() => undefined);
    if (counts) for (const [system, count] of Object.entries(counts)) this.inc({ system: systemLabel(system) }, count);
  },
});

/** Reads the held gauge from `source` at each scrape (countHeldAnswers of db/interagency/answers.ts); returns the unwatch. */
export function watchHeldAnswers(source: () => Promise<Record<string, number>>): () => void {
  heldSource = source;
  return () => {
    if (heldSource === source) heldSource = undefined;
  };
}

/** The exposition text of every metric of this process. */
export function metricsText(): Promise<string> {
  return metricsRegistry.metrics();
}

/**
 * Serves GET /metrics on its own port, for a process without the API (the outbox worker, the
 * relay). Binds to 127.0.0.1 unless told otherwise: anyone who can reach it reads it (it holds
 * counts, never personal data); put it on a network only a Prometheus can reach.
 */
export async function serveMetrics(options: { readonly port: number; readonly host?: string }): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    metricsText().then(
      (text) => response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected.\n'),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
