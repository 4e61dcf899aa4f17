// The dossier's files as the rules and the reports see them: which file stands for which component,
// which replaced which, and which the receiving official approved (docs/files.md). A component is
// digitised when one of its current files is approved; the files are never changed, only replaced.
import type { FileOrigin } from '../files/file-model.js';
import { isReuse } from '../files/file-reuse.js';
import type { ComponentFileApproved, ComponentFileAttached } from './events.js';

export interface DossierFile {
  readonly componentId: string;
  readonly sha256: string;
  readonly mediaType: string;
  readonly size: number;
  readonly origin: FileOrigin['kind'];
  readonly attachedAt: string;
  readonly approved: boolean;
  /** The digest of the file that replaced this one; a replaced file stays in the log but no longer counts. */
  readonly replacedBy?: string;
}

export function withFileAttached(files: readonly DossierFile[], { at, componentId, file, origin, approved, replaces }: ComponentFileAttached['data']): readonly DossierFile[] {
  const kept = replaces === undefined ? files : files.map((candidate) => (isCurrent(candidate, componentId, replaces) ? { ...candidate, replacedBy: file.sha256 } : candidate));
  return [...kept, { componentId, sha256: file.sha256, mediaType: file.mediaType, size: file.size, origin: origin.kind, attachedAt: at, approved }];
}

export function withFileApproved(files: readonly DossierFile[], { componentId, sha256 }: ComponentFileApproved['data']): readonly DossierFile[] {
  return files.map((candidate) => (isCurrent(candidate, componentId, sha256) ? { ...candidate, approved: true } : candidate));
}

/** The file of this component with this digest that has not been replaced, if any. */
export function currentFile(files: readonly DossierFile[], componentId: string, sha256: string): DossierFile | undefined {
  return files.find((candidate) => isCurrent(candidate, componentId, sha256));
}

function isCurrent(file: DossierFile, componentId: string, sha256: string): boolean {
  return file.componentId === componentId && file.sha256 === sha256 && file.replacedBy === undefined;
}

/** Components with an approved current file: digitised (Decree 45/2020/NĐ-CP art. 13; Decision 766, 4.2). */
export function digitisedComponents(files: readonly DossierFile[]): ReadonlySet<string> {
  return new Set(files.filter((file) => file.approved && file.replacedBy === undefined).map((file) => file.componentId));
}

/** Components whose current file was taken from data already held (Decision 766, 4.3). */
export function reusedComponents(files: readonly DossierFile[]): ReadonlySet<string> {
  return new Set(files.filter((file) => file.replacedBy === undefined && isReuse(file.origin)).map((file) => file.componentId));
}
