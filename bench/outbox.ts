// `npm run bench -- outbox`: how fast the outbox carries deliveries to a receiver, beside a bare loop
// of the same HTTP requests to the same receiver at the same concurrency, and how long an event waits
// from its commit to its delivery. The relay runs in a process of its own
// (test/support/relay-process.ts) on the engine's stack. The receiver is a parameter:
// - the fake national portal by default (portalBenchReceiver): doubles/portal-double-b.ts (generation
//   B: contract checks, downloads every file link of a push, a ledger by Idempotency-Key), reached by
//   the PRODUCTION relay worker/relay-main.ts with the real portal adapter, configured by a
//   MOTCUA_OUTBOX_CONFIG file holding only `publicBaseUrl` (a small file server answering every
//   link with a 4 KiB PDF), `portal` and `delivery`;
// - the ledger receiver of the mechanism's tests (ledgerBenchReceiver, BENCH_OUTBOX_RECEIVER=ledger)
//   through the test relay test/support/relay-entry.ts: the mechanism alone, one POST per delivery.
// Either counts what it acts on by idempotency key, so the run also checks exactly-once and order.
//
// What is measured:
// - throughput: BENCH_DOSSIERS synthetic dossiers (bench/synthetic-dossiers.ts: real decider, real
//   events, a year of fates) appended to the log while no relay runs, one append per dossier; then
//   the relay starts and plans, dispatches and delivers every portal sync they call for. Deliveries/s
//   = deliveries / (last delivered_at − the relay's start), planning included.
// - the bare loop: one unit per delivery of the backlog, no outbox (no database, no Temporal), at the
//   outbox's concurrency (one lane per dossier with work, at most the relay's 100 activity slots).
//   For the portal a unit is the requests one delivery makes (themmoi, or themmoi answered -3 then
//   capnhat; then tientrinh), bodies built beforehand by the adapter's own buildSync from the same
//   events under a code and key of their own, a dossier's units in order; for the ledger receiver one
//   POST /deliver. The most attempts the outbox had in flight at once is reported beside it.
// - lag: BENCH_LAG_DOSSIERS more dossiers whose events are appended one per transaction, as commands
//   do, at BENCH_LAG_RATE events/s while the relay runs; lag = deliveries.delivered_at −
//   event_committed_at (the append's transaction time), and the receiver's own receipt time − the same.
// - with BENCH_OUTBOX_FAULTS=1, faults while the backlog drains (the relay SIGKILLed and restarted, the
//   receiver losing answers, answering 503, down for 15 s, answering later than the sender waits),
//   and the same count at the receiver afterwards: every delivery acted on once, in order per dossier.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { appendToStream } from '../db/event-store.js';
import type { Database } from '../db/schema.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import type { DeliveryPolicy } from '../domain/outbox/plan-deliveries.js';
import { inChunks } from '../domain/portal-sync/progress-rows.js';
import { portalSyncWanted } from '../domain/portal-sync/sync-rule.js';
import { startPortalDoubleB } from '../doubles/portal-double-b.js';
import type { Receipt, ReceiverFault } from '../doubles/receiver-double.js';
import { outboxConfigSchema, publicFileLinks } from '../integrations/outbox/channels.js';
import type { DeliveredEvent } from '../integrations/outbox/delivery-channel.js';
import { portalConfigSchema } from '../integrations/portal/portal-config.js';
import { buildSync } from '../integrations/portal/portal-wire.js';
import { startLedgerReceiver } from '../test/support/ledger-receiver.js';
import { type RelayProcess, type RelayProcessOptions, startRelayProcess } from '../test/support/relay-process.js';
import { outboxTaskQueue } from '../worker/delivery-relay.js';
import type { DeliveryLaneSettings } from '../workflows/delivery-lane.js';
import { syntheticDossiers } from './synthetic-dossiers.js';

type SyntheticDossier = { readonly code: string; readonly events: DossierEvent[] };

/** What the bare loop did: its units (one per delivery of the backlog) and the HTTP requests they made. */
export interface BareRun {
  readonly units: number;
  readonly requests: number;
}

/** A receiver double the benchmark delivers to: how the relay reaches it, how to POST to it bare, what it acted on. */
export interface BenchReceiver {
  readonly name: string;
  /** The relay's entry and settings for this receiver (test/support/relay-process.ts), beside the stack's. */
  readonly relay: Partial<RelayProcessOptions>;
  /** What one unit of the bare loop is, in words (printed with the figures). */
  readonly bareUnit: string;
  /** An answer the sender has given up on: the `slow` fault's delay, and the sender's own deadline. */
  readonly slow: { readonly delayMs: number; readonly senderWaitsMs: number };
  /**
   * The double's operation that acts, where it has several: `lose-answer` and `slow` are aimed at it,
   * so the answer lost is one of an act and the resend must be recognised (the portal's themmoi of a
   * dossier it holds answers -3 without acting; capnhat acts).
   */
  readonly actingOperation?: string;
  /** The bare loop: one unit per delivery of the backlog, `concurrency` at once, no outbox. */
  bare(backlog: readonly SyntheticDossier[], concurrency: number): Promise<BareRun>;
  receipts(): readonly Receipt[];
  duplicates(): number;
  outOfOrder(): readonly string[];
  /** Sets the double's fault switch (doubles/receiver-double.ts). */
  fail(fault: ReceiverFault): void;
  /** Files the receiver downloaded so far (the portal fetches every file link of a push), when it does. */
  downloads?(): number;
  close(): Promise<void>;
}

const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: [], defaultChannels: [], preferredOnly: false } };
// The defaults (worker/delivery-relay.ts) but a 10 s attempt timeout and retry ceiling: after the
// relay is killed, an attempt in flight is retried after its timeout, and a minute of it would be
// the most of a faulty run.
const LANE: Partial<DeliveryLaneSettings> = { idleMs: 60_000, attemptTimeoutMs: 10_000, retryCeilingMs: 10_000 };

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

const expectedKeysOf = (dossiers: readonly SyntheticDossier[]) => dossiers.flatMap((dossier) => dossier.events.flatMap((event, index) => (portalSyncWanted(event) ? [`portal/${dossier.code}/${index + 1}/status`] : [])));

/** The ledger receiver of the mechanism's tests (test/support/ledger-receiver.ts) through the test relay (test/support/relay-entry.ts). */
export async function ledgerBenchReceiver(): Promise<BenchReceiver> {
  const receiver = await startLedgerReceiver();
  return {
    name: 'ledger receiver (test/support/ledger-receiver.ts, test relay test/support/relay-entry.ts)',
    relay: { receivers: { portal: receiver.url }, policy: POLICY, lane: LANE, pollMs: 200 },
    bareUnit: 'one POST /deliver {key, dossierCode, sequence, status} under a key of its own',
    slow: { delayMs: 3_500, senderWaitsMs: 3_000 },
    async bare(backlog, concurrency) {
      const units = expectedKeysOf(backlog).length;
      await pool(Array.from({ length: units }, (_, index) => index), concurrency, async (index) => {
        const key = `bare/BARE-${index}/1/status`;
        const body = JSON.stringify({ key, dossierCode: `BARE-${index}`, sequence: 1, trigger: 'status', status: 1 });
        const response = await fetch(`${receiver.url}/deliver`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body });
        await response.text();
        if (!response.ok) throw new Error(`bare POST answered ${response.status}`);
      });
      return { units, requests: units };
    },
    receipts: () => receiver.ledger.receipts(),
    duplicates: () => receiver.ledger.summary().duplicates,
    outOfOrder: () => receiver.ledger.summary().outOfOrder,
    fail: (fault) => receiver.faults.fail(fault),
    close: () => receiver.close(),
  };
}

/** The files the portal downloads (every DuongDanTaiTepTin and DuongDanTepTinKetQua of a push): any path answers the same small PDF. */
async function startFileServer(bytes: number): Promise<{ url: string; served: () => number; close: () => Promise<void> }> {
  const head = Buffer.from('%PDF-1.4\n%bench file\n');
  const body = Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), 0x20)]);
  let served = 0;
  const server = createServer((request, response) => {
    served += 1;
    response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const RELAY_MAIN = fileURLToPath(new URL('../worker/relay-main.ts', import.meta.url));
const BENCH_FILE_LINK_KEY = 'bench-file-link-key-0123456789abcdef0123';
const BENCH_LOOKUP_KEY = 'bench-lookup-key-0123456789abcdef01234567';
const PORTAL_TIMEOUT_MS = 5_000;
const metadataActor = { userId: 'bench', role: 'reception', agencyCode: 'bench' };

/**
 * The fake national portal (doubles/portal-double-b.ts, generation B: contract checks, file downloads,
 * a ledger by Idempotency-Key) through the production relay (worker/relay-main.ts) with the real
 * portal adapter, configured by a MOTCUA_OUTBOX_CONFIG file written to `scratch`.
 */
export async function portalBenchReceiver(scratch: string, options: { readonly fileBytes?: number } = {}): Promise<BenchReceiver> {
  const files = await startFileServer(options.fileBytes ?? 4096);
  // The synthetic dossiers' codes are 000.NN.NN.H99-…: the unit's identifier "000.", province H99.
  const portal = await startPortalDoubleB({ unitIdentifier: '000.' });
  const portalInput = { generation: 'B', base: portal.url, URLThemMoi: '/hoso/themmoi', URLCapNhat: '/hoso/capnhat', URLDongBoTienTrinh: '/tientrinh', provinceIdentifier: 'H99', timeoutMs: PORTAL_TIMEOUT_MS };
  const portalSection = portalConfigSchema.parse(portalInput);
  // As the ledger receiver's lane settings: a 10 s retry ceiling; the attempt's timeout must exceed
  // four portal calls at their deadline (integrations/outbox/channels.ts checks it at start).
  const config = { publicBaseUrl: files.url, portal: portalInput, delivery: { attemptTimeoutSeconds: (4 * PORTAL_TIMEOUT_MS) / 1000 + 1, retryCeilingSeconds: 10, idleMinutes: 1 } };
  outboxConfigSchema.parse(config);
  const configFile = path.join(scratch, 'bench-outbox.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const fileLink = publicFileLinks(files.url, BENCH_FILE_LINK_KEY);
  return {
    name: 'fake portal (doubles/portal-double-b.ts, generation B) through the production relay worker/relay-main.ts and the real adapter',
    relay: { entry: RELAY_MAIN, readyLine: 'delivery relay running', env: { MOTCUA_OUTBOX_CONFIG: configFile, MOTCUA_LOOKUP_KEY: BENCH_LOOKUP_KEY, MOTCUA_FILE_LINK_KEY: BENCH_FILE_LINK_KEY, TEMPORAL_TASK_QUEUE: 'bench' } },
    bareUnit: "the requests one portal delivery makes, bodies built beforehand by the adapter's own buildSync from the same events under a code and key of its own: POST /hoso/themmoi [HoSoDongBoDVC] (answered -3 \"đã tồn tại\" after a dossier's first: then POST /hoso/capnhat), then POST /tientrinh with its progress row; the double downloads every file link of a push, as for the outbox; a dossier's units in order, one dossier per lane",
    slow: { delayMs: PORTAL_TIMEOUT_MS + 500, senderWaitsMs: PORTAL_TIMEOUT_MS },
    actingOperation: 'capnhat',
    async bare(backlog, concurrency) {
      // Built before the clock starts: the bare loop measures the HTTP round trips and the double's work.
      const plans = backlog
        .map((dossier) => {
          const [unit, ...rest] = dossier.code.split('-');
          const bareCode = [unit, `B${rest.join('-')}`].join('-');
          const rename = (text: string) => text.replaceAll(dossier.code, bareCode);
          const events: DeliveredEvent[] = dossier.events.map((event, index) => ({ version: index + 1, event, occurredAt: new Date().toISOString(), actor: metadataActor }));
          return events.flatMap((entry) => {
            if (!portalSyncWanted(entry.event)) return [];
            const context = { key: `portal/${dossier.code}/${entry.version}/status`, receiver: 'portal' as const, trigger: 'status' as const, dossierCode: dossier.code, sequence: entry.version, attempt: 1, events: events.slice(0, entry.version) };
            const sync = buildSync(context, portalSection, fileLink);
            if ('refused' in sync) throw new Error(`bare loop: the adapter refuses ${dossier.code}/${entry.version}: ${sync.refused}`);
            return [{ key: `portal/${bareCode}/${entry.version}/status`, push: rename(JSON.stringify([sync.payload])), progress: inChunks(sync.rows, portalSection.progressChunkSize).map((rows) => rename(JSON.stringify(rows))) }];
          });
        })
        .filter((plan) => plan.length > 0);
      let requests = 0;
      const post = async (operation: string, body: string, key: string) => {
        requests += 1;
        const response = await fetch(`${portal.url}/${operation}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain, */*', 'idempotency-key': key }, body, signal: AbortSignal.timeout(PORTAL_TIMEOUT_MS) });
        const text = await response.text();
        if (!response.ok) throw new Error(`bare ${operation} answered HTTP ${response.status}`);
        return text;
      };
      await pool(plans, concurrency, async (plan) => {
        for (const unit of plan) {
          let answer = JSON.parse(await post('hoso/themmoi', unit.push, unit.key)) as { error_code?: string; message?: string };
          if (answer.error_code === '-3') answer = JSON.parse(await post('hoso/capnhat', unit.push, unit.key)) as typeof answer;
          if (answer.error_code !== '0') throw new Error(`bare push of ${unit.key} answered ${answer.error_code}: ${answer.message}`);
          for (const rows of unit.progress) {
            const text = await post('tientrinh', rows, unit.key);
            if (!text.includes('thành công')) throw new Error(`bare progress of ${unit.key} answered ${text}`);
          }
        }
      });
      return { units: plans.reduce((sum, plan) => sum + plan.length, 0), requests };
    },
    // The bare loop's codes are 000.NN.NN.H99-B…: its receipts are not the outbox's.
    receipts: () => portal.receipts().filter((receipt) => !receipt.dossierCode.includes('-B')),
    duplicates: () => portal.summary().duplicates,
    outOfOrder: () => portal.summary().outOfOrder,
    fail: (fault) => portal.fail(fault),
    downloads: () => files.served(),
    async close() {
      await portal.close();
      await files.close();
    },
  };
}

export interface OutboxBenchOptions {
  readonly dossiers: number;
  readonly lagDossiers: number;
  readonly lagRate: number;
  readonly payloadKeys: string;
  /** The receiver (the fake portal, portalBenchReceiver, by default; ledgerBenchReceiver for the mechanism alone). */
  readonly receiver?: BenchReceiver;
  /** Faults while the backlog drains (BENCH_OUTBOX_FAULTS=1): the relay SIGKILLed, the receiver losing answers, failing, down, slow. */
  readonly faults?: boolean;
  readonly log: (line: string) => void;
}

export interface OutboxFigures {
  readonly receiver: string;
  readonly dossiers: number;
  readonly events: number;
  readonly deliveries: number;
  readonly seconds: number;
  readonly deliveriesPerSecond: number;
  /** The most attempts in flight at once during the outbox's run (delivery_attempts' started_at/finished_at). */
  readonly peakInFlight: number;
  /** `units`: one per delivery of the backlog (`unit` says what one is); `requests`: the HTTP requests they made. */
  readonly bare: { readonly unit: string; readonly units: number; readonly requests: number; readonly concurrency: number; readonly seconds: number; readonly perSecond: number };
  /** Files the receiver downloaded during the outbox's backlog and during the bare loop (null: it downloads none). */
  readonly downloads: { readonly outbox: number; readonly bare: number } | null;
  readonly ratio: number;
  readonly lag: { readonly dossiers: number; readonly events: number; readonly deliveries: number; readonly ratePerSecond: number; readonly commitToDeliveredMs: Percentiles; readonly commitToReceiptMs: Percentiles };
  /** The faults that were injected while the backlog drained, in order (none without BENCH_OUTBOX_FAULTS). */
  readonly faults: readonly string[];
  readonly exactlyOnce: { readonly missing: number; readonly duplicatesRecognised: number; readonly outOfOrder: number; readonly notDelivered: number };
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

const metadata = { actor: { userId: 'bench', role: 'reception', agencyCode: 'bench' }, commandId: 'bench' };
const asNew = (event: DossierEvent, index: number) => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: { ...metadata, commandId: `bench-${index}` }, occurredAt: new Date().toISOString() });

/** The most intervals open at once. */
function peakOverlap(intervals: readonly { readonly started_at: Date; readonly finished_at: Date }[]): number {
  const edges = intervals.flatMap((interval) => [
    { at: interval.started_at.getTime(), step: 1 },
    { at: interval.finished_at.getTime(), step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let peak = 0;
  for (const edge of edges) {
    open += edge.step;
    peak = Math.max(peak, open);
  }
  return peak;
}

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`outbox bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function benchOutbox(
  db: Kysely<Database>,
  stack: { databaseUrl: string; temporalAddress: string; workflowBundle: string; scratch: string },
  _logger: Logger,
  options: OutboxBenchOptions,
): Promise<OutboxFigures> {
  const receiver = options.receiver ?? (await portalBenchReceiver(stack.scratch));
  let relay: RelayProcess | undefined;
  try {
    const all = [...syntheticDossiers({ dossiers: options.dossiers + options.lagDossiers, centres: 20, seed: 20261202 })];
    const backlog = all.slice(0, options.dossiers);
    const trickle = all.slice(options.dossiers);

    // Throughput: a backlog in the log, then the relay.
    const events = backlog.reduce((sum, dossier) => sum + dossier.events.length, 0);
    await pool(backlog, 8, async (dossier) => void (await appendToStream(db, dossier.code, 0, dossier.events.map(asNew))));
    options.log(`outbox bench: ${backlog.length} dossiers, ${events} events appended; starting the relay`);
    const startRelay = () =>
      startRelayProcess({
        databaseUrl: stack.databaseUrl,
        temporalAddress: stack.temporalAddress,
        taskQueue: outboxTaskQueue('bench'),
        payloadKeys: options.payloadKeys,
        workflowBundlePath: stack.workflowBundle,
        ...receiver.relay,
      });
    relay = await startRelay();
    const started = Date.now();
    const backlogKeys = expectedKeysOf(backlog);
    const deadOf = async () => {
      const dead = await db.selectFrom('deliveries').select(['key', 'last_error']).where('state', '=', 'dead').limit(3).execute();
      if (dead.length > 0) throw new Error(`outbox bench: deliveries dead-lettered, e.g. ${dead.map((row) => `${row.key}: ${row.last_error}`).join('; ')}`);
    };
    const pendingOf = async () => Number((await db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).where('state', '!=', 'delivered').executeTakeFirstOrThrow()).n);
    const deliveredOf = async () => Number((await db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).where('state', '=', 'delivered').executeTakeFirstOrThrow()).n);
    const faults: string[] = [];
    if (options.faults) {
      const at = async (share: number) => waitUntil(`${share} of the backlog delivered`, async () => (await deliveredOf()) >= backlogKeys.length * share, 30 * 60_000);
      const note = (fault: string) => {
        faults.push(fault);
        options.log(`outbox bench: ${fault}`);
      };
      await at(0.15);
      const acting = receiver.actingOperation ? { operation: receiver.actingOperation } : {};
      const onActing = receiver.actingOperation ? ` (its ${receiver.actingOperation} calls)` : '';
      receiver.fail({ mode: 'lose-answer', times: 25, ...acting });
      note(`the receiver acts and loses its answer${onActing}, 25 times`);
      await at(0.3);
      await relay.kill();
      note('the relay SIGKILLed');
      relay = await startRelay();
      note('the relay restarted');
      receiver.fail({ mode: '5xx', times: 40 });
      note('the receiver answers 503, 40 times');
      await at(0.5);
      receiver.fail({ mode: 'down' });
      note('the receiver down for 15 s');
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      receiver.fail({ mode: 'none' });
      await at(0.65);
      receiver.fail({ mode: 'slow', delayMs: receiver.slow.delayMs, times: 20, ...acting });
      note(`the receiver acts and answers after ${receiver.slow.delayMs / 1000} s (the sender waits ${receiver.slow.senderWaitsMs / 1000} s)${onActing}, 20 times`);
    }
    await waitUntil('the backlog delivered', async () => (await deadOf(), (await deliveredOf()) >= backlogKeys.length && (await pendingOf()) === 0), 30 * 60_000);
    const last = await db.selectFrom('deliveries').select((eb) => eb.fn.max('delivered_at').as('at')).executeTakeFirstOrThrow();
    const seconds = (new Date(last.at as Date).getTime() - started) / 1000;
    const deliveries = backlogKeys.length;
    options.log(`outbox bench: ${deliveries} deliveries in ${seconds.toFixed(1)} s; the bare loop next`);

    // The baseline: bare POSTs to the same receiver at the outbox's concurrency: as many lanes as
    // dossiers with work, at most the relay's activity slots (the Temporal worker's default, 100).
    const downloadsBefore = receiver.downloads?.() ?? 0;
    const observedPeak = peakOverlap(await db.selectFrom('delivery_attempts').select(['started_at', 'finished_at']).execute());
    const concurrency = Math.min(backlog.filter((dossier) => expectedKeysOf([dossier]).length > 0).length, 100);
    const bareStarted = performance.now();
    const bare = await receiver.bare(backlog, concurrency);
    const bareSeconds = (performance.now() - bareStarted) / 1000;
    const downloadsAfter = receiver.downloads?.() ?? 0;
    if (bare.units !== deliveries) throw new Error(`outbox bench: the bare loop made ${bare.units} units for ${deliveries} deliveries`);

    // Lag: events appended one per transaction, as commands do, at a steady rate while the relay runs.
    const steps = trickle.flatMap((dossier) => dossier.events.map((event, index) => ({ code: dossier.code, version: index + 1, event })));
    // Each dossier's events in order, the dossiers interleaved.
    steps.sort((a, b) => a.version - b.version || a.code.localeCompare(b.code));
    const interval = 1000 / options.lagRate;
    const lagStarted = performance.now();
    await pool(steps, 4, async (item, index) => {
      const due = lagStarted + index * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // A dossier's previous event may still be in flight on another connection: wait for it.
      for (;;) {
        try {
          await appendToStream(db, item.code, item.version - 1, [asNew(item.event, index)]);
          return;
        } catch (error) {
          if ((error as Error).name !== 'StreamVersionConflict') throw error;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    });
    const trickleKeys = expectedKeysOf(trickle);
    await waitUntil('the steady flow delivered', async () => (await deadOf(), await deliveredOf()) >= backlogKeys.length + trickleKeys.length && (await pendingOf()) === 0, 30 * 60_000);
    const lagRows = await db.selectFrom('deliveries').select(['key', 'event_committed_at', 'delivered_at']).where('dossier_code', 'in', trickle.map((dossier) => dossier.code)).execute();
    const receiptAt = new Map(receiver.receipts().map((receipt) => [receipt.key, Date.parse(receipt.at)]));
    const commitToDelivered = lagRows.map((row) => row.delivered_at!.getTime() - row.event_committed_at.getTime());
    const commitToReceipt = lagRows.flatMap((row) => (receiptAt.has(row.key) ? [receiptAt.get(row.key)! - row.event_committed_at.getTime()] : []));

    // Exactly once and in order, at this scale too.
    const expected = [...backlogKeys, ...trickleKeys];
    const acted = new Set(receiver.receipts().map((receipt) => receipt.key));
    const notDelivered = await pendingOf();
    return {
      receiver: receiver.name,
      dossiers: backlog.length,
      events,
      deliveries,
      seconds,
      deliveriesPerSecond: deliveries / seconds,
      peakInFlight: observedPeak,
      bare: { unit: receiver.bareUnit, units: bare.units, requests: bare.requests, concurrency, seconds: bareSeconds, perSecond: bare.units / bareSeconds },
      ratio: deliveries / seconds / (bare.units / bareSeconds),
      downloads: receiver.downloads ? { outbox: downloadsBefore, bare: downloadsAfter - downloadsBefore } : null,
      lag: { dossiers: trickle.length, events: steps.length, deliveries: lagRows.length, ratePerSecond: options.lagRate, commitToDeliveredMs: percentiles(commitToDelivered), commitToReceiptMs: percentiles(commitToReceipt) },
      faults,
      exactlyOnce: { missing: expected.filter((key) => !acted.has(key)).length, duplicatesRecognised: receiver.duplicates(), outOfOrder: receiver.outOfOrder().length, notDelivered },
    };
  } finally {
    await relay?.stop();
    if (!options.receiver) await receiver.close();
  }
}
