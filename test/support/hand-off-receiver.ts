// A loopback receiver of hand-offs that enforces the reference contract the engine sends
// (domain/interagency/hand-off.ts; docs/integrations.md#handing-steps-over), for the tests of the
// outbound side: `POST /steps` without the bearer token answers 401, a body that breaks the schema
// or an Idempotency-Key other than the message's key 400; a key seen before answers 200 with
// `duplicate: true` and acts on nothing. It counts what it acted on by key, and can be told to fail:
// answer a status, or act and then lose its answer (the connection dropped).
// The full doubles of the land, tax and civil-status systems (with their answers) are elsewhere.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handOffMessageSchema, type HandOffMessage } from '../../domain/interagency/hand-off.js';

export interface HandOffReceipt {
  readonly key: string;
  readonly message: HandOffMessage;
  readonly reference: string;
}

export type HandOffFault = { readonly mode: 'none' } | { readonly mode: 'status'; readonly status: number; readonly times: number } | { readonly mode: 'lose-answer'; readonly times: number };

export interface HandOffReceiver {
  readonly url: string;
  /** What it acted on, one per key, in the order it acted. */
  receipts(): readonly HandOffReceipt[];
  /** Every request it answered: its status, and the key when it had one. */
  requests(): readonly { status: number; key?: string }[];
  fail(fault: HandOffFault): void;
  close(): Promise<void>;
}

export async function startHandOffReceiver(options: { readonly token: string; readonly system: string }): Promise<HandOffReceiver> {
  const acted = new Map<string, HandOffReceipt>();
  const requests: { status: number; key?: string }[] = [];
  let fault: HandOffFault = { mode: 'none' };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await read(request);
      const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
      const answer = (status: number, json: unknown) => {
        requests.push({ status, ...(key ? { key } : {}) });
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      if (request.method !== 'POST' || request.url !== '/steps') return answer(404, { error: 'no such endpoint' });
      if (request.headers.authorization !== `Bearer ${options.token}`) return answer(401, { error: 'bearer token missing or wrong' });
      if (fault.mode === 'status' && fault.times > 0) {
        fault = { ...fault, times: fault.times - 1 };
        return answer(fault.status, { error: `told to answer ${fault.status}` });
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return answer(400, { error: 'not JSON' });
      }
      const parsed = handOffMessageSchema.safeParse(json);
      if (!parsed.success) return answer(400, { error: 'the message breaks the contract', issues: parsed.error.issues.map((issue) => issue.path.join('.')) });
      if (parsed.data.system !== options.system) return answer(400, { error: `this is the ${options.system} system` });
      if (key !== parsed.data.key) return answer(400, { error: 'Idempotency-Key must be the message key' });
      const seen = acted.get(key);
      if (seen) return answer(200, { reference: seen.reference, duplicate: true });
      const reference = `${options.system.toUpperCase()}-${acted.size + 1}`;
      acted.set(key, { key, message: parsed.data, reference });
      if (fault.mode === 'lose-answer' && fault.times > 0) {
        fault = { ...fault, times: fault.times - 1 };
        requests.push({ status: 0, key });
        request.socket.destroy();
        return;
      }
      return answer(202, { reference });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    receipts: () => [...acted.values()],
    requests: () => [...requests],
    fail(next) {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
