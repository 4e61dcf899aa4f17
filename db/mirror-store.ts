// A mirror push, stored: fold the code's stream, ask the mirror's decider, append what it answers in
// one transaction with the read models (the summary row; the report projection follows from the
// log). No workflow: a mirror takes no commands and runs no timers, so the API is its only writer,
// guarded by the stream version (docs/decisions/0021-mirrored-dossiers.md).
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { formatIsoDate } from '../domain/calendar/vietnam-time.js';
import { parseDossierCode } from '../domain/dossier/dossier-code.js';
import { decideMirrorPush, type MirrorRefusal } from '../domain/mirror/decide-mirror.js';
import { asMirrorEvent, isMirrorStream } from '../domain/mirror/events.js';
import { foldMirror, newMirror } from '../domain/mirror/mirror-state.js';
import type { MirrorPush } from '../domain/mirror/push.js';
import { appendToStream, type InlineProjection, readStream, StreamVersionConflict } from './event-store.js';
import { applicantSearchProjection } from './projections/applicant-search.js';
import { projectDossierReadModels } from './projections/dossier-read-models.js';
import type { Database, EventMetadata } from './schema.js';

export type MirrorPushOutcome =
  | { readonly outcome: 'mirrored' | 'updated'; readonly streamVersion: number; readonly changed: readonly string[] }
  | { readonly outcome: 'unchanged'; readonly streamVersion: number }
  | { readonly outcome: 'refused'; readonly refusal: MirrorRefusal };

export interface MirrorPushInput {
  readonly dossierCode: string;
  readonly push: MirrorPush;
  readonly system: string;
  /** The token's subject: the events' actor. */
  readonly userId: string;
  readonly correlationId?: string;
  /** MOTCUA_APPLICANT_KEY, when the deployment has it: the mirror is then found by its applicant's number too. */
  readonly applicantKey?: string;
}

/** How many times a push is decided again after another writer moved the stream meanwhile. */
const ATTEMPTS = 3;

export async function storeMirrorPush(db: Kysely<Database>, input: MirrorPushInput, now: () => Date = () => new Date()): Promise<MirrorPushOutcome> {
  const { dossierCode, push, system } = input;
  for (let attempt = 1; ; attempt += 1) {
    const stored = await readStream(db, dossierCode);
    const version = stored.at(-1)?.streamVersion ?? 0;
    const target = stored.length === 0 ? newMirror(dossierCode) : isMirrorStream(stored[0]!.type) ? foldMirror(newMirror(dossierCode), stored.map(asMirrorEvent)) : ({ status: 'engine-dossier', dossierCode } as const);
    const at = now().toISOString();
    const decision = decideMirrorPush(target, push, { dossierCode, system, now: at });
    if (decision.outcome === 'refused') return decision;
    if (decision.outcome === 'unchanged') return { outcome: 'unchanged', streamVersion: version };
    const metadata: EventMetadata = {
      actor: { userId: input.userId, role: 'ministry-system', agencyCode: push.agencyCode },
      commandId: `mirror/${system}/${dossierCode}/${push.sourceUpdatedAt}`,
      ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    };
    try {
      const result = await appendToStream(db, dossierCode, version, [{ type: decision.event.type, schemaVersion: 1, data: decision.event.data, metadata, occurredAt: at }], [projectDossierReadModels, reserveEngineSerial, ...(input.applicantKey ? [applicantSearchProjection(input.applicantKey)] : [])]);
      return { outcome: decision.outcome, streamVersion: result.streamVersion, changed: decision.outcome === 'updated' ? decision.changed : [] };
    } catch (error) {
      // Another push of this code (or a reception) got there first: decide again on what it wrote.
      if (error instanceof StreamVersionConflict && attempt < ATTEMPTS) continue;
      throw error;
    }
  }
}

/**
 * The largest serial a mirror reserves: far beyond what a unit receives in a day, so the engine's
 * own serials never reach a larger one, and far below the column's limit, so a mirror's code
 * (of a unit outside the province, or a sibling ministry's: api/routes/mirrors.ts refuses a province unit outside the token's scope) cannot push a unit's next serial past it and
 * stop that unit's receptions for the day.
 */
export const MAX_RESERVED_SERIAL = 9_999_999;

/**
 * A mirror whose code has the shape of the engine's own (`<unit>-YYMMDD-NNNN`, as a ministry's system
 * may give) takes that serial: the engine never hands it out to a dossier it receives.
 */
const reserveEngineSerial: InlineProjection = async (trx: Transaction<Database>, events) => {
  for (const event of events) {
    if (event.type !== 'DossierMirrored') continue;
    const parts = parseDossierCode(event.streamId);
    if (!parts || parts.serial < 1 || parts.serial > MAX_RESERVED_SERIAL) continue;
    await trx
      .insertInto('dossier_daily_serials')
      .values({ agency_code: parts.agencyCode, reception_date: formatIsoDate(parts.receptionDate), last_serial: parts.serial })
      .onConflict((oc) => oc.columns(['agency_code', 'reception_date']).doUpdateSet({ last_serial: sql<number>`greatest(dossier_daily_serials.last_serial, excluded.last_serial)` }))
      .execute();
  }
};
