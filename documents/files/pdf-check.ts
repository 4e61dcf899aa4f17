// A PDF is checked by parsing it with pdf-lib in a child process, with a bounded heap and a deadline:
// a hostile PDF (a compressed object stream that inflates to gigabytes, a page tree that loops)
// exhausts or stalls that process, never the API, whose memory stays flat whatever the file's size.
// The processes are kept between checks (one per slot, started on demand, killed and replaced after a
// refusal by memory or time): starting one and loading pdf-lib costs ~150–250 ms here, more than
// parsing a 20 MB scan. Measured beside a worker thread with resourceLimits (docs/documents.md#the-pdf-check): a
// check of a small PDF takes about as long either way (~120–140 ms median here, the worker ~20 ms
// less), but a worker shares the API's resident memory, and pdf-lib holds the whole file and all it
// inflates in ArrayBuffers, which a worker's resourceLimits do not bound. The child is plain
// CommonJS given with -e: the same under tsx, vitest and the compiled dist/.
import { type ChildProcess, spawn } from 'node:child_process';
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

// Runs in the child: node: modules and pdf-lib only (its path the argument); one check per message.
const CHECK_SOURCE = `
const { readFileSync } = require('node:fs');
const { PDFDocument } = require(process.argv[1]);
async function check(file) {
  const bytes = readFileSync(file);
  // A PDF ends with %%EOF (ISO 32000-2 §7.5.5); readers tolerate trailing bytes, so look at the last KiB.
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF')) {
    return { outcome: 'unparseable', reason: 'it has no end-of-file marker (%%EOF): the file is truncated' };
  }
  let doc;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    // Encrypted object streams do not parse: the /Encrypt entry says why.
    if (bytes.includes('/Encrypt')) return { outcome: 'encrypted' };
    return { outcome: 'unparseable', reason: 'its objects do not parse (' + String(error && error.message).slice(0, 160) + ')' };
  }
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) return { outcome: 'encrypted' };
  let pages;
  try {
    pages = doc.getPageCount();
  } catch (error) {
    return { outcome: 'unparseable', reason: 'its page tree does not parse' };
  }
  if (pages < 1) return { outcome: 'unparseable', reason: 'it has no pages' };
  return { outcome: 'parsed', pages };
}
process.on('message', (file) => {
  check(file)
    .catch((error) => ({ outcome: 'unparseable', reason: 'it could not be read (' + String(error && error.message).slice(0, 160) + ')' }))
    .then((verdict) => process.send(verdict));
});
`;

// A check may take its whole heap: at most half the cores' worth at once, the rest queue.
const slots = new Semaphore(Math.max(1, Math.floor(availableParallelism() / 2)));
const idle = new Map<string, ChildProcess[]>();

function startChecker(limits: PdfCheckLimits): ChildProcess & { stderrTail: string } {
  // No environment: the engine's secrets stay out of a process that reads untrusted bytes.
  const child = spawn(process.execPath, [`--max-old-space-size=${limits.heapMb}`, '--stack-size=984', '-e', CHECK_SOURCE, PDF_LIB], { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }) as ChildProcess & { stderrTail: string };
  child.stderrTail = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (child.stderrTail = (child.stderrTail + chunk).slice(-2000)));
  return child;
}

/** An idle checker neither keeps the API alive at exit nor lingers after dying. */
function park(key: string, child: ChildProcess): void {
  setReferenced(child, false);
  const pool = idle.get(key) ?? [];
  pool.push(child);
  idle.set(key, pool);
  // Once per process, not once per check: a checker parked after every check would gather one
  // listener a check (Node warns at 11, MaxListenersExceededWarning, and they are never freed).
  if (!parkedOnce.has(child)) {
    parkedOnce.add(child);
    child.once('exit', () => idle.set(key, (idle.get(key) ?? []).filter((other) => other !== child)));
  }
}
const parkedOnce = new WeakSet<ChildProcess>();

function setReferenced(child: ChildProcess, referenced: boolean): void {
  const handles = [child, child.channel, child.stderr as unknown as { ref?(): void; unref?(): void } | null];
  for (const handle of handles) referenced ? handle?.ref?.() : handle?.unref?.();
}

/** Parses the PDF in `file` in a checking process; never throws for what the file holds. */
export async function checkPdf(file: string, limits: PdfCheckLimits = DEFAULT_PDF_CHECK_LIMITS): Promise<PdfVerdict> {
  const key = `${limits.heapMb}`;
  return slots.runExclusive(
    () =>
      new Promise<PdfVerdict>((resolve, reject) => {
        const child = (idle.get(key)?.pop() as (ChildProcess & { stderrTail: string }) | undefined) ?? startChecker(limits);
        setReferenced(child, true);
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, limits.timeoutMs);
        const done = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          child.off('error', onError);
        };
        const onMessage = (verdict: PdfVerdict) => {
          done();
          park(key, child);
          resolve(verdict);
        };
        const onError = (error: Error) => {
          done();
          child.kill('SIGKILL');
          reject(new Error(`the PDF check could not run: ${error.message}`));
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
          done();
          if (timedOut) return resolve({ outcome: 'unparseable', reason: `checking it took longer than ${limits.timeoutMs / 1000} s` });
          if (/heap limit|out of memory|Array buffer allocation failed/i.test(child.stderrTail) || signal === 'SIGABRT' || code === 134) {
            return resolve({ outcome: 'unparseable', reason: 'checking it needed more memory than a PDF may' });
          }
          // Not the file's doing as far as anyone can tell (pdf-lib missing, the process killed): the engine's fault.
          reject(new Error(`the PDF check stopped without an answer (exit ${code ?? signal})`));
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.once('error', onError);
        child.send(file);
      }),
  );
}
