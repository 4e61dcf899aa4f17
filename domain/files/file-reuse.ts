// Which origins of a file are reuse of data already held (Decision 766, 4.3). Kept apart from the
// schemas in ./file-model.ts: the workflow's rules need it, and the workflow bundle holds no zod.
import type { FileOrigin } from './file-model.js';

export const REUSE_ORIGINS: ReadonlySet<FileOrigin['kind']> = new Set(['earlier-dossier', 'issued-result', 'data-store']);

/** Taken from data already held instead of asked for again. */
export function isReuse(kind: FileOrigin['kind']): boolean {
  return REUSE_ORIGINS.has(kind);
}
