// A PDF is checked by parsing it with pdf-lib, in a worker thread of its own with a bounded heap and
// a deadline: a hostile PDF (a compressed object stream that inflates to gigabytes, a page tree
// that loops) kills that worker, not the API. The worker is plain CommonJS evaluated from a string,
// so it runs the same under tsx, vitest and the compiled dist/ without a build step of its own.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Semaphore } from 'async-mutex';

export type PdfVerdict =
  | { readonly outcome: 'parsed'; readonly pages: number }
  | { readonly outcome: 'encrypted' }
  | { readonly outcome: 'unparseable'; readonly reason: string };

export interface PdfCheckLimits {
  /** The worker's old-generation heap, in MiB. */
  readonly heapMb: number;
  /** Past this the worker is stopped and the PDF refused. */
  readonly timeoutMs: number;
}

export const DEFAULT_PDF_CHECK_LIMITS: PdfCheckLimits = { heapMb: 256, timeoutMs: 30_000 };

const PDF_LIB = createRequire(import.meta.url).resolve('pdf-lib');

// Runs in the worker: no TypeScript, no imports but node: and pdf-lib (its path in workerData).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { PDFDocument } = require(workerData.pdfLib);
(async () => {
  const bytes = readFileSync(workerData.file);
  const mentionsEncrypt = () => bytes.includes('/Encrypt');
  // A PDF ends with %%EOF (ISO 32000-2 §7.5.5); readers tolerate trailing bytes, so look at the last KiB.
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF')) {
    return parentPort.postMessage({ outcome: 'unparseable', reason: 'it has no end-of-file marker (%%EOF): the file is truncated' });
  }
  let doc;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    if (mentionsEncrypt()) return parentPort.postMessage({ outcome: 'encrypted' });
    return parentPort.postMessage({ outcome: 'unparseable', reason: 'its objects do not parse (' + String(error && error.message).slice(0, 160) + ')' });
  }
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) return parentPort.postMessage({ outcome: 'encrypted' });
  let pages;
  try {
    pages = doc.getPageCount();
  } catch (error) {
    return parentPort.postMessage({ outcome: 'unparseable', reason: 'its page tree does not parse' });
  }
  if (pages < 1) return parentPort.postMessage({ outcome: 'unparseable', reason: 'it has no pages' });
  parentPort.postMessage({ outcome: 'parsed', pages });
})().catch((error) => parentPort.postMessage({ outcome: 'unparseable', reason: 'it could not be read (' + String(error && error.message).slice(0, 160) + ')' }));
`;

// Two checks at a time: each may take its whole heap, and the API has other work.
const slots = new Semaphore(2);

/** Parses the PDF in `file` in a worker of its own; never throws for what the file holds. */
export async function checkPdf(file: string, limits: PdfCheckLimits = DEFAULT_PDF_CHECK_LIMITS): Promise<PdfVerdict> {
  return slots.runExclusive(
    () =>
      new Promise<PdfVerdict>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { file, pdfLib: PDF_LIB },
          resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
          stdout: true,
          stderr: true,
        });
        let settled = false;
        const settle = (verdict: PdfVerdict | Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          void worker.terminate();
          if (verdict instanceof Error) reject(verdict);
          else resolve(verdict);
        };
        const timer = setTimeout(() => settle({ outcome: 'unparseable', reason: `checking it took longer than ${limits.timeoutMs / 1000} s` }), limits.timeoutMs);
        worker.on('message', (verdict: PdfVerdict) => settle(verdict));
        worker.on('error', (error: Error & { code?: string }) => {
          if (error.code === 'ERR_WORKER_OUT_OF_MEMORY' || error instanceof RangeError) settle({ outcome: 'unparseable', reason: 'checking it needed more memory than a PDF of its size may' });
          // The worker could not run at all (pdf-lib missing): the engine's fault, not the file's.
          else settle(new Error(`the PDF check failed: ${error.message}`));
        });
        worker.on('exit', (code) => settle({ outcome: 'unparseable', reason: `checking it stopped (exit ${code})` }));
      }),
  );
}
