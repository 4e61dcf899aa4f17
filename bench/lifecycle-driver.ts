// A dossier's full lifecycle driven through the engine's HTTP API as staff would: reception at the
// counter, acceptance, the step, the competent body's signed result, its return. Used by the engine
// benchmark (bench/engine-throughput.ts) and by anything else that needs a load of real lifecycles.
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
  /** The secret the API verifies staff tokens with (MOTCUA_JWT_SECRET). */
  readonly jwtSecret: string;
  /** The local PKI's keystores, to sign the competent body's result as that agency. */
  readonly keystoreDir: string;
  readonly passphrase: string;
}

export interface LifecycleDriver {
  /** POST /dossiers at the counter; the new dossier's code. */
  receive(): Promise<string>;
  /** Acceptance, step, result and its return on a received dossier. */
  finish(dossierCode: string): Promise<void>;
  /** A whole lifecycle, reception to return; the dossier's code. */
  lifecycle(): Promise<string>;
}

export async function lifecycleDriver(api: LifecycleApi): Promise<LifecycleDriver> {
  const token = async (role: 'reception' | 'officer' | 'head', agency: string) => `Bearer ${await mintToken(api.jwtSecret, { sub: `bench-${role}`, name: `bench ${role}`, role, agency }, { audience: 'motcua' })}`;
  const headers = { reception: await token('reception', BENCH_CENTRE), officer: await token('officer', BENCH_COMPETENT_AGENCY), head: await token('head', BENCH_COMPETENT_AGENCY) };
  const send = async (path: string, who: keyof typeof headers, body: string | FormData, contentType?: string) => {
    const response = await fetch(`${api.apiUrl}${path}`, { method: 'POST', headers: { authorization: headers[who], ...(contentType ? { 'content-type': contentType } : {}) }, body });
    if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { dossierCode?: string };
  };
  const post = (path: string, who: keyof typeof headers, body: unknown) => send(path, who, JSON.stringify(body), 'application/json');
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
  const receive = async () => {
    const { dossierCode } = await post('/dossiers', 'reception', { agencyCode: BENCH_CENTRE, procedureCode: '2.000720', channel: 'counter', applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' } });
    if (!dossierCode) throw new Error('POST /dossiers answered without a dossier code');
    return dossierCode;
  };
  const finish = async (dossierCode: string) => {
    await post(`/dossiers/${dossierCode}/accept`, 'reception', { components: [{ componentId: 'application', form: 'original' }, { componentId: 'owner-identity', form: 'photocopy' }] });
    await post(`/dossiers/${dossierCode}/complete-step`, 'officer', { stepId: 'business-registration', outcome: 'approved' });
    await send(`/dossiers/${dossierCode}/issue-result`, 'head', resultForm());
    await post(`/dossiers/${dossierCode}/return-result`, 'reception', { method: 'counter', applicantNotifiedInAdvance: true });
  };
  return {
    receive,
    finish,
    async lifecycle() {
      const dossierCode = await receive();
      await finish(dossierCode);
      return dossierCode;
    },
  };
}
