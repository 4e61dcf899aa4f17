// The events of a mirror's stream. A mirror's stream lives in the same event log as the dossiers'
// (same table, same hash chain, same audit reads) but is a stream kind of its own, opened by
// DossierMirrored instead of DossierReceived, with its own fold (./mirror-state.ts)
// (docs/decisions/0021-mirrored-dossiers.md).
import type { MirrorFacts, ProgressRow } from './push.js';

/** The facts a later push may change (the others are the dossier's identity: ./push.ts IMMUTABLE_FACTS). */
export type MutableFacts = Omit<MirrorFacts, 'procedureCode' | 'agencyCode' | 'channel' | 'submittedAt'>;

interface MirrorEventBase<T extends string, D> {
  readonly type: T;
  readonly schemaVersion: 1;
  readonly data: D;
}

interface Revision {
  /** When the engine recorded it. */
  readonly at: string;
  /** The source system (the token's `system`). */
  readonly system: string;
  /** The source's revision this event brings the mirror to. */
  readonly sourceUpdatedAt: string;
}

/** A ministry's system pushed a dossier it handles for the first time. */
export type DossierMirrored = MirrorEventBase<'DossierMirrored', Revision & { readonly dossierCode: string; readonly facts: MirrorFacts }>;

/**
 * A newer revision of a mirrored dossier: only what changed. A field the source no longer sends is
 * named with null; progress rows appended to the known ones come as `progressAdded`, a history the
 * source rewrote comes whole as `changed.progress`.
 */
export type MirrorUpdated = MirrorEventBase<
  'MirrorUpdated',
  Revision & {
    readonly previousUpdatedAt: string;
    readonly changed: { readonly [K in keyof MutableFacts]?: MutableFacts[K] | null };
    readonly progressAdded?: readonly ProgressRow[];
  }
>;

export type MirrorEvent = DossierMirrored | MirrorUpdated;
export type MirrorEventType = MirrorEvent['type'];
export const MIRROR_EVENT_TYPES: readonly MirrorEventType[] = ['DossierMirrored', 'MirrorUpdated'];

/** Whether a stream whose first event has this type is a mirror's (rather than a dossier's). */
export function isMirrorStream(firstEventType: string | undefined): boolean {
  return firstEventType === 'DossierMirrored';
}

/** A stored event read back as a mirror event (every mirror event is at schema version 1). */
export function asMirrorEvent(stored: { readonly type: string; readonly schemaVersion: number; readonly data: unknown }): MirrorEvent {
  if (stored.type !== 'DossierMirrored' && stored.type !== 'MirrorUpdated') throw new Error(`${stored.type} in a mirror's stream: the stream is corrupt`);
  return { type: stored.type, schemaVersion: 1, data: stored.data } as MirrorEvent;
}

/** What a mirror event did, in a line (as domain/dossier/event-labels.ts does for a dossier's). */
export function mirrorEventLabel(event: MirrorEvent): { readonly en: string; readonly vi: string } {
  if (event.type === 'DossierMirrored') {
    return { en: `Mirrored from ${event.data.system} (handled there)`, vi: `Đồng bộ từ hệ thống ${event.data.system} (hồ sơ giải quyết trên hệ thống đó)` };
  }
  const fields = [...Object.keys(event.data.changed), ...(event.data.progressAdded?.length ? ['progress'] : [])];
  return {
    en: `Updated by ${event.data.system}: ${fields.join(', ')}`,
    vi: `Hệ thống ${event.data.system} cập nhật: ${fields.join(', ')}`,
  };
}
