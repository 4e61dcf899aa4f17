// The decider of a mirror push: what one push of a ministry's system records. Pure: the API folds the
// stream, asks this, and appends what it answers (docs/decisions/0021-mirrored-dossiers.md).
//
// Idempotent on the source's own revision (`sourceUpdatedAt`): the same push twice records nothing;
// a revision older than the one held is refused (the mirror never goes back in time); a push that
// changes the dossier's identity (its procedure, unit, channel, submission time) is refused, since
// that would be another dossier under the same code.
import type { DossierMirrored, MirrorUpdated, MutableFacts } from './events.js';
import type { MirroredDossier, MirrorState } from './mirror-state.js';
import { factsOfPush, IMMUTABLE_FACTS, type MirrorFacts, type MirrorPush, type ProgressRow } from './push.js';

export const MIRROR_ERROR_CODES = ['MIRROR_CODE_TAKEN', 'MIRROR_REVISION_STALE', 'MIRROR_REVISION_CONFLICT', 'MIRROR_IMMUTABLE_CHANGED'] as const;
export type MirrorErrorCode = (typeof MIRROR_ERROR_CODES)[number];

export interface MirrorRefusal {
  readonly code: MirrorErrorCode;
  readonly message: string;
  /** The push field at fault, when there is one. */
  readonly field?: string;
}

export interface MirrorPushContext {
  readonly dossierCode: string;
  /** The pushing system, from its token. */
  readonly system: string;
  /** The engine's time of the push. */
  readonly now: string;
}

/** What the code's stream holds: nothing yet, a mirror, or a dossier the engine handles itself. */
export type MirrorTarget = MirrorState | { readonly status: 'engine-dossier'; readonly dossierCode: string };

export type MirrorDecision =
  | { readonly outcome: 'mirrored'; readonly event: DossierMirrored }
  | { readonly outcome: 'updated'; readonly event: MirrorUpdated; readonly changed: readonly string[] }
  /** Nothing to record: the revision held already says this. */
  | { readonly outcome: 'unchanged' }
  | { readonly outcome: 'refused'; readonly refusal: MirrorRefusal };

export function decideMirrorPush(target: MirrorTarget, push: MirrorPush, context: MirrorPushContext): MirrorDecision {
  const { dossierCode, system, now } = context;
  if (target.status === 'engine-dossier') {
    return refused('MIRROR_CODE_TAKEN', `${dossierCode} is a dossier this engine received and handles itself; a mirror cannot take its code. Push the dossier under the code your system gave it.`);
  }
  const facts = factsOfPush(push);
  if (target.status === 'none') {
    return { outcome: 'mirrored', event: { type: 'DossierMirrored', schemaVersion: 1, data: { at: now, system, sourceUpdatedAt: push.sourceUpdatedAt, dossierCode, facts } } };
  }
  if (target.system !== system) {
    return refused('MIRROR_CODE_TAKEN', `${dossierCode} is mirrored from ${target.system}; only that system updates it.`);
  }
  const held = Date.parse(target.sourceUpdatedAt);
  const pushed = Date.parse(push.sourceUpdatedAt);
  const changes = changesOf(target, facts);
  if (pushed < held) {
    return refused('MIRROR_REVISION_STALE', `The mirror of ${dossierCode} holds the revision of ${target.sourceUpdatedAt}; this push is of ${push.sourceUpdatedAt}, older. Nothing was recorded: a mirror never goes back to an older revision.`, 'sourceUpdatedAt');
  }
  for (const field of IMMUTABLE_FACTS) {
    if (facts[field] !== target.facts[field] && !(field === 'submittedAt' && Date.parse(facts[field]) === Date.parse(target.facts[field]))) {
      return refused('MIRROR_IMMUTABLE_CHANGED', `${field} of ${dossierCode} was ${JSON.stringify(target.facts[field])} and this push says ${JSON.stringify(facts[field])}: a dossier keeps its procedure, unit, channel and submission time. If this is another dossier, push it under its own code.`, field);
    }
  }
  const nothingChanged = Object.keys(changes.changed).length === 0 && changes.progressAdded.length === 0;
  if (pushed === held) {
    if (nothingChanged) return { outcome: 'unchanged' };
    return refused('MIRROR_REVISION_CONFLICT', `The mirror of ${dossierCode} already holds revision ${target.sourceUpdatedAt} with other facts (${[...Object.keys(changes.changed), ...(changes.progressAdded.length ? ['progress'] : [])].join(', ')}). Nothing was recorded: send a change under a newer sourceUpdatedAt.`, 'sourceUpdatedAt');
  }
  if (nothingChanged) return { outcome: 'unchanged' };
  const event: MirrorUpdated = {
    type: 'MirrorUpdated',
    schemaVersion: 1,
    data: {
      at: now,
      system,
      sourceUpdatedAt: push.sourceUpdatedAt,
      previousUpdatedAt: target.sourceUpdatedAt,
      changed: changes.changed,
      ...(changes.progressAdded.length > 0 ? { progressAdded: changes.progressAdded } : {}),
    },
  };
  return { outcome: 'updated', event, changed: [...Object.keys(changes.changed), ...(changes.progressAdded.length > 0 ? ['progress'] : [])] };
}

const IMMUTABLE: ReadonlySet<string> = new Set(IMMUTABLE_FACTS);

/** The mutable facts that differ, and the progress rows appended to those held. */
function changesOf(held: MirroredDossier, facts: MirrorFacts): { changed: Record<string, unknown>; progressAdded: ProgressRow[] } {
  const changed: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(held.facts), ...Object.keys(facts)].filter((key) => !IMMUTABLE.has(key) && key !== 'progress'));
  for (const key of keys) {
    const before = (held.facts as Record<string, unknown>)[key];
    const after = (facts as Record<string, unknown>)[key];
    if (!sameValue(before, after)) changed[key] = after === undefined ? null : after;
  }
  const known = held.facts.progress;
  const extendsKnown = facts.progress.length >= known.length && known.every((row, index) => sameValue(row, facts.progress[index]));
  if (extendsKnown) return { changed, progressAdded: facts.progress.slice(known.length) };
  changed['progress'] = facts.progress;
  return { changed, progressAdded: [] };
}

/** Equal as JSON says, instants compared as instants (a source may write +07:00 or Z). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a !== b && ISO_INSTANT.test(a) && ISO_INSTANT.test(b)) return Date.parse(a) === Date.parse(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function refused(code: MirrorErrorCode, message: string, field?: string): MirrorDecision {
  return { outcome: 'refused', refusal: { code, message, ...(field ? { field } : {}) } };
}

export type { MutableFacts };
