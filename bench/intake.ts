// `npm run bench -- intake`: a portal's online submission (three 2 MB PDFs, base64 in JSON) beside
// the counter's reception without files, and the real upload route beside stage + commit of the same
// file, on the engine's API and worker as processes of their own (the `engine` benchmark's stack).
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { mintToken } from '../api/auth/token-verifier.js';
import type { Database } from '../db/schema.js';
import { freePort } from '../dev/free-port.js';
import { createDocumentStore } from '../documents/document-store.js';
import { type LatencyFigure, load, rssSampler, startProcess } from './engine-load.js';
import { BENCH_CENTRE as CENTRE } from './lifecycle-driver.js';
import { benchPortalIntake } from './portal-intake.js';
import { pdfOfSize, upload, type UploadRatio, uploadRatio } from './upload.js';

const JWT_SECRET = 'bench-secret-of-at-least-thirty-two-characters';

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
  const apiRss = rssSampler(() => [api.pid!]);
  const workerRss = rssSampler(() => [worker.pid!]);
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
    return { reception, intake, realRouteUpload, peakRssMiB: { api: Math.max(...apiRss.stop()), worker: Math.max(...workerRss.stop()) } };
  } finally {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
  }
}
