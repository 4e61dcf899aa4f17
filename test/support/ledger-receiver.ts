// A receiver of the outbox for the mechanism's tests, whatever the receiver's contract: a loopback
// double (doubles/receiver-double.ts: fault switches, a ledger of what it acted on by key) that takes
// POST /deliver {key, dossierCode, sequence, trigger, status}, and the adapter that sends there. It
// classifies as the real adapters do: 2xx delivered, 409 already delivered, 4xx refused for good,
// 5xx and network errors retryable. The receivers' own adapters are tested against their own doubles.
import Fastify from 'fastify';
import { foldDossier, isReceived, NATIONAL_PORTAL_STATUS, newDossier } from '../../domain/dossier/state.js';
import type { Receiver } from '../../domain/outbox/deliveries.js';
import { type FaultSwitch, installReceiverControls, ReceiptLedger } from '../../doubles/receiver-double.js';
import type { DeliveryChannel } from '../../integrations/outbox/delivery-channel.js';
import { recordedResponse, sha256Hex } from '../../integrations/outbox/mask.js';

export interface LedgerReceiver {
  readonly url: string;
  readonly ledger: ReceiptLedger;
  readonly faults: FaultSwitch;
  /** Requests to /deliver being handled now, and the most at once so far (for the benchmark's baseline). */
  readonly load: { readonly inFlight: number; readonly peakInFlight: number };
  channel(receiver: Receiver): DeliveryChannel;
  close(): Promise<void>;
}

export async function startLedgerReceiver(): Promise<LedgerReceiver> {
  const ledger = new ReceiptLedger();
  const app = Fastify({ logger: false });
  const faults = installReceiverControls(app, ledger);
  const load = { inFlight: 0, peakInFlight: 0 };
  app.addHook('onRequest', async (request, reply) => {
    if (request.url !== '/deliver') return;
    load.inFlight += 1;
    load.peakInFlight = Math.max(load.peakInFlight, load.inFlight);
    // 'close' comes once whether the answer was sent or the connection dropped (a fault).
    reply.raw.once('close', () => {
      load.inFlight -= 1;
    });
  });
  app.post('/deliver', async (request, reply) => {
    const fault = faults.take('deliver');
    if (await faults.before(fault, request, reply)) return reply;
    const body = request.body as { key?: unknown; dossierCode?: unknown; sequence?: unknown; status?: unknown };
    if (typeof body.key !== 'string' || typeof body.dossierCode !== 'string' || typeof body.sequence !== 'number') return reply.code(400).send({ error: 'key, dossierCode and sequence are required' });
    if (request.headers['idempotency-key'] !== body.key) return reply.code(400).send({ error: 'the Idempotency-Key header must be the key' });
    const acted = ledger.act({ key: body.key, dossierCode: body.dossierCode, sequence: body.sequence, detail: { status: body.status } });
    if (await faults.afterActing(fault, request)) return reply;
    return reply.code(acted === 'new' ? 200 : 409).send({ acted });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    ledger,
    faults,
    load,
    channel: (receiver) => ledgerChannel(url, receiver),
    close: () => app.close(),
  };
}

/**
 * The adapter that sends to a ledger receiver at `url`, on its own: what a relay in a process of its
 * own (test/support/relay-entry.ts) builds from the receivers' URLs.
 */
export function ledgerChannel(url: string, receiver: Receiver): DeliveryChannel {
  return {
    receiver,
    async deliver(context) {
      const state = foldDossier(newDossier(context.dossierCode), context.events.map((event) => event.event));
      const body = JSON.stringify({ key: context.key, dossierCode: context.dossierCode, sequence: context.sequence, trigger: context.trigger, status: isReceived(state) ? NATIONAL_PORTAL_STATUS[state.status] : null });
      let response: Response;
      try {
        response = await fetch(`${url}/deliver`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': context.key }, body, signal: AbortSignal.timeout(3000) });
      } catch (error) {
        return { outcome: 'failed', retryable: true, reason: `no answer: ${(error as Error).name}` };
      }
      const exchange = { request: JSON.parse(body) as unknown, requestSha256: sha256Hex(body), response: recordedResponse(await response.text()) };
      if (response.ok) return { outcome: 'delivered', exchange };
      if (response.status === 409) return { outcome: 'already-delivered', exchange };
      return { outcome: 'failed', retryable: response.status >= 500, reason: `HTTP ${response.status}`, exchange };
    },
  };
}
