// What every loopback double of an outbox receiver shares (docs/integrations/national-portal.md#the-portals-doubles, docs/integrations.md#the-sms-and-zalo-doubles): the fault
// switches a test turns on and off, and the ledger of what the double acted on, by idempotency key.
//
// Faults (POST /__faults {mode, times?, status?, delayMs?, operation?}, or `fail()` in-process):
//   5xx         answers HTTP `status` (503) without acting;
//   timeout     never answers (the client's deadline ends the call; clearing the fault releases it);
//   slow        acts and answers after `delayMs`;
//   malformed   answers 200 with a body that is not the contract;
//   lose-answer acts, then drops the connection: the sender cannot know it arrived (a resend must
//               be recognised by its key);
//   down        drops the connection without acting, as a receiver that is not there.
// `times` limits the fault to that many calls; without it, it lasts until {"mode":"none"}.
//
// The ledger (GET /__receipts) counts what the receiver acted on per idempotency key: a resend of a
// key it has acted on is a duplicate and is not acted on again, as the real receivers do (the
// portal's "đã tồn tại", a mailbox's Message-ID, ZNS's tracking_id). Tests read from it whether
// every expected delivery arrived exactly once and in order per dossier.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const RECEIVER_FAULT_MODES = ['none', '5xx', 'timeout', 'slow', 'malformed', 'lose-answer', 'down'] as const;
export type ReceiverFaultMode = (typeof RECEIVER_FAULT_MODES)[number];

export interface ReceiverFault {
  readonly mode: ReceiverFaultMode;
  /** This many calls suffer it; every call until cleared by default. */
  readonly times?: number;
  /** For `5xx`: the status (503 by default). */
  readonly status?: number;
  /** For `slow`: the delay (2 s by default). */
  readonly delayMs?: number;
  /** Only this operation suffers it (the double's own name for it: a path, a `service`). */
  readonly operation?: string;
}

export interface Receipt {
  readonly key: string;
  readonly dossierCode: string;
  /** The delivery's place in its dossier's order (the event's stream version). */
  readonly sequence: number;
  readonly at: string;
  /** What the double makes of it, for tests (e.g. the portal status code); no personal data. */
  readonly detail?: unknown;
}

export interface ReceiptSummary {
  readonly acted: number;
  readonly duplicates: number;
  /** Keys received more than once (acted on once). */
  readonly duplicateKeys: readonly string[];
  /** Dossiers whose receipts arrived out of sequence order. */
  readonly outOfOrder: readonly string[];
}

/** What a receiver acted on, per key, in arrival order. */
export class ReceiptLedger {
  readonly #byKey = new Map<string, Receipt>();
  readonly #duplicates = new Map<string, number>();
  readonly #order: Receipt[] = [];

  /** Records a receipt: `new` the first time its key arrives (act on it), `duplicate` after. */
  act(receipt: Omit<Receipt, 'at'>): 'new' | 'duplicate' {
    if (this.#byKey.has(receipt.key)) {
      this.#duplicates.set(receipt.key, (this.#duplicates.get(receipt.key) ?? 0) + 1);
      return 'duplicate';
    }
    const stored = { ...receipt, at: new Date().toISOString() };
    this.#byKey.set(receipt.key, stored);
    this.#order.push(stored);
    return 'new';
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  receipts(): readonly Receipt[] {
    return [...this.#order];
  }

  summary(): ReceiptSummary {
    const last = new Map<string, number>();
    const outOfOrder = new Set<string>();
    for (const receipt of this.#order) {
      const previous = last.get(receipt.dossierCode);
      if (previous !== undefined && receipt.sequence < previous) outOfOrder.add(receipt.dossierCode);
      last.set(receipt.dossierCode, Math.max(previous ?? 0, receipt.sequence));
    }
    return {
      acted: this.#order.length,
      duplicates: [...this.#duplicates.values()].reduce((sum, count) => sum + count, 0),
      duplicateKeys: [...this.#duplicates.keys()],
      outOfOrder: [...outOfOrder],
    };
  }

  clear(): void {
    this.#byKey.clear();
    this.#duplicates.clear();
    this.#order.length = 0;
  }
}

export interface FaultSwitch {
  fail(fault: ReceiverFault): void;
  /** The fault this call of `operation` suffers, if any (and one fewer left). */
  take(operation: string): ReceiverFault | null;
  /**
   * Applies a fault that keeps the call from acting (5xx, timeout, malformed, down); returns true
   * when it answered (or dropped) the call, so the handler must not act. `slow` and `lose-answer`
   * act: the handler calls `afterActing` with them.
   */
  before(fault: ReceiverFault | null, request: FastifyRequest, reply: FastifyReply, malformedBody?: string): Promise<boolean>;
  /** For `slow` (waits) and `lose-answer` (drops the connection); true when the answer was dropped. */
  afterActing(fault: ReceiverFault | null, request: FastifyRequest): Promise<boolean>;
  /** Releases the calls held by `timeout`. */
  releaseAll(): void;
}

/** Adds POST /__faults and GET /__receipts to a double, and returns its fault switch. */
export function installReceiverControls(app: FastifyInstance, ledger: ReceiptLedger): FaultSwitch {
  let fault: (ReceiverFault & { left: number }) | null = null;
  const hanging = new Set<() => void>();
  const drop = (request: FastifyRequest) => request.raw.socket.destroy();
  const control: FaultSwitch = {
    fail(next) {
      fault = next.mode === 'none' ? null : { ...next, left: next.times ?? Number.POSITIVE_INFINITY };
      if (!fault) control.releaseAll();
    },
    take(operation) {
      if (!fault || (fault.operation && fault.operation !== operation)) return null;
      const current = fault;
      current.left -= 1;
      if (current.left <= 0) fault = null;
      return current;
    },
    async before(active, request, reply, malformedBody = '{"error_code":') {
      if (!active) return false;
      switch (active.mode) {
        case '5xx':
          await reply.code(active.status ?? 503).type('text/plain; charset=utf-8').send('Service Unavailable');
          return true;
        case 'malformed':
          await reply.code(200).type('application/json').send(malformedBody);
          return true;
        case 'down':
          drop(request);
          return true;
        case 'timeout':
          await new Promise<void>((resolve) => hanging.add(resolve));
          drop(request);
          return true;
        default:
          return false;
      }
    },
    async afterActing(active, request) {
      if (active?.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, active.delayMs ?? 2000));
      if (active?.mode === 'lose-answer') {
        drop(request);
        return true;
      }
      return false;
    },
    releaseAll() {
      for (const release of hanging) release();
      hanging.clear();
    },
  };
  app.post('/__faults', async (request) => {
    const body = (request.body ?? {}) as Partial<ReceiverFault>;
    if (!RECEIVER_FAULT_MODES.includes(body.mode as ReceiverFaultMode)) {
      return { error: `mode must be one of ${RECEIVER_FAULT_MODES.join(', ')}` };
    }
    control.fail(body as ReceiverFault);
    return { fault };
  });
  app.get('/__receipts', async () => ({ summary: ledger.summary(), receipts: ledger.receipts() }));
  app.addHook('onClose', async () => control.releaseAll());
  return control;
}

/** What every receiver double's handle offers: where it listens, its ledger and faults, and close(). */
export interface ReceiverHandle {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly ledger: ReceiptLedger;
  fail(fault: ReceiverFault): void;
  receipts(): readonly Receipt[];
  summary(): ReceiptSummary;
  close(): Promise<void>;
}

export function receiverHandle(url: string, app: FastifyInstance, ledger: ReceiptLedger, control: FaultSwitch): ReceiverHandle {
  return {
    url,
    app,
    ledger,
    fail: (fault) => control.fail(fault),
    receipts: () => ledger.receipts(),
    summary: () => ledger.summary(),
    async close() {
      control.releaseAll();
      await app.close();
    },
  };
}
