// The one way a file enters the store from outside: stream it to the staging area (hashing and
// counting, stopping at the size limit), check the staged file, then commit it or discard it. A
// refusal (FileRefused) leaves nothing behind, and so does a stream that fails half-way (a client
// that hangs up): the error is passed on and the staged file removed.
import { Readable } from 'node:stream';
import type { FileRules, InspectedFile } from '../../domain/files/file-rules.js';
import type { DocumentStore, StagedFile } from '../document-store.js';
import { decodeBase64File } from './base64.js';
import { type DeclaredFile, type InspectOptions, inspectStagedFile } from './inspect.js';

export async function receiveFile(store: DocumentStore, stream: Readable | AsyncIterable<Uint8Array>, rules: FileRules, declared: DeclaredFile = {}, options: InspectOptions = {}): Promise<InspectedFile> {
  const checked = await stageAndInspect(store, stream, rules, declared, options);
  try {
    await store.commit(checked.staged, checked.inspected.mediaType);
    return checked.inspected;
  } catch (error) {
    await store.discard(checked.staged);
    throw error;
  }
}

/**
 * The first half of receiveFile, for a request of several files: each is staged and checked, and
 * only when all pass are they committed (`store.commit`), or else all discarded (`store.discard`).
 */
export async function stageAndInspect(store: DocumentStore, stream: Readable | AsyncIterable<Uint8Array>, rules: FileRules, declared: DeclaredFile = {}, options: InspectOptions = {}): Promise<{ readonly staged: StagedFile; readonly inspected: InspectedFile }> {
  const staged = await store.stage(stream, { maxBytes: rules.maxBytes, ...(declared.field ? { field: declared.field } : {}) });
  try {
    return { staged, inspected: await inspectStagedFile(staged, rules, declared, options) };
  } catch (error) {
    await store.discard(staged);
    throw error;
  }
}

/** A file sent base64 in a JSON body (as the portals send them), checked as strict base64 first. */
export async function receiveBase64File(store: DocumentStore, base64: string, rules: FileRules, declared: DeclaredFile = {}, options: InspectOptions = {}): Promise<InspectedFile> {
  const bytes = decodeBase64File(base64, declared.field ?? 'file', rules.maxBytes);
  return receiveFile(store, Readable.from([bytes]), rules, declared, options);
}
