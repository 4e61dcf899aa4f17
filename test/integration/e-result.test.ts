// The competent body's e-result on the real servers (docs/decisions/0017): POST issue-result takes
// the signed PDF as multipart/form-data, and refuses — recording nothing — a file changed after
// signing, one signed under a CA the engine does not trust, one signed by a trusted certificate of
// another agency, one that is not a PDF, one too large, a request without a file, and every role
// but the competent body's head. The accepted path (downloaded by the citizen, verified by its
// result code) is in documents.test.ts.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_ROLES } from '../../api/auth/token-verifier.js';
import { ensureLocalPki } from '../../documents/signing/local-pki.js';
import { actor, BUSINESS_PROCEDURE, CENTRE, completeComponents, ECONOMY, LAND_OFFICE } from '../support/dossier-fixtures.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, type TestEngine } from '../support/engine.js';
import { postResult, resultPdf, signedResult } from '../support/signed-result.js';
import { TEST_PKI_PASSPHRASE } from '../support/test-pki.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ name: 'e-result' });
});
afterAll(() => engine?.close());

const reception = actor('reception', CENTRE);
const officer = actor('officer', ECONOMY);
const head = actor('head', ECONOMY, 'truongphong.ketqua');

/** A business registration whose only step is done: its result is due from the economic office (ECONOMY). */
async function readyForResult(): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(CENTRE, { procedureCode: BUSINESS_PROCEDURE }), await authAs(reception));
  const code: string = received.json.dossierCode;
  expect((await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(BUSINESS_PROCEDURE) })).status).toBe(200);
  expect((await postCommand(`${engine.url}/dossiers/${code}/complete-step`, officer, { stepId: 'business-registration', outcome: 'approved' })).status).toBe(200);
  return code;
}

/** The dossier's events the rules recorded (the documents the engine issues beside them come and go on their own). */
async function recorded(code: string): Promise<string[]> {
  const rows = await engine.db.selectFrom('events').select('type').where('stream_id', '=', code).where('type', '!=', 'DocumentIssued').orderBy('stream_version').execute();
  return rows.map((row) => row.type);
}

const issueUrl = (code: string) => `${engine.url}/dossiers/${code}/issue-result`;

let code: string;
let before: string[];
beforeAll(async () => {
  code = await readyForResult();
  before = await recorded(code);
});

describe('a result file the API refuses, recording nothing', () => {
  it('changed after signing: RESULT_SIGNATURE_INVALID with the verifier\'s reason', async () => {
    const signed = Buffer.from(await signedResult(ECONOMY, 'HKD-1'));
    signed[200] = signed[200]! ^ 0x01;
    const answer = await postResult(issueUrl(code), head, signed, 'HKD-1');
    expect(answer).toMatchObject({ status: 422, json: { code: 'RESULT_SIGNATURE_INVALID', errors: [{ field: 'file' }] } });
    expect(answer.json.detail).toMatch(/changed after signing/);
    expect(await recorded(code)).toEqual(before);
  });

  it('not signed at all: RESULT_SIGNATURE_INVALID', async () => {
    const answer = await postResult(issueUrl(code), head, await resultPdf('HKD-1'), 'HKD-1');
    expect(answer).toMatchObject({ status: 422, json: { code: 'RESULT_SIGNATURE_INVALID' } });
    expect(answer.json.detail).toMatch(/not signed/);
  });

  it('signed under a CA the engine does not trust, even with the competent agency\'s code: RESULT_SIGNATURE_INVALID', async () => {
    const foreign = mkdtempSync(path.join(os.tmpdir(), 'motcua-foreign-ca-'));
    ensureLocalPki({ dir: foreign, agencies: [{ code: ECONOMY, name: 'Phòng Kinh tế xã Hòa Bình' }], passphrase: TEST_PKI_PASSPHRASE });
    const answer = await postResult(issueUrl(code), head, await signedResult(ECONOMY, 'HKD-1', { keystoreDir: foreign, passphrase: TEST_PKI_PASSPHRASE }), 'HKD-1');
    expect(answer).toMatchObject({ status: 422, json: { code: 'RESULT_SIGNATURE_INVALID' } });
    expect(answer.json.detail).toMatch(/not issued by a trusted CA/);
    expect(await recorded(code)).toEqual(before);
  });

  it('signed by a trusted certificate of another agency: RESULT_NOT_SIGNED_BY_COMPETENT_BODY naming the signer and the competent body', async () => {
    const answer = await postResult(issueUrl(code), head, await signedResult(LAND_OFFICE, 'HKD-1'), 'HKD-1');
    expect(answer).toMatchObject({ status: 422, json: { code: 'RESULT_NOT_SIGNED_BY_COMPETENT_BODY' } });
    expect(answer.json.detail).toContain(`OU=${LAND_OFFICE}`);
    expect(answer.json.detail).toContain(ECONOMY);
    expect(await recorded(code)).toEqual(before);
  });

  it('not a PDF, whatever its name: RESULT_NOT_A_PDF (415)', async () => {
    const answer = await postResult(issueUrl(code), head, new TextEncoder().encode('<html>GIẤY CHỨNG NHẬN</html>'), 'HKD-1');
    expect(answer).toMatchObject({ status: 415, json: { code: 'RESULT_NOT_A_PDF' } });
  });

  it('larger than 20 MB: RESULT_FILE_TOO_LARGE (413)', async () => {
    const large = new Uint8Array(20 * 1024 * 1024 + 1).fill(0x20);
    large.set(new TextEncoder().encode('%PDF-1.7\n'));
    const answer = await postResult(issueUrl(code), head, large, 'HKD-1');
    expect(answer).toMatchObject({ status: 413, json: { code: 'RESULT_FILE_TOO_LARGE' } });
  });

  it('no file part, or the old JSON body: RESULT_FILE_MISSING (400); no reference: 400 naming it', async () => {
    expect(await postResult(issueUrl(code), head, undefined, 'HKD-1')).toMatchObject({ status: 400, json: { code: 'RESULT_FILE_MISSING' } });
    expect(await postCommand(issueUrl(code), head, { document: { reference: 'HKD-1', sha256: 'b'.repeat(64) } })).toMatchObject({ status: 400, json: { code: 'RESULT_FILE_MISSING' } });
    expect(await postResult(issueUrl(code), head, await signedResult(ECONOMY, 'HKD-1'), undefined)).toMatchObject({ status: 400, json: { errors: [{ field: 'reference' }] } });
    expect(await recorded(code)).toEqual(before);
  });
});

describe('who may issue the result', () => {
  it('only the competent body\'s head: every other role is refused with 403, another agency\'s head with NOT_THE_COMPETENT_AGENCY', async () => {
    const signed = await signedResult(ECONOMY, 'HKD-1');
    for (const role of TOKEN_ROLES.filter((candidate) => candidate !== 'head')) {
      const answer = await postResult(issueUrl(code), actor(role, ECONOMY), signed, 'HKD-1');
      expect({ role, status: answer.status }).toEqual({ role, status: 403 });
    }
    expect(await postResult(issueUrl(code), actor('head', LAND_OFFICE), await signedResult(LAND_OFFICE, 'HKD-1'), 'HKD-1')).toMatchObject({ status: 403, json: { code: 'NOT_THE_COMPETENT_AGENCY' } });
    expect(await recorded(code)).toEqual(before);

    const issued = await postResult(issueUrl(code), head, signed, 'HKD-1');
    expect(issued).toMatchObject({ status: 200, json: { status: 'result-ready', events: ['ResultIssued'] } });
    const event = await engine.db.selectFrom('events').select('payload').where('stream_id', '=', code).where('type', '=', 'ResultIssued').executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ resultCode: `${code}-KQ1`, document: { reference: 'HKD-1', size: signed.length, mediaType: 'application/pdf' }, signature: { valid: true, signer: { organizationalUnits: [ECONOMY] } }, signerAgencyCode: ECONOMY });
    expect((await getJson(`${engine.url}/verify/results/${code}-KQ1`)).json).toMatchObject({ valid: true, signedByAgency: { agencyCode: ECONOMY } });
  });
});
