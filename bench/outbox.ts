// `npm run bench -- outbox`: how fast the outbox carries deliveries to a receiver, beside a bare loop
// of HTTP POSTs to the same receiver at the same concurrency, and how long an event waits from its
// commit to its delivery. The relay (worker/delivery-relay.ts) runs in a process of its own
// (test/support/relay-process.ts) on the engine's stack; the receiver is a parameter (the ledger
// receiver of the mechanism's tests by default: it counts what it acts on by idempotency key, so the
// run also checks exactly-once and order at a large scale).
//
// What is measured:
// - throughput: BENCH_DOSSIERS synthetic dossiers (bench/synthetic-dossiers.ts: real decider, real
//   events, a year of fates) appended to the log while no relay runs, one append per dossier; then
//   the relay starts and plans, dispatches and delivers every portal sync they call for. Deliveries/s
//   = deliveries / (last delivered_at − the relay's start), planning included.
// - the bare loop: as many POSTs of the same body shape to the same receiver, at the outbox's
//   concurrency (one lane per dossier with work, at most the relay's 100 activity slots); the most
//   deliveries the receiver saw in flight at once is reported beside it.
// - lag: BENCH_LAG_DOSSIERS more dossiers whose events are appended one per transaction, as commands
//   do, at BENCH_LAG_RATE events/s while the relay runs; lag = deliveries.delivered_at −
//   event_committed_at (the append's transaction time), and the receiver's own receipt time − the same.
// - with BENCH_OUTBOX_FAULTS=1, faults while the backlog drains (the relay SIGKILLed and restarted, the
//   receiver losing answers, answering 503, down for 15 s, answering later than the sender waits),
//   and the same count at the receiver afterwards: every delivery acted on once, in order per dossier.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { appendToStream } from '../db/event-store.js';
import type { Database } from '../db/schema.js';
import type { DossierEvent } from '../domain/dossier/events.js';
import type { DeliveryPolicy } from '../domain/outbox/plan-deliveries.js';
import { portalSyncWanted } from '../domain/portal-sync/sync-rule.js';
import type { Receipt, ReceiverFault } from '../doubles/receiver-double.js';
import { startLedgerReceiver } from '../test/support/ledger-receiver.js';
import { type RelayProcess, startRelayProcess } from '../test/support/relay-process.js';
import { outboxTaskQueue } from '../worker/delivery-relay.js';
import type { DeliveryLaneSettings } from '../workflows/delivery-lane.js';
import { syntheticDossiers } from './synthetic-dossiers.js';

/** A receiver double the benchmark delivers to: its URL, how to POST to it bare, what it acted on. */
export interface BenchReceiver {
  readonly name: string;
  /** The receivers' URLs as the relay entry takes them (MOTCUA_TEST_RECEIVERS). */
  readonly relayReceivers: Record<string, string>;
  /** One bare HTTP POST of a delivery's shape, with a key of its own: the baseline's unit of work. */
  bare(index: number): Promise<void>;
  receipts(): readonly Receipt[];
  duplicates(): number;
  outOfOrder(): readonly string[];
  peakInFlight(): number;
  /** Sets the double's fault switch (doubles/receiver-double.ts). */
  fail(fault: ReceiverFault): void;
  close(): Promise<void>;
}

export async function ledgerBenchReceiver(): Promise<BenchReceiver> {
  const receiver = await startLedgerReceiver();
  return {
    name: 'ledger receiver (test/support/ledger-receiver.ts)',
    relayReceivers: { portal: receiver.url },
    async bare(index) {
      const key = `bare/BARE-${index}/1/status`;
      const body = JSON.stringify({ key, dossierCode: `BARE-${index}`, sequence: 1, trigger: 'status', status: 1 });
      const response = await fetch(`${receiver.url}/deliver`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body });
      await response.text();
      if (!response.ok) throw new Error(`bare POST answered ${response.status}`);
    },
    receipts: () => receiver.ledger.receipts(),
    duplicates: () => receiver.ledger.summary().duplicates,
    outOfOrder: () => receiver.ledger.summary().outOfOrder,
    peakInFlight: () => receiver.load.peakInFlight,
    fail: (fault) => receiver.faults.fail(fault),
    close: () => receiver.close(),
  };
}

export interface OutboxBenchOptions {
  readonly dossiers: number;
  readonly lagDossiers: number;
  readonly lagRate: number;
  readonly payloadKeys: string;
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
  /** The most deliveries the receiver had in flight at once during the outbox's run. */
  readonly peakInFlight: number;
  readonly bare: { readonly requests: number; readonly concurrency: number; readonly seconds: number; readonly perSecond: number };
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

const POLICY: DeliveryPolicy = { portal: true, notices: { enabled: [], defaultChannels: [], preferredOnly: false } };
// The defaults (worker/delivery-relay.ts) but a 10 s attempt timeout and retry ceiling: after the
// relay is killed, an attempt in flight is retried after its timeout, and a minute of it would be
// the most of a faulty run.
const LANE: Partial<DeliveryLaneSettings> = { idleMs: 60_000, attemptTimeoutMs: 10_000, retryCeilingMs: 10_000 };

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

const metadata = { actor: { userId: 'bench', role: 'reception', agencyCode: 'bench' }, commandId: 'bench' };
const asNew = (event: DossierEvent, index: number) => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: { ...metadata, commandId: `bench-${index}` }, occurredAt: new Date().toISOString() });

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

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`outbox bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function benchOutbox(
  db: Kysely<Database>,
  stack: { databaseUrl: string; temporalAddress: string; workflowBundle: string },
  _logger: Logger,
  options: OutboxBenchOptions,
): Promise<OutboxFigures> {
  const receiver = options.receiver ?? (await ledgerBenchReceiver());
  let relay: RelayProcess | undefined;
  try {
    const all = [...syntheticDossiers({ dossiers: options.dossiers + options.lagDossiers, centres: 20, seed: 20261202 })];
    const backlog = all.slice(0, options.dossiers);
    const trickle = all.slice(options.dossiers);
    const expectedOf = (dossiers: typeof all) => dossiers.flatMap((dossier) => dossier.events.flatMap((event, index) => (portalSyncWanted(event) ? [`portal/${dossier.code}/${index + 1}/status`] : [])));

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
        receivers: receiver.relayReceivers,
        policy: POLICY,
        lane: LANE,
        pollMs: 200,
      });
    relay = await startRelay();
    const started = Date.now();
    const backlogKeys = expectedOf(backlog);
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
      receiver.fail({ mode: 'lose-answer', times: 25 });
      note('the receiver acts and loses its answer, 25 times');
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
      receiver.fail({ mode: 'slow', delayMs: 3_500, times: 20 });
      note('the receiver acts and answers after 3.5 s (the sender waits 3 s), 20 times');
    }
    await waitUntil('the backlog delivered', async () => (await deliveredOf()) >= backlogKeys.length && (await pendingOf()) === 0, 30 * 60_000);
    const last = await db.selectFrom('deliveries').select((eb) => eb.fn.max('delivered_at').as('at')).executeTakeFirstOrThrow();
    const seconds = (new Date(last.at as Date).getTime() - started) / 1000;
    const deliveries = backlogKeys.length;
    options.log(`outbox bench: ${deliveries} deliveries in ${seconds.toFixed(1)} s; the bare loop next`);

    // The baseline: bare POSTs to the same receiver at the outbox's concurrency: as many lanes as
    // dossiers with work, at most the relay's activity slots (the Temporal worker's default, 100).
    const observedPeak = receiver.peakInFlight();
    const concurrency = Math.min(backlog.length, 100);
    const bareStarted = performance.now();
    await pool(Array.from({ length: deliveries }, (_, index) => index), concurrency, async (_item, index) => receiver.bare(index));
    const bareSeconds = (performance.now() - bareStarted) / 1000;

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
    const trickleKeys = expectedOf(trickle);
    await waitUntil('the steady flow delivered', async () => (await deliveredOf()) >= backlogKeys.length + trickleKeys.length && (await pendingOf()) === 0, 30 * 60_000);
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
      bare: { requests: deliveries, concurrency, seconds: bareSeconds, perSecond: deliveries / bareSeconds },
      ratio: deliveries / seconds / (deliveries / bareSeconds),
      lag: { dossiers: trickle.length, events: steps.length, deliveries: lagRows.length, ratePerSecond: options.lagRate, commitToDeliveredMs: percentiles(commitToDelivered), commitToReceiptMs: percentiles(commitToReceipt) },
      faults,
      exactlyOnce: { missing: expected.filter((key) => !acted.has(key)).length, duplicatesRecognised: receiver.duplicates(), outOfOrder: receiver.outOfOrder().length, notDelivered },
    };
  } finally {
    await relay?.stop();
    if (!options.receiver) await receiver.close();
  }
}
