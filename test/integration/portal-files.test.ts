// The public file links the national portal downloads from (GET /portal-files/{dossierCode}/{token})
// on the suite's PostgreSQL and a real document store: a component file and a result of the
// dossier are served by a link signed for it; a file of another dossier, a digest the store does
// not hold, an expired or moved link are not. And the generation-B portal double, which fetches
// every file link it is sent, downloads from the engine over a real socket.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalFileLink, portalFileToken } from '../../api/portal-file-links.js';
import { appendToStream, type NewEvent } from '../../db/event-store.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { createDocumentStore, type DocumentStore } from '../../documents/document-store.js';
import { startPortalDoubleB } from '../../doubles/portal-double-b.js';
import { actor, CENTRE, componentFiles, DossierScenario, ECONOMY, LAND_PROCEDURE } from '../support/dossier-fixtures.js';
import { landDossier } from '../support/interagency-dossier.js';
import { documentedLandDossier } from '../support/documented-dossier.js';
import { testDatabase } from '../support/engine.js';
import { uniquePdf } from '../support/component-files.js';
import { PORTAL_FILE_KEY, portalFileApp } from '../support/portal-file-app.js';

const db = testDatabase(3);
let directory: string;
let store: DocumentStore;
let built: Awaited<ReturnType<typeof portalFileApp>>;
let baseUrl: string;

const metadata = { actor: { userId: 'portal-files-test', role: 'reception', agencyCode: CENTRE }, commandId: 'portal-files-test' } as const;
const asNew = (event: DossierEvent): NewEvent => ({ type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata, occurredAt: event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at });
const serial = () => 100_000 + Math.floor(Math.random() * 800_000);
const inAnHour = () => new Date(Date.now() + 3_600_000);

let withFile: DossierScenario;
let componentSha: string;
let resultDossier: DossierScenario;
let resultSha: string;
let fakeSha: string;
let answered: DossierScenario;
let answerSha: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'motcua-portal-files-'));
  store = createDocumentStore(db, directory);
  built = await portalFileApp(db, store);
  baseUrl = await built.app.listen({ host: '127.0.0.1', port: 0 });

  // A dossier whose component file reception scanned: real bytes in the store.
  const component = await store.put(await uniquePdf(), 'application/pdf');
  componentSha = component.sha256;
  withFile = DossierScenario.received(LAND_PROCEDURE, '2026-10-13T08:30:00', serial());
  const [required] = componentFiles(withFile.dossierCode, LAND_PROCEDURE);
  withFile.play(withFile.command('AttachComponentFile', actor('reception', CENTRE), { ...required!, file: { sha256: component.sha256, size: component.size, mediaType: 'application/pdf', pages: 1 }, origin: { kind: 'upload' } }), '2026-10-13T08:40:00');
  await appendToStream(db, withFile.dossierCode, 0, withFile.events.map(asNew));

  // A dossier resolved with the competent body's signed result file.
  const result = await store.put(await uniquePdf(), 'application/pdf');
  resultSha = result.sha256;
  resultDossier = documentedLandDossier(serial());
  fakeSha = resultDossier.events.flatMap((event) => (event.type === 'ComponentFileAttached' ? [event.data.file.sha256] : []))[0]!;
  const events = resultDossier.events.map((event): DossierEvent => (event.type === 'ResultIssued' ? { ...event, data: { ...event.data, document: { ...event.data.document, sha256: result.sha256, size: result.size } } } : event));
  await appendToStream(db, resultDossier.dossierCode, 0, events.map(asNew));

  // A dossier whose first step an outside system completed with a result file (handed to the next body).
  const returned = await store.put(await uniquePdf(), 'application/pdf');
  answerSha = returned.sha256;
  answered = landDossier(serial());
  answered.play(answered.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'commune-verification', outcome: 'approved' }), '2026-03-03T09:00:00');
  const withResult = answered.events.map((event): DossierEvent => (event.type === 'StepCompleted' ? { ...event, data: { ...event.data, resultFile: { sha256: returned.sha256, size: returned.size, mediaType: 'application/pdf' } } } : event));
  await appendToStream(db, answered.dossierCode, 0, withResult.map(asNew));
});

afterAll(async () => {
  await built.close();
  await db.destroy();
  await rm(directory, { recursive: true, force: true });
});

const get = (dossierCode: string, token: string) => fetch(`${baseUrl}/portal-files/${dossierCode}/${token}`);

describe('the portal file links', () => {
  it('serve a component file and a result of the dossier the link was signed for, without a login', async () => {
    const response = await fetch(portalFileLink(baseUrl, PORTAL_FILE_KEY, withFile.dossierCode, componentSha, inAnHour()));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${withFile.dossierCode}-${componentSha.slice(0, 12)}.pdf"`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHashHex(bytes)).toBe(componentSha);
    const result = await fetch(portalFileLink(baseUrl, PORTAL_FILE_KEY, resultDossier.dossierCode, resultSha, inAnHour()));
    expect(result.status).toBe(200);
    expect(createHashHex(Buffer.from(await result.arrayBuffer()))).toBe(resultSha);
    // A step's result an outside system returned: the link the next body's hand-off carries (earlierResults).
    const fromSystem = await fetch(portalFileLink(baseUrl, PORTAL_FILE_KEY, answered.dossierCode, answerSha, inAnHour()));
    expect(fromSystem.status).toBe(200);
    expect(createHashHex(Buffer.from(await fromSystem.arrayBuffer()))).toBe(answerSha);
    // Not under another dossier's code.
    expect(await (await get(withFile.dossierCode, portalFileToken(PORTAL_FILE_KEY, withFile.dossierCode, answerSha, inAnHour()))).json()).toMatchObject({ code: 'PORTAL_FILE_NOT_FOUND' });
  });

  it('refuse a file of another dossier, a digest the store does not hold, a moved or expired link', async () => {
    // Signed for the dossier, but the file is another dossier's.
    const foreign = await (await get(withFile.dossierCode, portalFileToken(PORTAL_FILE_KEY, withFile.dossierCode, resultSha, inAnHour()))).json();
    expect(foreign).toMatchObject({ status: 404, code: 'PORTAL_FILE_NOT_FOUND' });
    // A file the dossier's log records, whose bytes the store never had.
    expect(await (await get(resultDossier.dossierCode, portalFileToken(PORTAL_FILE_KEY, resultDossier.dossierCode, fakeSha, inAnHour()))).json()).toMatchObject({ code: 'PORTAL_FILE_NOT_FOUND' });
    // A good link for one dossier, presented under the other: not signed for it.
    const moved = await get(resultDossier.dossierCode, portalFileToken(PORTAL_FILE_KEY, withFile.dossierCode, componentSha, inAnHour()));
    expect(moved.status).toBe(404);
    expect(await moved.json()).toMatchObject({ code: 'PORTAL_FILE_LINK_INVALID' });
    const expired = await get(withFile.dossierCode, portalFileToken(PORTAL_FILE_KEY, withFile.dossierCode, componentSha, new Date(Date.now() - 1000)));
    expect(await expired.json()).toMatchObject({ code: 'PORTAL_FILE_LINK_EXPIRED' });
    // An unknown dossier, with a link properly signed for it.
    const unknown = '000.01.01.H99-261013-999999';
    expect(await (await get(unknown, portalFileToken(PORTAL_FILE_KEY, unknown, componentSha, inAnHour()))).json()).toMatchObject({ code: 'PORTAL_FILE_NOT_FOUND' });
  });

  it('are what the portal downloads: the generation-B double fetches them and takes the dossier', async () => {
    const portal = await startPortalDoubleB({ unitIdentifier: CENTRE });
    try {
      const code = withFile.dossierCode;
      const push = (url: string) =>
        fetch(`${portal.url}/hoso/themmoi`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `portal/${code}/2/status` },
          body: JSON.stringify([{ MaHoSo: code, MaTTHC: LAND_PROCEDURE, TrangThaiHoSo: '1', KenhThucHien: '1', ChuHoSo: 'Trần Thị Bình', NgayNopHoSo: '20261013083000', TaiLieuNop: [{ TepDinhKemId: componentSha.slice(0, 12), TenTepDinhKem: 'don.pdf', IsDeleted: 'False', DuongDanTaiTepTin: url }] }]),
        }).then((response) => response.json());
      expect(await push(portalFileLink(baseUrl, PORTAL_FILE_KEY, code, componentSha, new Date(Date.now() - 1000)))).toMatchObject({ error_code: '1', message: expect.stringContaining('HTTP 404') });
      expect(await push(portalFileLink(baseUrl, PORTAL_FILE_KEY, code, componentSha, inAnHour()))).toEqual({ error_code: '0', message: 'Đồng bộ thành công' });
      expect(portal.fetched().at(-1)).toMatchObject({ ok: true, mediaType: 'application/pdf', status: 200 });
    } finally {
      await portal.close();
    }
  });
});

function createHashHex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
