// The Temporal server (file-backed, as `npm start` runs it) restarts under a dossier in the middle
// of its lifecycle: the worker and the API reconnect, the workflow resumes where it was, and the
// dossier goes on to its result with every event once.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStream } from '../../db/event-integrity.js';
import { freePort } from '../../dev/free-port.js';
import { locateTemporalCli } from '../../dev/temporal-cli.js';
import { startTemporalServer, type RunningTemporalServer } from '../../dev/temporal-server.js';
import { createLogger } from '../../platform/logger.js';
import { dossierStateQuery, dossierWorkflowId } from '../../workflows/dossier.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY } from '../support/dossier-fixtures.js';
import { signedResult } from '../support/signed-result.js';
import { authAs, getJson, postInsisting, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';

const logger = createLogger({ level: 'silent', name: 'fault-test' });
const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-temporal-restart-'));
chmodSync(scratch, 0o755);
const dbFilename = path.join(scratch, 'temporal.db');
let port: number;
let temporal: RunningTemporalServer;
let engine: TestEngine;

const start = async () => startTemporalServer({ cli: await locateTemporalCli(logger, process.env.TEMPORAL_CLI), dbFilename, port, namespace: 'default' }, logger);

beforeAll(async () => {
  port = await freePort();
  temporal = await start();
  engine = await startTestEngine({ name: 'temporal-restart', temporalAddress: temporal.address });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await temporal?.stop();
  rmSync(scratch, { recursive: true, force: true });
});


describe('a Temporal server restart in the middle of a lifecycle', () => {
  it('resumes the workflow where it was, and the dossier reaches its result with every event once', async () => {
    const desk = await authAs(actor('reception', CENTRE));
    const received = await postInsisting(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), desk, 'receive');
    const code = received.json.dossierCode as string;
    expect(await postInsisting(`${engine.url}/dossiers/${code}/accept`, { components: completeComponents(BUSINESS_PROCEDURE) }, desk, 'accept')).toMatchObject({ status: 200 });

    await temporal.stop();
    temporal = await start();

    // The workflow is still there, in the state it had, and takes the next commands.
    const handle = engine.temporal.workflow.getHandle(dossierWorkflowId(code));
    await expect.poll(async () => (await handle.query(dossierStateQuery).catch(() => undefined))?.state.status, { timeout: 60_000, interval: 500 }).toBe('in-processing');
    expect(await postInsisting(`${engine.url}/dossiers/${code}/complete-step`, { stepId: 'business-registration', outcome: 'approved' }, await authAs(actor('officer', ECONOMY)), 'complete')).toMatchObject({ status: 200 });
    const result = new FormData();
    result.append('reference', 'HKD-0042');
    result.append('file', new Blob([await signedResult(ECONOMY, 'HKD-0042')], { type: 'application/pdf' }), 'result.pdf');
    expect(await postInsisting(`${engine.url}/dossiers/${code}/issue-result`, result, await authAs(actor('head', ECONOMY)), 'result')).toMatchObject({ status: 200, json: { status: 'result-ready' } });

    // Its documents were issued across the restart too: the receipt and the slip, beside the competent body's result.
    await expect
      .poll(async () => ((await getJson(`${engine.url}/dossiers/${code}/documents`, desk)).json.items ?? []).map((item: { kind: string }) => item.kind).sort(), { timeout: 60_000, interval: 500 })
      .toEqual(['form-01', 'form-06', 'result']);
    const events = await engine.db.selectFrom('events').select(['type', 'stream_version']).where('stream_id', '=', code).orderBy('stream_version').execute();
    expect(events.map((event) => event.stream_version)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.type).filter((type) => type !== 'DocumentIssued')).toEqual(['DossierReceived', 'DossierAccepted', 'StepStarted', 'StepCompleted', 'ResultIssued']);
    expect(await verifyStream(engine.db, code)).toMatchObject({ intact: true });
  }, 240_000);
});
