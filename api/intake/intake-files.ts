// The intake's files through the files pipeline (documents/files/): each is staged (streamed to the
// store's staging area, hashed, counted, stopped at its component's maxBytes), checked from there
// (type by its bytes, a PDF parsed, not encrypted, its pages), and committed to the content-addressed
// store only when every file of the submission passed, or all discarded.
import { Readable } from 'node:stream';
import type { FileRules } from '../../domain/files/file-rules.js';
import type { DocumentStore } from '../../documents/document-store.js';
import { decodeBase64File } from '../../documents/files/base64.js';
import { stageAndInspect } from '../../documents/files/receive-file.js';

/** Parts of a multipart intake that do not match the files its submission lists. */
export class IntakePartsMismatch extends Error {
  override readonly name = 'IntakePartsMismatch';
  readonly code = 'PORTAL_FILE_PARTS_MISMATCH' as const;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A file checked and ready to be kept: commit() stores it, discard() forgets it. */
export interface StagedIntakeFile {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly pages?: number;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

type Declared = { readonly field: string; readonly sha256?: string };

export async function stageBase64File(store: DocumentStore, text: string, rules: FileRules, declared: Declared): Promise<StagedIntakeFile> {
  const bytes = decodeBase64File(text, declared.field, rules.maxBytes);
  return stageStreamFile(store, Readable.from([bytes]), rules, declared);
}

export async function stageStreamFile(store: DocumentStore, stream: Readable | AsyncIterable<Uint8Array>, rules: FileRules, declared: Declared): Promise<StagedIntakeFile> {
  const { staged, inspected } = await stageAndInspect(store, stream, rules, declared);
  return {
    sha256: inspected.sha256,
    size: inspected.size,
    mediaType: inspected.mediaType,
    ...(inspected.pages !== undefined ? { pages: inspected.pages } : {}),
    commit: async () => void (await store.commit(staged, inspected.mediaType)),
    discard: () => store.discard(staged),
  };
}
