// A PDF is checked by parsing it with pdf-lib in a child process of its own, with a bounded heap and
// a deadline: a hostile PDF (a compressed object stream that inflates to gigabytes, a page tree that
// loops) exhausts or stalls that process, never the API, whose memory stays flat whatever the file's
// size. Measured beside a worker thread with resourceLimits (docs/documents.md#the-pdf-check): a
// check of a small PDF takes about as long either way (~120–140 ms median here, the worker ~20 ms
// less), but a worker shares the API's resident memory, and pdf-lib holds the whole file and all it
// inflates in ArrayBuffers, which a worker's resourceLimits do not bound. The child is plain
// CommonJS given with -e: the same under tsx, vitest and the compiled dist/.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Semaphore } from 'async-mutex';

export type PdfVerdict =
  | { readonly outcome: 'parsed'; readonly pages: number }
  | { readonly outcome: 'encrypted' }
  | { readonly outcome: 'unparseable'; readonly reason: string };

export interface PdfCheckLimits {
  /** The checking process's old-generation heap, in MiB. */
  readonly heapMb: number;
  /** Past this the process is killed and the PDF refused. */
  readonly timeoutMs: number;
}

export const DEFAULT_PDF_CHECK_LIMITS: PdfCheckLimits = { heapMb: 256, timeoutMs: 30_000 };

const PDF_LIB = createRequire(import.meta.url).resolve('pdf-lib');

// Runs in the child: node: modules and pdf-lib only; the file and pdf-lib's path are its arguments.
const CHECK_SOURCE = `
const [file, pdfLib] = process.argv.slice(1);
const { readFileSync } = require('node:fs');
const { PDFDocument } = require(pdfLib);
const answer = (verdict) => process.stdout.write(JSON.stringify(verdict));
(async () => {
  const bytes = readFileSync(file);
  // A PDF ends with %%EOF (ISO 32000-2 §7.5.5); readers tolerate trailing bytes, so look at the last KiB.
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF')) {
    return answer({ outcome: 'unparseable', reason: 'it has no end-of-file marker (%%EOF): the file is truncated' });
  }
  let doc;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    // Encrypted object streams do not parse: the /Encrypt entry says why.
    if (bytes.includes('/Encrypt')) return answer({ outcome: 'encrypted' });
    return answer({ outcome: 'unparseable', reason: 'its objects do not parse (' + String(error && error.message).slice(0, 160) + ')' });
  }
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) return answer({ outcome: 'encrypted' });
  let pages;
  try {
    pages = doc.getPageCount();
  } catch (error) {
    return answer({ outcome: 'unparseable', reason: 'its page tree does not parse' });
  }
  if (pages < 1) return answer({ outcome: 'unparseable', reason: 'it has no pages' });
  answer({ outcome: 'parsed', pages });
})().catch((error) => answer({ outcome: 'unparseable', reason: 'it could not be read (' + String(error && error.message).slice(0, 160) + ')' }));
`;

// A check may take its whole heap: at most half the cores' worth at once, the rest queue.
const slots = new Semaphore(Math.max(1, Math.floor(availableParallelism() / 2)));

/** Parses the PDF in `file` in a process of its own; never throws for what the file holds. */
export async function checkPdf(file: string, limits: PdfCheckLimits = DEFAULT_PDF_CHECK_LIMITS): Promise<PdfVerdict> {
  return slots.runExclusive(
    () =>
      new Promise<PdfVerdict>((resolve, reject) => {
        // No environment: the engine's secrets stay out of a process that reads untrusted bytes.
        const child = spawn(process.execPath, [`--max-old-space-size=${limits.heapMb}`, '--stack-size=984', '-e', CHECK_SOURCE, file, PDF_LIB], { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        let timedOut = false;
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-2000)));
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, limits.timeoutMs);
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(new Error(`the PDF check could not start: ${error.message}`));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (timedOut) return resolve({ outcome: 'unparseable', reason: `checking it took longer than ${limits.timeoutMs / 1000} s` });
          if (out) {
            try {
              return resolve(JSON.parse(out) as PdfVerdict);
            } catch {
              // Fall through: a partial answer is no answer.
            }
          }
          if (/heap limit|out of memory|Array buffer allocation failed/i.test(err) || signal === 'SIGABRT' || code === 134) {
            return resolve({ outcome: 'unparseable', reason: 'checking it needed more memory than a PDF may' });
          }
          // Not the file's doing as far as anyone can tell (pdf-lib missing, the process killed): the engine's fault.
          reject(new Error(`the PDF check stopped without an answer (exit ${code ?? signal})`));
        });
      }),
  );
}
