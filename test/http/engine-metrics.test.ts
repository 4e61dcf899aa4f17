// The engine's own metrics (platform/metrics.ts, api/commands/command-metrics.ts) without a
// database or Temporal: their names, types and label sets, each label bounded to known values
// whatever a caller sends, a command through a real route counted by its outcome, the scrape-time
// gauges left out (and the failure counted) when their source cannot answer, and serveMetrics
// merging the Temporal SDK's exposition. Through the real stack: test/integration/metrics.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_OUTCOMES, COMMAND_TYPES, counted, recordCommand, REFUSAL_CODE_EXTRAS } from '../../api/commands/command-metrics.js';
import { ERROR_CODES } from '../../api/error-catalogue.js';
import { codedProblem } from '../../api/problem-details.js';
import { CommandNotAnswered } from '../../api/workflow-answer-wait.js';
import { timedAppend } from '../../activities/timed-append.js';
import { StreamVersionConflict } from '../../db/event-store.js';
import { lifecycleCommandSchema } from '../../domain/dossier/commands.js';
import { CLOSED_STATUSES, DOSSIER_STATUSES } from '../../domain/dossier/state.js';
import { feedbackCommandSchema } from '../../domain/feedback/commands.js';
import { APPEND_OUTCOMES, APPEND_STREAMS, metricsText, serveMetrics, watchOpenDossiers } from '../../platform/metrics.js';
import { samples, value } from '../support/prometheus-text.js';
import { type HttpApp, startHttpApp } from './http-app.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app?.close());

/** Every label value each of our metrics may carry. */
const BOUNDED: Record<string, Record<string, readonly string[]>> = {
  motcua_commands_total: { command: [...COMMAND_TYPES, 'other'], outcome: COMMAND_OUTCOMES },
  motcua_command_refusals_total: { code: [...ERROR_CODES, ...REFUSAL_CODE_EXTRAS] },
  motcua_command_seconds: { outcome: COMMAND_OUTCOMES },
  motcua_event_append_seconds: { stream: [...APPEND_STREAMS, 'other'], outcome: APPEND_OUTCOMES },
  motcua_dossiers_open: { status: [...DOSSIER_STATUSES, 'other'] },
  motcua_dossiers_overdue: { status: [...DOSSIER_STATUSES, 'other'] },
};

describe('the engine’s metrics', () => {
  it('are declared with their types', async () => {
    const text = await metricsText();
    for (const [name, type] of [
      ['motcua_commands_total', 'counter'],
      ['motcua_command_refusals_total', 'counter'],
      ['motcua_command_seconds', 'histogram'],
      ['motcua_event_append_seconds', 'histogram'],
      ['motcua_dossiers_open', 'gauge'],
      ['motcua_dossiers_overdue', 'gauge'],
    ]) {
      expect(text, name).toContain(`# TYPE ${name} ${type}`);
    }
  });

  it('know every command type the engine takes, once each', () => {
    expect(new Set(COMMAND_TYPES).size).toBe(COMMAND_TYPES.length);
    expect(COMMAND_TYPES.length).toBe(1 + lifecycleCommandSchema.options.length + feedbackCommandSchema.options.length);
    expect(COMMAND_TYPES).toEqual(expect.arrayContaining(['ReceiveDossier', 'AcceptDossier', 'ReturnResult', 'ReceiveFeedback', 'AnswerFeedback']));
  });

  it('count a command through a real route by its outcome: failed when the service cannot answer', async () => {
    const before = await metricsText();
    // Valid, so it goes on to the database (nowhere here): the service failed, nothing was decided.
    const response = await app.app.inject({ method: 'POST', url: '/dossiers/000.00.31.H38-250701-0005/refuse-at-reception', headers: await app.authAs('reception'), payload: { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Nghị định 01/2021/NĐ-CP' } });
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    const after = await metricsText();
    expect(value(after, 'motcua_commands_total', { command: 'RefuseAtReception', outcome: 'failed' }) - value(before, 'motcua_commands_total', { command: 'RefuseAtReception', outcome: 'failed' })).toBe(1);
    expect(value(after, 'motcua_command_seconds_count', { outcome: 'failed' }) - value(before, 'motcua_command_seconds_count', { outcome: 'failed' })).toBe(1);
    // A request refused by its schema never reaches a dossier: not a command.
    const invalid = await app.app.inject({ method: 'POST', url: '/dossiers/000.00.31.H38-250701-0005/refuse-at-reception', headers: await app.authAs('reception'), payload: { reasons: [] } });
    expect(invalid.statusCode).toBe(400);
    expect(value(await metricsText(), 'motcua_commands_total', { command: 'RefuseAtReception' })).toBe(value(after, 'motcua_commands_total', { command: 'RefuseAtReception' }));
  });

  it('count a reception whose catalogue check cannot run as failed', async () => {
    const failed = () => metricsText().then((text) => value(text, 'motcua_commands_total', { command: 'ReceiveDossier', outcome: 'failed' }));
    const before = await failed();
    const response = await app.app.inject({
      method: 'POST',
      url: '/dossiers',
      headers: await app.authAs('reception'),
      payload: { agencyCode: '000.00.31.H38', procedureCode: '1.001193', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Nguyễn Thị Hoa', identityNumber: '001190000123', phone: '0912 345 678', address: 'Số 5, thôn Đông, xã Diễn Châu, tỉnh Nghệ An' } },
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    expect((await failed()) - before).toBe(1);
  });

  it('count each outcome of a command path, refusals by their code, and pass answers and errors through', async () => {
    const before = await metricsText();
    const refusal = codedProblem('DOSSIER_CLOSED', 'closed');
    expect(await counted('AcceptDossier', async () => ({ kind: 'answered' as const }))).toEqual({ kind: 'answered' });
    expect(await counted('AcceptDossier', async () => ({ kind: 'refused' as const, problem: refusal }))).toEqual({ kind: 'refused', problem: refusal });
    await counted('AcceptDossier', async () => ({ kind: 'unknown-dossier' as const }));
    const late = new CommandNotAnswered(20_000, '000.00.31.H38-250701-0005', false, { cause: new Error('deadline') });
    await expect(counted('AcceptDossier', () => Promise.reject(late))).rejects.toBe(late);
    const broken = new Error('Temporal unreachable');
    await expect(counted('AcceptDossier', () => Promise.reject(broken))).rejects.toBe(broken);
    const after = await metricsText();
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(Object.fromEntries(COMMAND_OUTCOMES.map((outcome) => [outcome, delta('motcua_commands_total', { command: 'AcceptDossier', outcome })]))).toEqual({ accepted: 1, refused: 2, failed: 1, timeout: 1 });
    expect(delta('motcua_command_refusals_total', { code: 'DOSSIER_CLOSED' })).toBe(1);
    expect(delta('motcua_command_refusals_total', { code: 'not-found' })).toBe(1);
  });

  it('keep every label bounded: unknown types and codes are other, hostile text never echoed', async () => {
    recordCommand('Accept"} 1\nmotcua_fake 9', 'refused', 0.01, 'NOT_A_CODE"} 2\nmotcua_fake 9');
    recordCommand('SomethingNew', 'accepted', 0.01);
    recordCommand('AcceptDossier', 'refused', Number.NaN);
    const text = await metricsText();
    expect(text).not.toContain('motcua_fake');
    expect(value(text, 'motcua_commands_total', { command: 'other', outcome: 'refused' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'motcua_commands_total', { command: 'other', outcome: 'accepted' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'motcua_command_refusals_total', { code: 'other' })).toBeGreaterThanOrEqual(2);
    for (const sample of samples(text)) {
      const family = Object.keys(BOUNDED).find((name) => sample.name === name || sample.name.startsWith(`${name}_`));
      if (!family) continue;
      for (const [label, labelValue] of Object.entries(sample.labels)) {
        if (label === 'le') continue;
        expect(BOUNDED[family]![label], `${sample.name} has an unexpected label ${label}`).toBeDefined();
        expect(BOUNDED[family]![label], `${sample.name}{${label}="${labelValue}"}`).toContain(labelValue);
      }
    }
  });
});

describe('the append latency', () => {
  it('is measured around an append and sorted by its outcome; answers and errors pass through', async () => {
    const before = await metricsText();
    const stored = { streamVersion: 3, events: [], alreadyStored: false };
    expect(await timedAppend('dossier', async () => stored)).toBe(stored);
    await timedAppend('dossier', async () => ({ ...stored, alreadyStored: true }));
    const conflict = new StreamVersionConflict('000.00.31.H38-250701-0005', 2, 3);
    await expect(timedAppend('dossier', () => Promise.reject(conflict))).rejects.toBe(conflict);
    await expect(timedAppend('feedback', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    const after = await metricsText();
    const delta = (labels: Record<string, string>) => value(after, 'motcua_event_append_seconds_count', labels) - value(before, 'motcua_event_append_seconds_count', labels);
    expect([delta({ stream: 'dossier', outcome: 'appended' }), delta({ stream: 'dossier', outcome: 'already-stored' }), delta({ stream: 'dossier', outcome: 'conflict' }), delta({ stream: 'feedback', outcome: 'failed' })]).toEqual([1, 1, 1, 1]);
    expect(after).toMatch(/motcua_event_append_seconds_bucket\{le="0\.005",stream="dossier",outcome="appended"\} \d/);
  });
});

describe('the open-dossier gauges', () => {
  it('are left out, and the failure counted, when the read model cannot be read (no database here)', async () => {
    const text = (await app.app.inject({ method: 'GET', url: '/metrics', headers: await app.authAs('admin') })).body;
    expect(samples(text).filter((sample) => sample.name === 'motcua_dossiers_open' || sample.name === 'motcua_dossiers_overdue')).toEqual([]);
    expect(value(text, 'motcua_metrics_collect_failures_total', { metric: 'motcua_dossiers_open' })).toBeGreaterThanOrEqual(1);
  });

  it('answer every open status (0 when none), an unknown status as other, and the overdue ones by status, read once per scrape', async () => {
    let reads = 0;
    const unwatch = watchOpenDossiers(async () => {
      reads += 1;
      return { byStatus: { accepted: 4, 'in-processing': 2, 'a-status-from-tomorrow': 1 }, overdueByStatus: { accepted: 1, 'in-processing': 2, 'a-status-from-tomorrow': 0 } };
    });
    try {
      const text = await metricsText();
      expect(reads).toBe(1);
      const open = samples(text).filter((sample) => sample.name === 'motcua_dossiers_open');
      const byStatus = Object.fromEntries(open.map((sample) => [sample.labels.status, sample.value]));
      for (const status of DOSSIER_STATUSES) if (!CLOSED_STATUSES.has(status)) expect(byStatus[status], status).toBe(status === 'accepted' ? 4 : status === 'in-processing' ? 2 : 0);
      for (const status of CLOSED_STATUSES) expect(byStatus[status], status).toBeUndefined();
      expect(byStatus.other).toBe(1);
      expect(value(text, 'motcua_dossiers_overdue')).toBe(3);
      expect(value(text, 'motcua_dossiers_overdue', { status: 'in-processing' })).toBe(2);
    } finally {
      unwatch();
    }
  });
});

describe('serveMetrics with the Temporal SDK’s exposition', () => {
  it('serves ours, then the SDK’s, in one answer; ours alone, the failure counted, when the SDK does not answer', async () => {
    const sdk = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('# HELP temporal_request Client requests\n# TYPE temporal_request counter\ntemporal_request{operation="PollWorkflowTaskQueue"} 7\n'));
    await new Promise<void>((resolve) => sdk.listen(0, '127.0.0.1', () => resolve()));
    const sdkPort = (sdk.address() as AddressInfo).port;
    const server = await serveMetrics({ port: 0, alsoFrom: `http://127.0.0.1:${sdkPort}/metrics` });
    try {
      const text = await (await fetch(server.url)).text();
      expect(text).toContain('# TYPE motcua_commands_total counter');
      expect(value(text, 'temporal_request', { operation: 'PollWorkflowTaskQueue' })).toBe(7);
      expect(text.indexOf('temporal_request')).toBeGreaterThan(text.indexOf('motcua_commands_total'));
      // Still one valid exposition: every line a comment or a sample.
      expect(() => samples(text)).not.toThrow();
      const failuresBefore = value(text, 'motcua_metrics_collect_failures_total', { metric: 'temporal_sdk' });
      await new Promise<void>((resolve) => sdk.close(() => resolve()));
      const alone = await fetch(server.url);
      expect(alone.status).toBe(200);
      const aloneText = await alone.text();
      expect(aloneText).not.toContain('temporal_request');
      expect(value(aloneText, 'motcua_metrics_collect_failures_total', { metric: 'temporal_sdk' })).toBe(failuresBefore + 1);
    } finally {
      await server.close();
      if (sdk.listening) sdk.close();
    }
  });
});
