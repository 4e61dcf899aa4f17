// A dossier's history for auditors: its events as readable lines, and the dossier as it stood at an
// instant (the fold of the events up to it, and its legal clock as it read then), with the changes
// since an earlier instant. Served by GET /dossiers/:code/state and printed by npm run audit:history.
import { readDossierClock } from '../domain/dossier/dossier-clock.js';
import { eventLabel, type EventLabel } from '../domain/dossier/event-labels.js';
import { foldDossier, isReceived, newDossier } from '../domain/dossier/state.js';
import type { StoredEvent } from './event-store.js';
import { asDossierEvent } from '../domain/dossier/upcast.js';
import { asMirrorEvent, isMirrorStream, MIRROR_EVENT_TYPES, mirrorEventLabel } from '../domain/mirror/events.js';
import { foldMirror, newMirror } from '../domain/mirror/mirror-state.js';
import { asFeedbackEvent, FEEDBACK_EVENT_TYPES } from '../domain/feedback/events.js';
import { feedbackEventLabel } from '../domain/feedback/event-labels.js';

export interface HistoryLine {
  readonly streamVersion: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: StoredEvent['metadata']['actor'];
  readonly label: EventLabel;
}

export function historyLine(event: StoredEvent): HistoryLine {
  return { streamVersion: event.streamVersion, type: event.type, occurredAt: event.occurredAt.toISOString(), actor: event.metadata.actor, label: storedEventLabel(event) };
}

/** What a stored event did, in a line: a dossier's event, a mirror's (docs/decisions/0021-mirrored-dossiers.md) or a feedback item's (docs/decisions/0023-feedback-stream-kind.md). */
export function storedEventLabel(event: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>): EventLabel {
  if ((FEEDBACK_EVENT_TYPES as readonly string[]).includes(event.type)) return feedbackEventLabel(asFeedbackEvent(event));
  return (MIRROR_EVENT_TYPES as readonly string[]).includes(event.type) ? mirrorEventLabel(asMirrorEvent(event)) : eventLabel(asDossierEvent(event));
}

export function dossierAt(dossierCode: string, stored: readonly StoredEvent[], at: string, since?: string) {
  const atMs = Date.parse(at);
  const upTo = stored.filter((event) => event.occurredAt.getTime() <= atMs);
  // A mirror folds with its own rules and has no clock of the engine's.
  const state = isMirrorStream(stored[0]?.type) ? foldMirror(newMirror(dossierCode), upTo.map(asMirrorEvent)) : foldDossier(newDossier(dossierCode), upTo.map(asDossierEvent));
  const clock = state.status !== 'mirrored' && isReceived(state) && state.accepted ? readDossierClock(state, at) : null;
  const sinceMs = since === undefined ? undefined : Date.parse(since);
  return {
    dossierCode,
    at: new Date(atMs).toISOString(),
    streamVersion: upTo.length,
    state,
    clock,
    ...(sinceMs !== undefined ? { changes: upTo.filter((event) => event.occurredAt.getTime() > sinceMs).map(historyLine) } : {}),
  };
}
