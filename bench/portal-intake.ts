// A portal's online submission end to end (POST /intake/dossiers → files checked and stored →
// claim → Temporal → PostgreSQL → 201): a dossier with three 2 MB PDF files, base64 in JSON as the
// portals send them, at concurrency 1 and 16, beside the counter's reception of the same run.
import { randomBytes } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { mintToken } from '../api/auth/token-verifier.js';
import type { LatencyFigure } from './engine-load.js';

/** A PDF of about `bytes` bytes: one page and an incompressible attachment, as a scan weighs. */
async function pdfOfSize(bytes: number, seed: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(`Trang ${seed}`, { x: 40, y: 800, size: 12 });
  doc.attach(randomBytes(bytes), `scan-${seed}.bin`, { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save());
}

export async function benchPortalIntake(
  url: string,
  secret: string,
  centre: string,
  load: (concurrency: number, total: number, call: (index: number) => Promise<void>) => Promise<LatencyFigure>,
  options: { readonly requests: number; readonly concurrencies: readonly number[] },
): Promise<(LatencyFigure & { readonly megabytesPerSecond: number })[]> {
  const token = await mintToken(secret, { sub: 'bench-portal', name: 'bench portal', role: 'portal', portal: 'bench', units: [centre], procedures: ['*'] }, { audience: 'motcua' });
  const files = await Promise.all([1, 2, 3].map((seed) => pdfOfSize(2 * 1024 * 1024, seed)));
  const components = [
    { componentId: 'application', files: [{ name: 'giay-de-nghi.pdf', contentBase64: files[0]!.toString('base64') }, { name: 'phu-luc.pdf', contentBase64: files[1]!.toString('base64') }] },
    { componentId: 'owner-identity', files: [{ name: 'cccd.pdf', contentBase64: files[2]!.toString('base64') }] },
  ];
  const megabytes = files.reduce((sum, file) => sum + file.length, 0) / 2 ** 20;
  const run = `${process.pid}-${Date.now()}`;
  const submit = async (id: string) => {
    const body = JSON.stringify({ portalDossierId: id, submittedAt: new Date().toISOString(), agencyCode: centre, procedureCode: '2.000720', applicant: { kind: 'citizen', fullName: 'Người dùng thử', identityNumber: '001090000000' }, components });
    const response = await fetch(`${url}/intake/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    if (response.status !== 201) throw new Error(`POST /intake/dossiers answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  await submit(`warm-${run}`);
  const figures = [];
  for (const concurrency of options.concurrencies) {
    const figure = await load(concurrency, options.requests, (index) => submit(`${run}-${concurrency}-${index}`));
    figures.push({ ...figure, megabytesPerSecond: figure.perSecond * megabytes });
  }
  return figures;
}
