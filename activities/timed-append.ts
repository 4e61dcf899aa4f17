// How long each append of a stream's events takes, and what became of it, measured where the
// append runs (the worker's append activities): motcua_event_append_seconds{stream,outcome}
// (platform/metrics.ts). The time covers the transaction: the version check, the insert, the hash
// chain and the read models kept in it; a wait for a pool connection included.
import { type AppendResult, StreamVersionConflict } from '../db/event-store.js';
import { type AppendStream, recordEventAppend } from '../platform/metrics.js';

/** Runs one append and records its time and outcome; its answer or error passes through unchanged. */
export async function timedAppend(stream: AppendStream, append: () => Promise<AppendResult>): Promise<AppendResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  try {
    const result = await append();
    recordEventAppend(stream, result.alreadyStored ? 'already-stored' : 'appended', elapsed());
    return result;
  } catch (error) {
    recordEventAppend(stream, error instanceof StreamVersionConflict ? 'conflict' : 'failed', elapsed());
    throw error;
  }
}
