// Traces through the real stack: the API (api/main.ts) and the worker (worker/main.ts) each in a
// process of their own, as production runs them, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a
// loopback OTLP/HTTP receiver. One reception gives spans from both processes that share one trace
// id (the request's span, the Temporal client's, the workflow's and the activities'), and no span
// carries the applicant's personal data.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, postJson, receptionBody, startTestEngine, TEST_APPLICANT_KEY, TEST_JWT_SECRET, TEST_LOOKUP_KEY, TEST_PAYLOAD_KEYS, type TestEngine } from '../support/engine.js';
import { type ReadyChild, untilReady } from '../support/ready-child.js';
import { testSigningSettings } from '../support/test-pki.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { replayDossierHistories } from '../../worker/history-replay.js';
import { inject } from 'vitest';

const API_ENTRY = fileURLToPath(new URL('../../api/main.ts', import.meta.url));

interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/** A collector as small as it gets: accepts OTLP/HTTP JSON on POST /v1/traces and keeps the spans. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const contentTypes = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      contentTypes.add(String(request.headers['content-type']));
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const parsed = JSON.parse(body) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { traceId: string; name: string; attributes?: { key: string; value: Record<string, unknown> }[] }[] }[] }[] };
      for (const resourceSpans of parsed.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) {
            spans.push({ service, traceId: span.traceId, name: span.name, attributes: Object.fromEntries((span.attributes ?? []).map((attribute) => [attribute.key, Object.values(attribute.value)[0]])) });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, bodies, contentTypes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let engine: TestEngine;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let worker: WorkerProcess;
let api: ReadyChild;
let apiUrl: string;

// The batch processor's delay (the standard OTEL_BSP_SCHEDULE_DELAY) shortened so the test need not wait 5 s.
const tracingEnvironment = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' });

beforeAll(async () => {
  receiver = await startReceiver();
  // The suite's engine, for its task queue and its centres; its API and worker are not used.
  engine = await startTestEngine({ name: 'traces', worker: false });
  worker = await startWorkerProcess(engine.taskQueue, undefined, undefined, tracingEnvironment());
  const child = spawn(process.execPath, ['--import', 'tsx', API_ENTRY], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: engine.taskQueue,
      LOG_LEVEL: 'info',
      MOTCUA_JWT_SECRET: TEST_JWT_SECRET,
      MOTCUA_LOOKUP_KEY: TEST_LOOKUP_KEY,
      MOTCUA_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      MOTCUA_APPLICANT_KEY: TEST_APPLICANT_KEY,
      MOTCUA_TRUST_ANCHORS: testSigningSettings().trustAnchorFiles.join(','),
      ...tracingEnvironment(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api = await untilReady(child, 'Server listening at', 'API');
  const listening = api.output.map((line) => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]).find(Boolean);
  if (!listening) throw new Error(`the API did not say where it listens:\n${api.output.join('\n')}`);
  apiUrl = listening;
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await engine?.close();
  await receiver?.close();
});

/** Waits until the received spans hold what `ready` asks (the processes send them in batches). */
async function spansUntil(ready: (spans: readonly ReceivedSpan[]) => boolean, what: string): Promise<readonly ReceivedSpan[]> {
  const deadline = Date.now() + 60_000;
  while (!ready(receiver.spans)) {
    if (Date.now() > deadline) throw new Error(`the receiver never had ${what}; it had:\n${receiver.spans.map((span) => `${span.service} ${span.traceId} ${span.name}`).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return receiver.spans;
}

describe('traces through the real stack', () => {
  it('follow a reception from the API request through the Temporal client into the worker, in one trace, with no personal data', async () => {
    const centre = await engine.newCentre();
    const body = receptionBody(centre);
    const received = await postJson(`${apiUrl}/dossiers`, body, await authAs(actor('reception', centre, 'letan.an')));
    expect(received.status).toBe(201);

    // The request's span: named by its route pattern, the parent of the Temporal client's spans.
    const traceOfRequest = (spans: readonly ReceivedSpan[]) => spans.find((span) => span.service === 'motcua-api' && span.name === 'POST /dossiers')?.traceId;
    const workerSpansOf = (spans: readonly ReceivedSpan[], traceId: string | undefined) => spans.filter((span) => span.service === 'motcua-worker' && span.traceId === traceId);
    const spans = await spansUntil((all) => {
      const traceId = traceOfRequest(all);
      const inWorker = workerSpansOf(all, traceId);
      return inWorker.some((span) => span.name.startsWith('RunActivity')) && inWorker.some((span) => span.name.startsWith('RunWorkflow') || span.name.startsWith('HandleUpdate'));
    }, 'the worker’s spans in the request’s trace');
    const traceId = traceOfRequest(spans)!;
    const request = spans.find((span) => span.traceId === traceId && span.name === 'POST /dossiers')!;
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/dossiers', 'http.response.status_code': 201 });
    // The API's Temporal client span is in the same trace, and names the dossier's workflow.
    const client = spans.filter((span) => span.service === 'motcua-api' && span.traceId === traceId && span.name !== 'POST /dossiers');
    expect(client.length).toBeGreaterThan(0);
    expect(JSON.stringify(client.map((span) => span.attributes))).toContain(received.json.dossierCode);
    // The workflow's and the activities' spans, from the worker process.
    expect(workerSpansOf(spans, traceId).map((span) => span.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^RunActivity:/)]));

    // OTLP/HTTP in JSON, and nothing personal anywhere in what was sent.
    expect([...receiver.contentTypes]).toEqual(['application/json']);
    const sent = receiver.bodies.join('\n');
    for (const personal of [body.applicant.fullName, body.applicant.identityNumber, body.applicant.phone, body.applicant.address]) {
      expect(sent).not.toContain(personal);
    }
  });

  it('leave histories that replay on the workflow bundle made without tracing (the interceptor adds headers, not commands)', async () => {
    const centre = await engine.newCentre();
    const received = await postJson(`${apiUrl}/dossiers`, receptionBody(centre), await authAs(actor('reception', centre, 'letan.an')));
    expect(received.status).toBe(201);
    // Visibility lists a new workflow a moment after it starts.
    const query = `WorkflowType = 'dossierWorkflow' AND TaskQueue = '${engine.taskQueue}'`;
    const deadline = Date.now() + 30_000;
    let replay = await replayDossierHistories(engine.temporal, { workflowBundlePath: inject('workflowBundlePath'), query });
    while (replay.replayed < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      replay = await replayDossierHistories(engine.temporal, { workflowBundlePath: inject('workflowBundlePath'), query });
    }
    expect(replay).toEqual({ replayed: 2, failures: [] });
  });
});
