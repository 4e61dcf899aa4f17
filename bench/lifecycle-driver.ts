// A dossier's full lifecycle driven through the engine's HTTP API as staff would: reception at the
// counter, acceptance, the step, the competent body's signed result, its return. Used by the engine
// benchmark (bench/engine-throughput.ts) and the fault drill (bench/faults.ts).
import { PDFDocument } from 'pdf-lib';
import { mintToken } from '../api/auth/token-verifier.js';
import { loadAgencySigner } from '../documents/signing/keystore.js';
import { signPdf } from '../documents/signing/pades-signer.js';

/** The one-stop centre of the sample catalogue that receives, and the agency that carries out the step. */
export const BENCH_CENTRE = '000.01.01.H99';
export const BENCH_COMPETENT_AGENCY = '000.03.01.H99';

export interface LifecycleApi {
  /** The API's base URL, e.g. http://127.0.0.1:3000 (a round-robin front is as good). */
  readonly apiUrl: string;
  /** The secret the API verifies staff tokens with (MOTCUA_JWT_SECRET, HS256). */
  readonly jwtSecret: string;
  /** The local PKI's keystores, to sign the competent body's result as that agency. */
  readonly keystoreDir: string;
  readonly passphrase: string;
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
 * The full lifecycle of the sample's business registration (2.000720). Each command may carry an
 * Idempotency-Key, so a load that retries after a fault does not do it twice (bench/faults.ts).
 */
export interface LifecycleDriver {
  /** POST /dossiers at the counter; answers the new dossier's code. */
  receive(idempotencyKey?: string): Promise<string>;
  /** The commands after the reception, in order: acceptance, step, result, return. */
  readonly steps: readonly LifecycleStep[];
}

export async function lifecycleDriver(api: LifecycleApi): Promise<LifecycleDriver> {
  const token = async (role: 'reception' | 'officer' | 'head', agency: string) => `Bearer ${await mintToken(api.jwtSecret, { sub: `bench-${role}`, name: `bench ${role}`, role, agency }, { audience: 'motcua' })}`;
  const headers = { reception: await token('reception', BENCH_CENTRE), officer: await token('officer', BENCH_COMPETENT_AGENCY), head: await token('head', BENCH_COMPETENT_AGENCY) };
  const send = async (path: string, who: keyof typeof headers, body: string | FormData, idempotencyKey: string | undefined) => {
    let response: Response;
    try {
      response = await fetch(`${api.apiUrl}${path}`, { method: 'POST', headers: { authorization: headers[who], ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) }, body });
    } catch (error) {
      throw new CommandFailed(path, 0, error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error));
    }
    if (response.status >= 300) throw new CommandFailed(path, response.status, await response.text());
    return (await response.json()) as { dossierCode?: string };
  };
  const post = (path: string, who: keyof typeof headers, body: unknown, idempotencyKey?: string) => send(path, who, JSON.stringify(body), idempotencyKey);
  // The result is the competent body's signed PDF (docs/decisions/0017-result-signed-by-the-competent-body.md): one signed file, sent by every dossier.
  const unsignedResult = await PDFDocument.create({ updateMetadata: false });
  unsignedResult.addPage();
  const signer = await loadAgencySigner(api.keystoreDir, BENCH_COMPETENT_AGENCY, api.passphrase);
  const signedResultPdf = await signPdf(await unsignedResult.save({ useObjectStreams: false }), signer, { signingTime: new Date(), reason: 'Ket qua', location: 'VN', name: 'bench' });
  const resultForm = () => {
    const form = new FormData();
    form.append('reference', 'HKD');
    form.append('file', new Blob([signedResultPdf], { type: 'application/pdf' }), 'result.pdf');
    return form;
  };
  return {
    async receive(idempotencyKey) {
      const { dossierCode } = await post('/dossiers', 'reception', { agencyCode: BENCH_CENTRE, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' } }, idempotencyKey);
      if (!dossierCode) throw new CommandFailed('/dossiers', 201, 'answered without a dossier code');
      return dossierCode;
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
