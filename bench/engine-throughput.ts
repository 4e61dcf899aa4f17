// The engine under load, as production runs it: the API and the worker each in a process of its
// own (compiled entries run with tsx), on a throw-away PostgreSQL and Temporal dev server.
// - Reception end to end (POST /dossiers → Temporal → PostgreSQL → 201) at several concurrencies,
//   beside two baselines measured in the same run: a trivial workflow with one activity on the
//   same Temporal server, and a bare Fastify route over HTTP.
// - A portal's online submission with three 2 MB files (bench/portal-intake.ts), concurrency 1 and 16.
// - The full lifecycle (reception, acceptance, step, result, return): dossiers per second.
// - Memory: the peak resident set of the API and the worker processes during the load.
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema.js';
import { createDocumentStore } from '../documents/document-store.js';
import { pdfOfSize, upload, type UploadRatio, uploadRatio } from './upload.js';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { PDFDocument } from 'pdf-lib';
import { mintToken } from '../api/auth/token-verifier.js';
import { loadAgencySigner } from '../documents/signing/keystore.js';
import { signPdf } from '../documents/signing/pades-signer.js';
import { freePort } from '../dev/free-port.js';
import { cpuMeter, cpuSecondsOf, type CpuGroups } from './cpu-meter.js';
import { trivialActivities } from './trivial-workflow.js';
import { benchPortalIntake } from './portal-intake.js';

export interface LatencyFigure {
  readonly concurrency: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** CPU milliseconds per operation, by process: the API, the worker, Temporal, PostgreSQL, the load generator. */
export type CpuShare = Readonly<Record<string, number>>;

export interface EngineFigures {
  readonly reception: readonly (LatencyFigure & { readonly trivialWorkflowPerSecond: number; readonly bareRoutePerSecond: number; readonly cpuMsPerReception: CpuShare })[];
  readonly lifecycle: { readonly concurrency: number; readonly dossiers: number; readonly dossiersPerSecond: number; readonly p50Ms: number; readonly cpuMsPerDossier: CpuShare };
  /** A portal's submission with three 2 MB files, base64 in JSON (bench/portal-intake.ts). */
  readonly intake: readonly (LatencyFigure & { readonly megabytesPerSecond: number })[];
  readonly peakRssMiB: { readonly api: number; readonly worker: number };
}

const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const CENTRE = '000.01.01.H99';
const root = fileURLToPath(new URL('../', import.meta.url));

/** Runs `total` calls with `concurrency` loops; the rate and latency percentiles of the calls. */
export async function load(concurrency: number, total: number, call: (index: number) => Promise<void>): Promise<LatencyFigure> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const begun = performance.now();
        await call(index);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { concurrency, requests: total, perSecond: total / seconds, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99) };
}

/**
 * A process of the engine (api/main.ts or worker/main.ts), started and waited for. `output`, when
 * given, receives everything it writes (dev/cluster.ts keeps each process's log in a file);
 * `ownGroup` runs it in a process group of its own, so a terminal's Ctrl-C reaches only the
 * launcher, which then stops it once (a second signal would cut its drain short).
 */
export async function startProcess(entry: string, env: Record<string, string>, ready: string, options: { readonly output?: NodeJS.WritableStream; readonly ownGroup?: boolean } = {}): Promise<ChildProcess> {
  const { output } = options;
  // Info level, to see it start; its output is read to the end (and dropped once it is up unless
  // `output` takes it), so a full pipe never blocks it.
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../${entry}`, import.meta.url))], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownGroup ?? false });
  const written: string[] = [];
  let started = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${written.join('')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output?.write(chunk);
      if (started) return;
      written.push(chunk.toString());
      if (written.join('').includes(ready)) {
        started = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${written.join('')}`));
    });
  });
  return child;
}

/** Samples a process's resident set (VmRSS) until stopped; answers the peak in MiB. */
function rssSampler(pid: number): { stop(): number } {
  let peak = 0;
  const sample = () => {
    try {
      const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kib / 1024);
    } catch {
      // The process ended; the peak so far stands.
    }
  };
  const timer = setInterval(sample, 200);
  sample();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** Waits until a process has used under 2% of a core for a whole second (at most 60 s). */
async function untilQuiet(pid: number): Promise<void> {
  const cpuSeconds = () => cpuSecondsOf(pid);
  const deadline = Date.now() + 60_000;
  let last = cpuSeconds();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuSeconds();
    if (now - last < 0.02) return;
    last = now;
  }
}

/** POST /dossiers/{code}/components/application/files on the engine's API (curl, multipart) beside stage + commit of the same file. */
export type RealRouteUpload = UploadRatio;

/**
 * `npm run bench -- intake`: only the portal's online submission (three 2 MB PDFs, base64 in JSON)
 * at each concurrency, beside the counter's reception without files at the same concurrencies in the
 * same run (the baseline: what the files add), on the same processes as `engine`.
 */
export async function benchIntake(stack: { databaseUrl: string; temporalAddress: string; keystoreDir: string; passphrase: string; workflowBundle: string; documentDir: string; scratch: string }, logger: Logger, options: { requests: number; concurrencies: readonly number[]; uploadRuns: number }): Promise<{ reception: LatencyFigure[]; intake: (LatencyFigure & { readonly megabytesPerSecond: number })[]; realRouteUpload: RealRouteUpload; peakRssMiB: { api: number; worker: number } }> {
  const taskQueue = `bench-${process.pid}`;
  const port = await freePort();
  const common = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, MOTCUA_KEYSTORE_DIR: stack.keystoreDir, MOTCUA_KEYSTORE_PASSPHRASE: stack.passphrase, MOTCUA_TRUST_ANCHORS: `${stack.keystoreDir}/ca.pem`, MOTCUA_LOCAL_PKI: 'true', MOTCUA_WORKFLOW_BUNDLE: stack.workflowBundle, MOTCUA_PAYLOAD_KEYS: `bench-1:${Buffer.alloc(32, 1).toString('base64')}`, MOTCUA_APPLICANT_KEY: 'bench-applicant-key-of-at-least-thirty-two-chars', MOTCUA_DOCUMENT_DIR: stack.documentDir };
  const worker = await startProcess('worker/main.ts', common, 'worker running');
  const api = await startProcess('api/main.ts', { ...common, HOST: '127.0.0.1', PORT: String(port), MOTCUA_JWT_SECRET: JWT_SECRET, MOTCUA_LOOKUP_KEY: 'bench-lookup-key-of-at-least-thirty-two-chars', MOTCUA_RATE_LIMIT_PER_MINUTE: '100000000' }, 'Server listening');
  const url = `http://127.0.0.1:${port}`;
  const desk = `Bearer ${await mintToken(JWT_SECRET, { sub: 'bench-reception', name: 'bench reception', role: 'reception', agency: CENTRE }, { audience: 'motcua' })}`;
  const receive = async () => {
    const response = await fetch(`${url}/dossiers`, { method: 'POST', headers: { authorization: desk, 'content-type': 'application/json' }, body: JSON.stringify({ agencyCode: CENTRE, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' } }) });
    if (response.status !== 201) throw new Error(`POST /dossiers answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { dossierCode: string }).dossierCode;
  };
  const apiRss = rssSampler(api.pid!);
  const workerRss = rssSampler(worker.pid!);
  try {
    await receive(); // warm up
    const reception = [];
    for (const concurrency of options.concurrencies) reception.push(await load(concurrency, options.requests, async () => void (await receive())));
    logger.info('reception measured');
    const intake = await benchPortalIntake(url, JWT_SECRET, CENTRE, load, { requests: options.requests, concurrencies: options.concurrencies });
    logger.info('online intake measured');

    // The real upload route, a 20 MB PDF to a received dossier's component (a new dossier each run,
    // received untimed), beside stage + commit of the same file into the same store by this process.
    const file = path.join(stack.scratch, 'upload-20.pdf');
    await pdfOfSize(file, 20);
    const size = statSync(file).size;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: stack.databaseUrl, max: 2 }) }) });
    const store = createDocumentStore(db, stack.documentDir);
    const direct = async () => {
      const started = performance.now();
      const staged = await store.stage(createReadStream(file), { maxBytes: 64 * 1024 * 1024 });
      await store.commit(staged, 'application/pdf');
      return (performance.now() - started) / 1000;
    };
    const uploadTo = async () => upload(url, file, `${url}/dossiers/${await receive()}/components/application/files`, [`Authorization: ${desk}`], '201');
    await uploadTo(); // warm up both paths once
    await direct();
    const uploadSeconds: number[] = [];
    const directSeconds: number[] = [];
    try {
      for (let run = 0; run < options.uploadRuns; run++) {
        uploadSeconds.push(await uploadTo());
        directSeconds.push(await direct());
      }
    } finally {
      await db.destroy();
    }
    const realRouteUpload = uploadRatio(size, options.uploadRuns, uploadSeconds, directSeconds);
    return { reception, intake, realRouteUpload, peakRssMiB: { api: apiRss.stop(), worker: workerRss.stop() } };
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
  }
}

/** A failed command of the lifecycle driver: the route, and the HTTP status (0: no answer, the connection failed). */
export class CommandFailed extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${path} answered ${status || 'nothing'}: ${detail}`);
  }
}

/** One command of the lifecycle after the reception. */
export interface LifecycleStep {
  readonly name: string;
  run(dossierCode: string, idempotencyKey?: string): Promise<void>;
}

/**
 * The full lifecycle of the sample's business registration (2.000720) as staff drive it through the
 * API at `url`: a counter reception, then acceptance, the step, the signed result, its return. Each
 * command may carry an Idempotency-Key, so a load that retries after a fault does not do it twice
 * (bench/faults.ts). Tokens are minted with the API's HS256 secret.
 */
export interface LifecycleDriver {
  /** POST /dossiers; answers the new dossier's code. */
  receive(idempotencyKey?: string): Promise<string>;
  /** The commands after the reception, in order. */
  readonly steps: readonly LifecycleStep[];
}

export async function lifecycleDriver(url: string, jwtSecret: string, keystoreDir: string, passphrase: string): Promise<LifecycleDriver> {
  const token = async (role: 'reception' | 'officer' | 'head', agency: string) => `Bearer ${await mintToken(jwtSecret, { sub: `bench-${role}`, name: `bench ${role}`, role, agency }, { audience: 'motcua' })}`;
  const headers = { reception: await token('reception', CENTRE), officer: await token('officer', '000.03.01.H99'), head: await token('head', '000.03.01.H99') };
  const send = async (path: string, who: keyof typeof headers, body: string | FormData, idempotencyKey: string | undefined) => {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: headers[who], ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) }, body });
    } catch (error) {
      throw new CommandFailed(path, 0, error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error));
    }
    if (response.status >= 300) throw new CommandFailed(path, response.status, await response.text());
    return (await response.json()) as { dossierCode?: string };
  };
  const post = (path: string, who: keyof typeof headers, body: unknown, idempotencyKey?: string) => send(path, who, JSON.stringify(body), idempotencyKey);
  // The result is the competent body's signed PDF (docs/decisions/0017): one signed file, sent by every dossier.
  const unsignedResult = await PDFDocument.create({ updateMetadata: false });
  unsignedResult.addPage();
  const signedResultPdf = await signPdf(await unsignedResult.save({ useObjectStreams: false }), await loadAgencySigner(keystoreDir, '000.03.01.H99', passphrase), { signingTime: new Date(), reason: 'Ket qua', location: 'VN', name: 'bench' });
  const resultForm = () => {
    const form = new FormData();
    form.append('reference', 'HKD');
    form.append('file', new Blob([signedResultPdf], { type: 'application/pdf' }), 'result.pdf');
    return form;
  };
  return {
    async receive(idempotencyKey) {
      const { dossierCode } = await post('/dossiers', 'reception', { agencyCode: CENTRE, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' } }, idempotencyKey);
      return dossierCode!;
    },
    steps: [
      { name: 'accept', run: async (code, key) => void (await post(`/dossiers/${code}/accept`, 'reception', { components: [{ componentId: 'application', form: 'original' }, { componentId: 'owner-identity', form: 'photocopy' }] }, key)) },
      { name: 'complete-step', run: async (code, key) => void (await post(`/dossiers/${code}/complete-step`, 'officer', { stepId: 'business-registration', outcome: 'approved' }, key)) },
      { name: 'issue-result', run: async (code, key) => void (await send(`/dossiers/${code}/issue-result`, 'head', resultForm(), key)) },
      { name: 'return-result', run: async (code, key) => void (await post(`/dossiers/${code}/return-result`, 'reception', { method: 'counter', applicantNotifiedInAdvance: true }, key)) },
    ],
  };
}

/** One whole lifecycle, no retries; answers the dossier's code. */
export async function runLifecycle(driver: LifecycleDriver): Promise<string> {
  const dossierCode = await driver.receive();
  for (const step of driver.steps) await step.run(dossierCode);
  return dossierCode;
}

export async function benchEngine(stack: { databaseUrl: string; temporalAddress: string; keystoreDir: string; passphrase: string; workflowBundle: string }, logger: Logger, options: { requests: number; concurrencies: readonly number[]; lifecycles: number }): Promise<EngineFigures> {
  const taskQueue = `bench-${process.pid}`;
  const port = await freePort();
  const common = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, MOTCUA_KEYSTORE_DIR: stack.keystoreDir, MOTCUA_KEYSTORE_PASSPHRASE: stack.passphrase, MOTCUA_TRUST_ANCHORS: `${stack.keystoreDir}/ca.pem`, MOTCUA_LOCAL_PKI: 'true', MOTCUA_WORKFLOW_BUNDLE: stack.workflowBundle, MOTCUA_PAYLOAD_KEYS: `bench-1:${Buffer.alloc(32, 1).toString('base64')}`, MOTCUA_APPLICANT_KEY: 'bench-applicant-key-of-at-least-thirty-two-chars' };
  const worker = await startProcess('worker/main.ts', { ...common, ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}) }, 'worker running');
  const api = await startProcess('api/main.ts', { ...common, HOST: '127.0.0.1', PORT: String(port), MOTCUA_JWT_SECRET: JWT_SECRET, MOTCUA_LOOKUP_KEY: 'bench-lookup-key-of-at-least-thirty-two-chars', MOTCUA_RATE_LIMIT_PER_MINUTE: '100000000' }, 'Server listening');
  const url = `http://127.0.0.1:${port}`;
  const driver = await lifecycleDriver(url, JWT_SECRET, stack.keystoreDir, stack.passphrase);
  const receive = () => driver.receive();

  // Baselines: a workflow with one activity on the same server, and a bare route over HTTP.
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const trivialQueue = `${taskQueue}-trivial`;
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const trivialWorker = await Worker.create({ connection: nativeConnection, taskQueue: trivialQueue, workflowsPath: fileURLToPath(new URL('./trivial-workflow.ts', import.meta.url)), activities: trivialActivities });
  const trivialRunning = trivialWorker.run();
  const bare = Fastify();
  bare.post('/dossiers', async (_request, reply) => reply.code(201).send({ dossierCode: 'bare' }));
  const barePort = await freePort();
  await bare.listen({ host: '127.0.0.1', port: barePort });

  const groups: CpuGroups = {
    api: ({ pid }) => pid === api.pid,
    worker: ({ pid }) => pid === worker.pid,
    temporal: ({ cmdline }) => cmdline.includes('server start-dev'),
    postgres: ({ comm }) => comm === 'postgres',
    client: ({ pid }) => pid === process.pid,
  };
  const perOperation = (cpu: Record<string, number>, operations: number): CpuShare => Object.fromEntries(Object.entries(cpu).map(([name, seconds]) => [name, (seconds * 1000) / operations]));
  const apiRss = rssSampler(api.pid!);
  const workerRss = rssSampler(worker.pid!);
  try {
    await receive(); // warm up: first bundle load, connections, JIT
    const reception = [];
    for (const concurrency of options.concurrencies) {
      const meter = cpuMeter(groups);
      const engine = await load(concurrency, options.requests, async () => void (await receive()));
      const cpuMsPerReception = perOperation(meter.stop(), options.requests);
      const trivial = await load(concurrency, options.requests, async (index) => {
        await client.workflow.execute('trivialWorkflow', { taskQueue: trivialQueue, workflowId: `trivial-${concurrency}-${index}-${process.pid}`, args: [] });
      });
      const bareRoute = await load(concurrency, options.requests, async () => {
        const response = await fetch(`http://127.0.0.1:${barePort}/dossiers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        await response.arrayBuffer();
      });
      reception.push({ ...engine, trivialWorkflowPerSecond: trivial.perSecond, bareRoutePerSecond: bareRoute.perSecond, cpuMsPerReception });
      logger.info({ concurrency }, 'reception measured');
    }

    const intake = await benchPortalIntake(url, JWT_SECRET, CENTRE, load, { requests: Math.max(16, Math.round(options.requests / 8)), concurrencies: [1, 16] });
    logger.info('online intake measured');

    const lifecycleConcurrency = 16;
    // The documents of the dossiers are issued after their commands answered: the meter runs until
    // the worker has gone quiet, so their rendering and signing are counted.
    const lifecycleMeter = cpuMeter(groups);
    const lifecycle = await load(lifecycleConcurrency, options.lifecycles, async () => void (await runLifecycle(driver)));
    await untilQuiet(worker.pid!);
    const cpuMsPerDossier = perOperation(lifecycleMeter.stop(), lifecycle.requests);
    return {
      reception,
      intake,
      lifecycle: { concurrency: lifecycleConcurrency, dossiers: lifecycle.requests, dossiersPerSecond: lifecycle.perSecond, p50Ms: lifecycle.p50Ms, cpuMsPerDossier },
      peakRssMiB: { api: apiRss.stop(), worker: workerRss.stop() },
    };
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    trivialWorker.shutdown();
    await trivialRunning.catch(() => undefined);
    await nativeConnection.close();
    await connection.close();
    await bare.close();
  }
}
