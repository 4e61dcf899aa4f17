// A document's cost to issue: CPU (user + system, this process) to render each kind of document for
// a typical dossier, to sign it (PAdES B-B), and to verify the signature, as documents/
// document-issuer.ts does. Beside it: the rendered bytes parsed again for signing (the path before
// the issuer signed the composed document) and, when it is installed (`npm install --no-save
// pdfmake`), pdfmake laying out the same models, for docs/decisions/0004-pdf-rendering.md.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { DocumentKind, DocumentModel } from '../domain/documents/document-model.js';
import { composeDocument, renderDocument } from '../documents/pdf/render-document.js';
import { loadAgencySigner, loadTrustAnchors } from '../documents/signing/keystore.js';
import { ensureLocalPki } from '../documents/signing/local-pki.js';
import { signPdf, type SignPdfOptions } from '../documents/signing/pades-signer.js';
import { verifyPdfSignature } from '../documents/signing/verify-signature.js';
import { typicalDocuments } from '../test/support/typical-documents.js';
import { pdfmakeRenderer } from './pdfmake-candidate.js';

export interface PdfFigure {
  readonly kind: DocumentKind;
  readonly pages: number;
  readonly bytes: number;
  /** Same model, same bytes (two renders compared). */
  readonly deterministic: boolean;
  /** Median CPU milliseconds per document. */
  readonly renderMs: number;
  /** Compose and sign in one save, as the issuer does. */
  readonly renderAndSignMs: number;
  /** Render to bytes, then sign those bytes (parsed again). */
  readonly renderThenSignBytesMs: number;
  readonly verifyMs: number;
  readonly pdfmake: { readonly renderMs: number; readonly pages: number; readonly deterministic: boolean } | null;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Median CPU milliseconds of each operation over `runs` rounds. The operations take turns within a
 * round, so a change in the machine's load during the benchmark weighs on all of them alike.
 */
async function medianCpuMs<K extends string>(runs: number, operations: Readonly<Record<K, () => Promise<unknown>>>): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(operations).map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < runs; round++) {
    for (const name of Object.keys(operations) as K[]) {
      const started = cpuMs();
      await operations[name]();
      samples[name].push(cpuMs() - started);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return Object.fromEntries(Object.entries<number[]>(samples).map(([name, values]) => [name, median(values)])) as Record<K, number>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function benchPdfRendering(runs: number): Promise<PdfFigure[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-pdf-'));
  try {
    const agency = { code: '000.01.01.H99', name: 'Bộ phận Một cửa UBND xã Hòa Bình' };
    ensureLocalPki({ dir, agencies: [agency], passphrase: 'bench-passphrase', now: new Date('2025-01-01T00:00:00Z') });
    const signer = await loadAgencySigner(dir, agency.code, 'bench-passphrase');
    const trustAnchors = loadTrustAnchors([path.join(dir, 'ca.pem')]);
    const pdfmake = pdfmakeRenderer(createRequire(import.meta.url));
    const documents = Object.entries(typicalDocuments()) as [DocumentKind, DocumentModel][];
    const optionsFor = (model: DocumentModel): SignPdfOptions => ({ signingTime: new Date(model.metadata.issuedAt), reason: model.title, location: 'Hòa Bình', name: agency.name });
    // Warm up: fonts read and parsed, code compiled.
    for (const [, model] of documents) {
      await signPdf(await composeDocument(model), signer, optionsFor(model));
      await pdfmake?.(model);
    }
    const figures: PdfFigure[] = [];
    for (const [kind, model] of documents) {
      const rendered = await renderDocument(model);
      const signed = await signPdf(await composeDocument(model), signer, optionsFor(model));
      const pdfmakeRendered = await pdfmake?.(model);
      const noPdfmake = async () => undefined;
      const cpu = await medianCpuMs(runs, {
        render: () => renderDocument(model),
        renderAndSign: async () => signPdf(await composeDocument(model), signer, optionsFor(model)),
        renderThenSignBytes: async () => signPdf(await renderDocument(model), signer, optionsFor(model)),
        verify: () => verifyPdfSignature(signed, trustAnchors),
        pdfmake: pdfmake ? () => pdfmake(model) : noPdfmake,
      });
      figures.push({
        kind,
        pages: (await PDFDocument.load(rendered)).getPageCount(),
        bytes: signed.length,
        deterministic: sha256(await renderDocument(structuredClone(model))) === sha256(rendered),
        renderMs: cpu.render,
        renderAndSignMs: cpu.renderAndSign,
        renderThenSignBytesMs: cpu.renderThenSignBytes,
        verifyMs: cpu.verify,
        pdfmake:
          pdfmake && pdfmakeRendered
            ? { renderMs: cpu.pdfmake, pages: (await PDFDocument.load(pdfmakeRendered)).getPageCount(), deterministic: sha256(await pdfmake(structuredClone(model))) === sha256(pdfmakeRendered) }
            : null,
      });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
