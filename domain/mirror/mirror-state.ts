// A mirror's state: the fold of its stream. Pure, like the dossier's evolve.
import type { MirrorEvent } from './events.js';
import type { DossierStatus } from '../dossier/state.js';
import type { MirrorFacts } from './push.js';

export interface MirroredDossier {
  readonly status: 'mirrored';
  readonly dossierCode: string;
  readonly system: string;
  readonly facts: MirrorFacts;
  /** The source's revision the mirror holds. */
  readonly sourceUpdatedAt: string;
  /** When the engine first recorded it, and last changed it. */
  readonly mirroredAt: string;
  readonly updatedAt: string;
  /** How many revisions were recorded (the first push included). */
  readonly revisions: number;
  /** The source revision at which each yes/no fact first read yes: the instant a report counts it from. */
  readonly flagsSince: { readonly paidOnline?: string; readonly eResult?: string; readonly digitised?: string; readonly feeBearing?: string };
}

export type MirrorState = { readonly status: 'none'; readonly dossierCode: string } | MirroredDossier;

export function newMirror(dossierCode: string): MirrorState {
  return { status: 'none', dossierCode };
}

const FLAGS = ['paidOnline', 'eResult', 'digitised', 'feeBearing'] as const;

function withFlags(since: MirroredDossier['flagsSince'], facts: MirrorFacts, at: string): MirroredDossier['flagsSince'] {
  const next: Record<string, string> = { ...since };
  for (const flag of FLAGS) if (facts[flag] === true && next[flag] === undefined) next[flag] = at;
  return next;
}

export function evolveMirror(state: MirrorState, event: MirrorEvent): MirrorState {
  if (event.type === 'DossierMirrored') {
    const { dossierCode, system, facts, sourceUpdatedAt, at } = event.data;
    return { status: 'mirrored', dossierCode, system, facts, sourceUpdatedAt, mirroredAt: at, updatedAt: at, revisions: 1, flagsSince: withFlags({}, facts, sourceUpdatedAt) };
  }
  if (state.status === 'none') throw new Error(`${event.type} before DossierMirrored: the stream is corrupt`);
  const { changed, progressAdded, sourceUpdatedAt, at } = event.data;
  const facts: Record<string, unknown> = { ...state.facts };
  for (const [field, value] of Object.entries(changed)) {
    if (value === null) delete facts[field];
    else facts[field] = value;
  }
  if (progressAdded) facts['progress'] = [...state.facts.progress, ...progressAdded];
  const next = facts as MirrorFacts;
  return { ...state, facts: next, sourceUpdatedAt, updatedAt: at, revisions: state.revisions + 1, flagsSince: withFlags(state.flagsSince, next, sourceUpdatedAt) };
}

export function foldMirror(from: MirrorState, events: Iterable<MirrorEvent>): MirrorState {
  let state = from;
  for (const event of events) state = evolveMirror(state, event);
  return state;
}

/**
 * The engine's status word for a mirror's national portal status, so lists and filters treat both
 * alike; 5 (supplement) before acceptance is the reception's.
 */
export function mirrorStatusWord(status: number, accepted: boolean): DossierStatus {
  switch (status) {
    case 1: return 'received';
    case 2: return 'accepted';
    case 3: return 'refused-at-reception';
    case 4: return 'in-processing';
    case 5: return accepted ? 'awaiting-supplement' : 'awaiting-supplement-at-reception';
    case 6: return 'awaiting-financial-obligation';
    case 7: return 'withdrawal-requested';
    case 8: return 'stopped';
    case 9: return 'result-ready';
    default: return 'returned';
  }
}

/** When a mirror closed, as its source says: refused at reception, stopped, or returned. */
export function mirrorClosedAt(state: MirroredDossier): string | null {
  const { facts } = state;
  if (facts.status === 3) return facts.refusedAt ?? null;
  if (facts.status === 8) return facts.finishedAt ?? null;
  if (facts.status === 10) return facts.returnedAt ?? null;
  return null;
}
