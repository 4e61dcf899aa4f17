// A document's cost to issue: CPU (user + system, this process) to render each kind of document for
// a typical dossier, to sign it (PAdES B-B), and to verify the signature, as documents/
// document-issuer.ts does. Beside it, in the same process and taking turns: the same with the
// documents code of BENCH_BASELINE_REV (default 69291f9, before docs/decisions/0026-lifecycle-cpu.md;
// BENCH_BASELINE_REV=none skips it), checked out into a temporary git worktree; the rendered bytes
// parsed again for signing (the path before the issuer signed the composed document); and, when it
// is installed (`npm install --no-save pdfmake`), pdfmake laying out the same models, for
// docs/decisions/0004-pdf-rendering.md.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  /** The same document with the documents code of the baseline revision, measured in the same rounds. */
  readonly baseline: { readonly revision: string; readonly pages: number; readonly bytes: number; readonly renderAndSignMs: number; readonly verifyMs: number } | null;
}

/** What the bench calls of a revision's documents code. */
interface DocumentsCode {
  readonly composeDocument: typeof composeDocument;
  readonly signPdf: typeof signPdf;
  readonly verifyPdfSignature: typeof verifyPdfSignature;
}

/** The documents code of `revision` from a temporary worktree (node_modules linked), and how to remove it. */
async function baselineDocumentsCode(revision: string): Promise<{ code: DocumentsCode; remove(): void }> {
  const repository = fileURLToPath(new URL('..', import.meta.url));
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-pdf-baseline-')), 'tree');
  execFileSync('git', ['worktree', 'add', '--detach', dir, revision], { cwd: repository, stdio: 'ignore' });
  const remove = () => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: repository, stdio: 'ignore' });
    rmSync(path.dirname(dir), { recursive: true, force: true });
  };
  try {
    // The same installed packages (one pdf-lib, so the signer recognises the composed document).
    symlinkSync(path.join(repository, 'node_modules'), path.join(dir, 'node_modules'));
    const load = (file: string) => import(pathToFileURL(path.join(dir, file)).href);
    const [render, signer, verifier] = await Promise.all([load('documents/pdf/render-document.ts'), load('documents/signing/pades-signer.ts'), load('documents/signing/verify-signature.ts')]);
    return { code: { composeDocument: render.composeDocument, signPdf: signer.signPdf, verifyPdfSignature: verifier.verifyPdfSignature }, remove };
  } catch (error) {
    remove();
    throw error;
  }
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
  const cleanups: (() => void)[] = [];
  try {
    const agency = { code: '000.01.01.H99', name: 'Bộ phận Một cửa UBND xã Hòa Bình' };
    ensureLocalPki({ dir, agencies: [agency], passphrase: 'bench-passphrase', now: new Date('2025-01-01T00:00:00Z') });
    const signer = await loadAgencySigner(dir, agency.code, 'bench-passphrase');
    const trustAnchors = loadTrustAnchors([path.join(dir, 'ca.pem')]);
    const pdfmake = pdfmakeRenderer(createRequire(import.meta.url));
    const revision = process.env.BENCH_BASELINE_REV ?? '69291f9';
    const baseline = revision === 'none' ? null : await baselineDocumentsCode(revision);
    cleanups.push(() => baseline?.remove());
    const documents = Object.entries(typicalDocuments()) as [DocumentKind, DocumentModel][];
    const optionsFor = (model: DocumentModel): SignPdfOptions => ({ signingTime: new Date(model.metadata.issuedAt), reason: model.title, location: 'Hòa Bình', name: agency.name });
    // Warm up: fonts read and parsed, code compiled.
    for (const [, model] of documents) {
      await signPdf(await composeDocument(model), signer, optionsFor(model));
      if (baseline) await baseline.code.signPdf(await baseline.code.composeDocument(model), signer, optionsFor(model));
      await pdfmake?.(model);
    }
    const figures: PdfFigure[] = [];
    for (const [kind, model] of documents) {
      const rendered = await renderDocument(model);
      const signed = await signPdf(await composeDocument(model), signer, optionsFor(model));
      const pdfmakeRendered = await pdfmake?.(model);
      const baselineSigned = baseline ? await baseline.code.signPdf(await baseline.code.composeDocument(model), signer, optionsFor(model)) : undefined;
      const nothing = async () => undefined;
      const cpu = await medianCpuMs(runs, {
        render: () => renderDocument(model),
        renderAndSign: async () => signPdf(await composeDocument(model), signer, optionsFor(model)),
        baselineRenderAndSign: baseline ? async () => baseline.code.signPdf(await baseline.code.composeDocument(model), signer, optionsFor(model)) : nothing,
        renderThenSignBytes: async () => signPdf(await renderDocument(model), signer, optionsFor(model)),
        verify: () => verifyPdfSignature(signed, trustAnchors),
        baselineVerify: baseline && baselineSigned ? () => baseline.code.verifyPdfSignature(baselineSigned, trustAnchors) : nothing,
        pdfmake: pdfmake ? () => pdfmake(model) : nothing,
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
        baseline:
          baselineSigned && baseline
            ? { revision, pages: (await PDFDocument.load(baselineSigned)).getPageCount(), bytes: baselineSigned.length, renderAndSignMs: cpu.baselineRenderAndSign, verifyMs: cpu.baselineVerify }
            : null,
      });
      if (!(await verifyPdfSignature(signed, trustAnchors)).valid) throw new Error(`${kind}: the signed document does not verify`);
    }
    return figures;
  } finally {
    for (const cleanup of cleanups) cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as a table: the issuer's path now and at the baseline revision, then the other paths. */
export function printPdfFigures(figures: readonly PdfFigure[], runs: number): void {
  const revision = figures.find((f) => f.baseline)?.baseline?.revision;
  console.log(
    `\nDocuments of a typical dossier: median CPU ms per document (${runs} rounds, the operations taking turns); render + sign is the issuer's path, without the verification${revision ? `; "before" is the documents code of ${revision}, in the same rounds` : ''}`,
  );
  const before = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));
  console.table(
    figures.map((f) => ({
      kind: f.kind,
      pages: f.baseline ? `${f.pages} (before ${f.baseline.pages})` : f.pages,
      KB: f.baseline ? `${(f.bytes / 1024).toFixed(0)} (before ${(f.baseline.bytes / 1024).toFixed(0)})` : (f.bytes / 1024).toFixed(0),
      'same bytes': f.deterministic ? 'yes' : 'NO',
      render: f.renderMs.toFixed(1),
      'render + sign': f.renderAndSignMs.toFixed(1),
      'render + sign before': before(f.baseline?.renderAndSignMs),
      verify: f.verifyMs.toFixed(1),
      'verify before': before(f.baseline?.verifyMs),
      'render, sign the bytes': f.renderThenSignBytesMs.toFixed(1),
      ...(f.pdfmake ? { 'pdfmake render': f.pdfmake.renderMs.toFixed(1), 'pdfmake pages': f.pdfmake.pages, 'pdfmake same bytes': f.pdfmake.deterministic ? 'yes' : 'NO' } : {}),
    })),
  );
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  if (revision) {
    const withBaseline = figures.filter((f) => f.baseline);
    console.log(
      `Mean of the kinds: render + sign ${mean(withBaseline.map((f) => f.renderAndSignMs)).toFixed(1)} ms (before ${mean(withBaseline.map((f) => f.baseline!.renderAndSignMs)).toFixed(1)}), verify ${mean(withBaseline.map((f) => f.verifyMs)).toFixed(1)} ms (before ${mean(withBaseline.map((f) => f.baseline!.verifyMs)).toFixed(1)})`,
    );
  }
}
