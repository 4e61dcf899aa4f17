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
//   database at each scrape;
// - motcua_event_append_seconds{stream,outcome}: each append's transaction, where it runs (the worker);
// - motcua_dossiers_open{status}, motcua_dossiers_overdue{status}: the open dossiers now, read from
//   the read model at each scrape (the API watches them);
// - the commands' (motcua_commands_total, motcua_command_refusals_total, motcua_command_seconds)
//   are registered here by api/commands/command-metrics.ts.
// The API serves them at GET /metrics (api/routes/metrics.ts); every process serves them with
// serveMetrics() on MOTCUA_METRICS_PORT (docs/operations.md#metrics-and-traces). Labels are bounded:
// a receiver, status or stream this engine does not know is counted as `other`, so a label never
// carries free text.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { RECEIVERS } from '../domain/outbox/deliveries.js';
import { INTERAGENCY_SYSTEMS } from '../domain/interagency/systems.js';
import { CLOSED_STATUSES, DOSSIER_STATUSES } from '../domain/dossier/state.js';

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

/** Within a scrape's time (Prometheus waits 10 s by default): a slow database leaves the gauge out. */
const SCRAPE_READ_TIMEOUT_MS = 5_000;

/**
 * A gauge's source in the database, read once per scrape however many metrics use it (the
 * registry collects every metric at once: they wait for the same read, so a failure shows in the
 * scrape it happened in, as motcua_metrics_collect_failures_total{metric}).
 */
class ScrapeSource<T> {
  private source: (() => Promise<T>) | undefined;
  private logger: Pick<Logger, 'warn'> | undefined;
  private pending: Promise<T | 'failed' | undefined> | undefined;
  constructor(readonly metric: string) {}

  /** Reads from `source` at each scrape; one source per process (the last one watched). Returns the unwatch. */
  watch(source: () => Promise<T>, logger?: Pick<Logger, 'warn'>): () => void {
    this.source = source;
    this.logger = logger;
    return () => {
      if (this.source === source) this.source = undefined;
    };
  }

  read(): Promise<T | 'failed' | undefined> {
    this.pending ??= (async () => {
      const source = this.source;
      if (!source) return undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${SCRAPE_READ_TIMEOUT_MS} ms`)), SCRAPE_READ_TIMEOUT_MS);
        });
        return await Promise.race([source(), timeout]);
      } catch (error) {
        this.logger?.warn({ err: error, metric: this.metric }, 'gauge not read: the database did not answer');
        return 'failed' as const;
      } finally {
        clearTimeout(timer);
      }
    })().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }
}

/** Open dossiers now, from the read model: by status, and those of them overdue by status. */
export interface OpenDossierCounts {
  readonly byStatus: Record<string, number>;
  readonly overdueByStatus: Record<string, number>;
}

const deadLetterSource = new ScrapeSource<Record<string, number>>('motcua_deliveries_dead_letters');
const openDossierSource = new ScrapeSource<OpenDossierCounts>('motcua_dossiers_open');
const SCRAPE_SOURCES: readonly ScrapeSource<unknown>[] = [deadLetterSource, openDossierSource];

const collectFailures = new Counter({
  name: 'motcua_metrics_collect_failures_total',
  help: 'Scrapes where a metric read from the database could not be read (the metric is then left out)',
  labelNames: ['metric'] as const,
  registers: [metricsRegistry],
  async collect() {
    // Every read starts now, in the same pass as the gauges' own: one read per source and scrape.
    const results = await Promise.all(SCRAPE_SOURCES.map((source) => source.read()));
    SCRAPE_SOURCES.forEach((source, index) => {
      if (results[index] === 'failed') this.inc({ metric: source.metric });
    });
  },
});

new Gauge({
  name: 'motcua_deliveries_dead_letters',
  help: 'Dead letters waiting for an operator (retry or close), by receiver, read from the database at scrape time',
  labelNames: ['receiver'] as const,
  registers: [metricsRegistry],
  async collect() {
    const counts = await deadLetterSource.read();
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
  return deadLetterSource.watch(source, logger);
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

const statusLabel = (status: string) => ((DOSSIER_STATUSES as readonly string[]).includes(status) ? status : 'other');

/** A gauge by status of the open dossiers: every open status answers, 0 when none (a panel's line drops to zero rather than vanishing). */
function openDossierGauge(name: string, help: string, of: (counts: OpenDossierCounts) => Record<string, number>): void {
  new Gauge({
    name,
    help,
    labelNames: ['status'] as const,
    registers: [metricsRegistry],
    async collect() {
      const counts = await openDossierSource.read();
      this.reset();
      if (counts === undefined || counts === 'failed') return;
      for (const status of DOSSIER_STATUSES) if (!CLOSED_STATUSES.has(status)) this.set({ status }, 0);
      for (const [status, count] of Object.entries(of(counts))) this.inc({ status: statusLabel(status) }, count);
    },
  });
}

openDossierGauge('motcua_dossiers_open', 'Open dossiers (not closed; mirrors left out) by status, read from the read model at scrape time', (counts) => counts.byStatus);
openDossierGauge(
  'motcua_dossiers_overdue',
  'Open dossiers past their due date (or with a step past its own) by status, read from the read model at scrape time',
  (counts) => counts.overdueByStatus,
);

/**
 * Reads the open-dossier gauges from `source` at each scrape (countOpenDossiers of
 * db/open-dossier-counts.ts; the API watches it). Returns the unwatch.
 */
export function watchOpenDossiers(source: () => Promise<OpenDossierCounts>, logger?: Pick<Logger, 'warn'>): () => void {
  return openDossierSource.watch(source, logger);
}

/** Whose log an append wrote to. */
export const APPEND_STREAMS = ['dossier', 'feedback'] as const;
export type AppendStream = (typeof APPEND_STREAMS)[number];
/**
 * What became of an append: written; found already stored (a retried try); refused for good by
 * the stream's version (a stale run: it catches up); failed (retried by its workflow).
 */
export const APPEND_OUTCOMES = ['appended', 'already-stored', 'conflict', 'failed'] as const;
export type AppendOutcome = (typeof APPEND_OUTCOMES)[number];

/** An append's transaction: a few milliseconds, up to the local activity's 5 s limit. */
export const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const appendSeconds = new Histogram({
  name: 'motcua_event_append_seconds',
  help: "Seconds an append of a stream's events took (its transaction, read models included), by stream kind and outcome; measured where the append runs (the worker)",
  labelNames: ['stream', 'outcome'] as const,
  buckets: APPEND_BUCKETS,
  registers: [metricsRegistry],
});

/** One append and how long it took: call once per try (activities/timed-append.ts). */
export function recordEventAppend(stream: AppendStream, outcome: AppendOutcome, seconds: number): void {
  if (!Number.isFinite(seconds)) return;
  appendSeconds.observe(
    { stream: (APPEND_STREAMS as readonly string[]).includes(stream) ? stream : 'other', outcome: (APPEND_OUTCOMES as readonly string[]).includes(outcome) ? outcome : 'failed' },
    Math.max(0, seconds),
  );
}

/** The exposition text of every metric of this process. */
export function metricsText(): Promise<string> {
  return metricsRegistry.metrics();
}

/**
 * Serves GET /metrics on its own port, for a process without the API (the outbox worker, the
 * relay) or beside it (the API's own port answers admins and loopback callers only). Binds to
 * 127.0.0.1 unless told otherwise: anyone who can reach it reads it (it holds counts, never
 * personal data); put it on a network only a Prometheus can reach.
 *
 * `alsoFrom` is another exposition on this machine served in the same answer after ours: the
 * Temporal SDK's, which its Core runtime serves on a loopback port of its own
 * (worker/temporal-runtime.ts). Its names (temporal_*) never clash with ours (motcua_*). When it
 * does not answer, ours are served alone and motcua_metrics_collect_failures_total{metric="temporal_sdk"} counts it.
 */
export async function serveMetrics(options: { readonly port: number; readonly host?: string; readonly alsoFrom?: string }): Promise<{ readonly url: string; close(): Promise<void> }> {
  const { alsoFrom } = options;
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    (async () => {
      const other = alsoFrom ? await otherExposition(alsoFrom) : '';
      const ours = await metricsText();
      return other ? `${ours.endsWith('\n') ? ours : `${ours}\n`}${other}` : ours;
    })().then(
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

const OTHER_EXPOSITION_TIMEOUT_MS = 3_000;

/** The SDK's exposition, or '' (counted as a collect failure) when it does not answer in time. */
async function otherExposition(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(OTHER_EXPOSITION_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.text();
  } catch {
    collectFailures.inc({ metric: 'temporal_sdk' });
    return '';
  }
}
