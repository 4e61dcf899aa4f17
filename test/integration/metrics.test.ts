// The metrics through the real stack: the API in this process, the worker in a process of its own
// (worker/main.ts, as production runs it) with MOTCUA_METRICS_PORT. A reception and a refused
// command move the API's counters and gauges; the appends they make move the worker's latency
// histogram; the worker's /metrics serves the Temporal SDK's metrics after ours, among them every
// one the Grafana dashboard queries (deploy/grafana/motcua-dashboard.json).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { dashboardMetricNames, familyOf, SDK_FAILURE_METRICS } from '../support/grafana-dashboard.js';
import { samples, value } from '../support/prometheus-text.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let engine: TestEngine;
let worker: WorkerProcess;
let workerMetricsUrl: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  engine = await startTestEngine({ name: 'metrics', worker: false });
  const port = await freePort();
  worker = await startWorkerProcess(engine.taskQueue, undefined, undefined, { MOTCUA_METRICS_PORT: String(port) });
  workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
});
afterAll(async () => {
  await worker?.stop();
  await engine?.close();
});

/** The names a text serves, with its histograms' families. */
const served = (text: string) => new Set(samples(text).flatMap((sample) => [sample.name, familyOf(sample.name)]));

/** The SDK metrics the dashboard queries that a healthy worker serves (failure counters appear with a failure). */
const dashboardSdkMetrics = () => dashboardMetricNames().filter((name) => name.startsWith('temporal_') && !SDK_FAILURE_METRICS.has(familyOf(name)));

async function apiMetrics(): Promise<string> {
  const response = await fetch(`${engine.url}/metrics`, { headers: await authAs(actor('admin', '000.00.00.H99', 'quantri.1')) });
  expect(response.status).toBe(200);
  return response.text();
}

async function workerMetrics(): Promise<string> {
  const response = await fetch(workerMetricsUrl);
  expect(response.status).toBe(200);
  return response.text();
}

/** Scrapes until `ready` holds: the SDK exports what it has recorded, a moment after the task. */
async function scrapeUntil(scrape: () => Promise<string>, ready: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await scrape();
    if (ready(text)) return text;
    if (Date.now() > deadline) throw new Error(`the scrape never showed ${what}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('metrics through the real stack', () => {
  it('count a reception and a refused command, the open dossier, the appends, and serve the SDK’s metrics', async () => {
    const centre = await engine.newCentre();
    const reception = actor('reception', centre, 'letan.an');
    const before = await apiMetrics();
    const workerBefore = await workerMetrics();

    const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre), await authAs(reception));
    expect(received.status).toBe(201);
    const code: string = received.json.dossierCode;
    const afterReception = await apiMetrics();
    expect(value(afterReception, 'motcua_commands_total', { command: 'ReceiveDossier', outcome: 'accepted' }) - value(before, 'motcua_commands_total', { command: 'ReceiveDossier', outcome: 'accepted' })).toBe(1);
    // The read model is kept in the append's transaction: the dossier is open as soon as it is answered.
    expect(value(afterReception, 'motcua_dossiers_open', { status: 'received' })).toBeGreaterThanOrEqual(1);
    expect(samples(afterReception).some((sample) => sample.name === 'motcua_dossiers_overdue' && sample.labels.status === 'received')).toBe(true);

    // A command the dossier's rules refuse: a second refusal of a dossier already refused.
    const refused = await postCommand(`${engine.url}/dossiers/${code}/refuse-at-reception`, reception, { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 61/2018/NĐ-CP' });
    expect(refused.status).toBe(200);
    const again = await postCommand(`${engine.url}/dossiers/${code}/refuse-at-reception`, reception, { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 61/2018/NĐ-CP' });
    expect(again.status).toBe(422);
    const refusalCode: string = again.json.code;
    const afterRefusal = await apiMetrics();
    expect(value(afterRefusal, 'motcua_commands_total', { command: 'RefuseAtReception', outcome: 'accepted' }) - value(before, 'motcua_commands_total', { command: 'RefuseAtReception', outcome: 'accepted' })).toBe(1);
    expect(value(afterRefusal, 'motcua_commands_total', { command: 'RefuseAtReception', outcome: 'refused' }) - value(before, 'motcua_commands_total', { command: 'RefuseAtReception', outcome: 'refused' })).toBe(1);
    expect(value(afterRefusal, 'motcua_command_refusals_total', { code: refusalCode }) - value(before, 'motcua_command_refusals_total', { code: refusalCode })).toBe(1);

    // The appends ran in the worker process: its histogram moved, the API's did not.
    const appended = (text: string) => value(text, 'motcua_event_append_seconds_count', { stream: 'dossier', outcome: 'appended' });
    const workerText = await scrapeUntil(workerMetrics, (text) => appended(text) - appended(workerBefore) >= 2 && dashboardSdkMetrics().every((name) => served(text).has(name)), 'the appends and the SDK metrics');
    expect(appended(workerText) - appended(workerBefore)).toBeGreaterThanOrEqual(2);
    expect(appended(afterRefusal)).toBe(appended(before));
    // The SDK's metrics, after ours, in seconds, for this worker's task queue.
    expect(workerText.indexOf('temporal_')).toBeGreaterThan(workerText.indexOf('motcua_event_append_seconds'));
    expect(samples(workerText).some((sample) => sample.name.startsWith('temporal_workflow_task_execution_latency') && sample.labels.task_queue === engine.taskQueue)).toBe(true);
    expect(dashboardSdkMetrics().filter((name) => !served(workerText).has(name))).toEqual([]);
  });
});
