// Upload throughput: a PDF sent by curl as multipart/form-data over a real socket to a minimal Fastify app
// (not the dossier route, which needs the whole engine: `npm run bench -- intake` measures that one)
// with the real plumbing (api/uploads.ts → receiveFile: staging, the checks, the commit), beside
// writing the same bytes from a file stream to the same store directly (stage + commit, no HTTP,
// no checks). The ratio is what the HTTP path and the checks cost; the target is at least 0.7×.
// Then the process's resident memory, sampled every 5 ms while a 5 MB and a 40 MB upload stream:
// its peak above the level before the upload should not grow with the file (the PDF check runs in
// a process of its own, documents/files/pdf-check.ts, and is timed apart).
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import type { Database } from '../db/schema.js';
import { DEFAULT_FILE_RULES, type FileRules } from '../domain/files/file-rules.js';
import { createDocumentStore } from '../documents/document-store.js';
import { checkPdf } from '../documents/files/pdf-check.js';
import { startUploadApp } from '../test/support/upload-app.js';

/** An upload beside stage + commit of the same file into the same store, over the same runs. */
export interface UploadRatio {
  readonly sizeMB: number;
  readonly runs: number;
  /** The upload, median. */
  readonly uploadMBps: number;
  /** stage + commit of the same file into the same store (directory and PostgreSQL), median. */
  readonly directMBps: number;
  readonly ratio: number;
  /** The lowest and highest ratio of a run's upload to the same run's stage + commit: the noise. */
  readonly ratioRange: readonly [number, number];
}

export interface UploadFigures extends UploadRatio {
  /** The PDF check alone (a process parsing the file), median ms: part of the upload's time. */
  readonly pdfCheckMs: number;
  readonly memory: readonly { readonly sizeMB: number; readonly peakRssDeltaMiB: number; readonly baselineRssMiB: number }[];
}

const RULES: FileRules = { ...DEFAULT_FILE_RULES, maxBytes: 64 * 1024 * 1024 };
const MB = 1e6;
const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The ratio of `runs` uploads of `size` bytes (seconds each) to stage + commit of the same file (seconds each, run for run). */
export function uploadRatio(size: number, runs: number, uploadSeconds: readonly number[], directSeconds: readonly number[]): UploadRatio {
  const uploadMBps = size / MB / median([...uploadSeconds]);
  const directMBps = size / MB / median([...directSeconds]);
  const ratios = uploadSeconds.map((seconds, run) => directSeconds[run]! / seconds);
  return { sizeMB: size / MB, runs, uploadMBps, directMBps, ratio: uploadMBps / directMBps, ratioRange: [Math.min(...ratios), Math.max(...ratios)] };
}

/** A one-page PDF carrying `megabytes` of incompressible bytes as an attachment, as a heavy scan would. */
export async function pdfOfSize(file: string, megabytes: number): Promise<void> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Bench', { x: 50, y: 800, size: 12 });
  await doc.attach(randomBytes(Math.round(megabytes * MB) - 2000), 'scan.bin', { mimeType: 'application/octet-stream' });
  writeFileSync(file, await doc.save({ useObjectStreams: false }));
}

/**
 * POSTs the file as the one part of a multipart body with curl, streamed from disk: the client is a
 * process of its own, as a browser or a portal is, so the memory sampled is the API's alone. Answers
 * the seconds curl counts from connecting to the last byte of the answer (not its own start-up).
 */
export async function upload(url: string, file: string, route = `${url}/uploads`, headers: readonly string[] = [], expected = '201'): Promise<number> {
  const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-H', 'Expect:', ...headers.flatMap((header) => ['-H', header]), '-F', `file=@${file};type=application/pdf`, route]);
  const [status, seconds] = stdout.split(' ');
  if (status !== expected) throw new Error(`upload answered ${stdout}`);
  return Number(seconds);
}

/** Runs `work`, sampling the resident memory every 5 ms: the peak above the level before it, MiB. */
async function peakRssDelta(work: () => Promise<unknown>): Promise<{ peak: number; baseline: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return { peak: (peak - baseline) / 2 ** 20, baseline: baseline / 2 ** 20 };
}

export async function benchUpload(db: Kysely<Database>, runs: number, log: (line: string) => void): Promise<UploadFigures> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'motcua-bench-upload-'));
  const store = createDocumentStore(db, path.join(scratch, 'documents'));
  const { app, url } = await startUploadApp(store, RULES);
  try {
    const files = { 5: path.join(scratch, '5.pdf'), 20: path.join(scratch, '20.pdf'), 40: path.join(scratch, '40.pdf') };
    for (const [megabytes, file] of Object.entries(files)) await pdfOfSize(file, Number(megabytes));
    log(`PDFs of ${Object.values(files).map((file) => (statSync(file).size / MB).toFixed(1)).join(', ')} MB written`);

    const size = statSync(files[20]).size;
    await upload(url, files[20]); // warm up both paths once
    const uploadSeconds: number[] = [];
    const directSeconds: number[] = [];
    const checkMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      uploadSeconds.push(await upload(url, files[20]));
      let started = performance.now();
      const staged = await store.stage(createReadStream(files[20]), { maxBytes: RULES.maxBytes });
      await store.commit(staged, 'application/pdf');
      directSeconds.push((performance.now() - started) / 1000);
      started = performance.now();
      await checkPdf(files[20]);
      checkMs.push(performance.now() - started);
    }
    const memory = [];
    for (const megabytes of [5, 40] as const) {
      await upload(url, files[megabytes]); // its buffers allocated once before measuring
      const samples = [];
      for (let run = 0; run < 3; run++) samples.push(await peakRssDelta(() => upload(url, files[megabytes])));
      memory.push({ sizeMB: statSync(files[megabytes]).size / MB, peakRssDeltaMiB: median(samples.map((s) => s.peak)), baselineRssMiB: median(samples.map((s) => s.baseline)) });
    }
    return { ...uploadRatio(size, runs, uploadSeconds, directSeconds), pdfCheckMs: median(checkMs), memory };
  } finally {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
