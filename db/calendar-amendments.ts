// Calendar amendments loaded as data, and the roll-out of each to the open dossiers. A version is
// stored once and never changed: the same version with other content is refused, the same content
// again is a no-op. The checks run under a per-calendar lock, so two loads cannot both be "next".
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { amendmentProblems } from '../domain/calendar/amendment-rules.js';
import { canonicalJson, definitionWith } from '../domain/calendar/calendar-adoption.js';
import { compareCalendarVersions, type CalendarAmendment, type HolidayCalendarDefinition } from '../domain/calendar/holiday-calendar.js';
import type { Database } from './schema.js';

export type StoreOutcome =
  | { readonly kind: 'stored'; readonly amendment: CalendarAmendment }
  /** Already known with this content: stored before, or built into the code (`builtIn`). */
  | { readonly kind: 'unchanged'; readonly amendment: CalendarAmendment; readonly builtIn: boolean }
  | { readonly kind: 'refused'; readonly problems: readonly string[] };

/** The amendments stored for a calendar, in version order. */
export async function storedCalendarAmendments(db: Kysely<Database>, calendarId: string): Promise<CalendarAmendment[]> {
  const rows = await db.selectFrom('calendar_amendments').select('amendment').where('calendar_id', '=', calendarId).orderBy('version_year').orderBy('version_sequence').execute();
  return rows.map((row) => row.amendment as CalendarAmendment);
}

export async function findCalendarAmendment(db: Kysely<Database>, calendarId: string, version: string): Promise<CalendarAmendment | undefined> {
  const row = await db.selectFrom('calendar_amendments').select('amendment').where('calendar_id', '=', calendarId).where('version', '=', version).executeTakeFirst();
  return row?.amendment as CalendarAmendment | undefined;
}

/** The built-in definition with the stored amendments after it: the calendar as the engine knows it now. */
export async function currentCalendarDefinition(db: Kysely<Database>, builtIn: HolidayCalendarDefinition): Promise<HolidayCalendarDefinition> {
  const stored = await storedCalendarAmendments(db, builtIn.id);
  const latest = [...builtIn.amendments.map((amendment) => amendment.version), ...stored.map((amendment) => amendment.version)].sort(compareCalendarVersions).at(-1)!;
  return definitionWith(builtIn, latest, stored);
}

/** Stores an amendment after the checks of domain/calendar/amendment-rules.ts, once per version. */
export async function storeCalendarAmendment(
  db: Kysely<Database>,
  builtIn: HolidayCalendarDefinition,
  amendment: CalendarAmendment,
  loadedBy: string,
  today: string,
): Promise<StoreOutcome> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`calendar_amendments:${builtIn.id}`}))`.execute(trx);
    const stored = await findCalendarAmendment(trx, builtIn.id, amendment.version);
    const existing = stored ?? builtIn.amendments.find((candidate) => candidate.version === amendment.version);
    if (existing) {
      if (canonicalJson(existing) === canonicalJson(amendment)) return { kind: 'unchanged', amendment: existing, builtIn: !stored };
      return { kind: 'refused', problems: [`version ${amendment.version} of ${builtIn.id} is already stored with other content; a version is never edited, so publish the correction as the next version`] };
    }
    const problems = amendmentProblems(await currentCalendarDefinition(trx, builtIn), amendment, today);
    if (problems.length > 0) return { kind: 'refused', problems };
    const content = canonicalJson(amendment);
    const [year, sequence] = amendment.version.split('.').map(Number);
    await trx
      .insertInto('calendar_amendments')
      .values({
        calendar_id: builtIn.id,
        version: amendment.version,
        version_year: year!,
        version_sequence: sequence!,
        effective_from: amendment.effectiveFrom,
        legal_reference: amendment.legalReference,
        amendment: content,
        content_sha256: createHash('sha256').update(content).digest('hex'),
        loaded_by: loadedBy,
      })
      .execute();
    await trx.insertInto('calendar_rollouts').values({ calendar_id: builtIn.id, version: amendment.version, state: 'running' }).execute();
    return { kind: 'stored', amendment };
  });
}

export interface RolloutCandidate {
  readonly dossierCode: string;
  readonly agencyCode: string;
  readonly streamVersion: number;
  /** The latest civil-service calendar version the dossier follows. */
  readonly calendarVersion: string;
}

/**
 * Open accepted dossiers whose calendar is behind `version`, after `afterCode` in code order: what
 * a roll-out pass sends the amendment to. The summary's calendar_version is the latest version the
 * dossier follows (pinned or adopted), committed with its events, so an adopted dossier drops out.
 */
export async function openDossiersBehind(db: Kysely<Database>, query: { version: string; afterCode: string; limit: number; exclude: readonly string[] }): Promise<RolloutCandidate[]> {
  const [year, sequence] = query.version.split('.').map(Number);
  let select = db
    .selectFrom('dossier_summary')
    .select(['dossier_code', 'agency_code', 'stream_version', 'calendar_version'])
    .where('closed_at', 'is', null)
    .where('accepted_at', 'is not', null)
    .where('dossier_code', '>', query.afterCode)
    .where(sql<boolean>`(split_part(calendar_version, '.', 1)::int, split_part(calendar_version, '.', 2)::int) < (${year}, ${sequence})`);
  if (query.exclude.length > 0) select = select.where('dossier_code', 'not in', [...query.exclude]);
  const rows = await select.orderBy('dossier_code').limit(query.limit).execute();
  return rows.map((row) => ({ dossierCode: row.dossier_code, agencyCode: row.agency_code, streamVersion: Number(row.stream_version), calendarVersion: row.calendar_version! }));
}

export interface RolloutCounts {
  readonly adopted: number;
  readonly already: number;
  readonly refused: number;
  readonly notRunning: number;
}

/**
 * The amendment a roll-out sends: the stored one, or else the one built into this release (a
 * release's amendment reaches the dossiers accepted before it). Undefined when neither knows it.
 */
export async function rolloutAmendment(db: Kysely<Database>, builtIn: HolidayCalendarDefinition, calendarId: string, version: string): Promise<CalendarAmendment | undefined> {
  const stored = await findCalendarAmendment(db, calendarId, version);
  if (stored) return stored;
  return calendarId === builtIn.id ? builtIn.amendments.find((amendment) => amendment.version === version) : undefined;
}

/**
 * Every version a roll-out may send, in version order: the stored ones and those built into this
 * release that are in force on `today`. A dossier behind a version is sent the ones between too.
 */
export async function rolloutAmendments(db: Kysely<Database>, builtIn: HolidayCalendarDefinition, today: string): Promise<CalendarAmendment[]> {
  const byVersion = new Map<string, CalendarAmendment>();
  for (const amendment of builtIn.amendments) if (amendment.effectiveFrom <= today) byVersion.set(amendment.version, amendment);
  for (const amendment of await storedCalendarAmendments(db, builtIn.id)) byVersion.set(amendment.version, amendment);
  return [...byVersion.values()].sort((a, b) => compareCalendarVersions(a.version, b.version));
}

/** The dossiers that adopted a version, counted from the event store: the truth whatever a roll-out's run saw. */
export async function countAdoptions(db: Kysely<Database>, calendarId: string, version: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('type', '=', 'CalendarAmendmentAdopted')
    .where(sql<string>`payload->>'calendarId'`, '=', calendarId)
    .where(sql<string>`payload->>'version'`, '=', version)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The versions of a calendar whose roll-out has finished, with when it did. */
export async function finishedRollouts(db: Kysely<Database>, calendarId: string): Promise<Map<string, Date>> {
  const rows = await db.selectFrom('calendar_rollouts').select(['version', 'finished_at']).where('calendar_id', '=', calendarId).where('state', '=', 'done').execute();
  return new Map(rows.map((row) => [row.version, row.finished_at ?? new Date(0)]));
}

/**
 * Whether an open dossier accepted after `since` follows a version before `version`: one whose
 * acceptance pinned the calendar before the amendment was stored and committed after its roll-out
 * had ended (it waited in Temporal longer than the roll-out's settle time).
 */
export async function acceptedBehindSince(db: Kysely<Database>, version: string, since: Date): Promise<boolean> {
  const [year, sequence] = version.split('.').map(Number);
  const row = await db
    .selectFrom('dossier_summary')
    .select('dossier_code')
    .where('closed_at', 'is', null)
    .where('accepted_at', '>', since)
    .where(sql<boolean>`(split_part(calendar_version, '.', 1)::int, split_part(calendar_version, '.', 2)::int) < (${year}, ${sequence})`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a roll-out's progress (the counts are totals so far, not increments: a retried page writes
 * the same). `adopted` is counted from the event store instead of taken from the run: a page a
 * killed worker had half sent, or a finished roll-out run again, would otherwise undercount.
 */
export async function recordRolloutProgress(db: Kysely<Database>, calendarId: string, version: string, progress: RolloutCounts & { passes: number; lastDossierCode: string | null; done: boolean }): Promise<void> {
  await db
    .insertInto('calendar_rollouts')
    .values({ calendar_id: calendarId, version, state: 'running' })
    .onConflict((conflict) => conflict.columns(['calendar_id', 'version']).doNothing())
    .execute();
  await db
    .updateTable('calendar_rollouts')
    .set({
      state: progress.done ? 'done' : 'running',
      passes: progress.passes,
      adopted: await countAdoptions(db, calendarId, version),
      already: progress.already,
      refused: progress.refused,
      not_running: progress.notRunning,
      last_dossier_code: progress.lastDossierCode,
      updated_at: new Date().toISOString(),
      finished_at: progress.done ? new Date().toISOString() : null,
    })
    .where('calendar_id', '=', calendarId)
    .where('version', '=', version)
    .execute();
}

/** Every stored amendment with its roll-out's progress, latest first. */
export async function listCalendarAmendments(db: Kysely<Database>, calendarId: string) {
  return db
    .selectFrom('calendar_amendments as a')
    .leftJoin('calendar_rollouts as r', (join) => join.onRef('r.calendar_id', '=', 'a.calendar_id').onRef('r.version', '=', 'a.version'))
    .select(['a.version', 'a.effective_from', 'a.legal_reference', 'a.amendment', 'a.loaded_by', 'a.loaded_at', 'r.state', 'r.passes', 'r.adopted', 'r.already', 'r.refused', 'r.not_running', 'r.updated_at', 'r.finished_at'])
    .where('a.calendar_id', '=', calendarId)
    .orderBy('a.version_year', 'desc')
    .orderBy('a.version_sequence', 'desc')
    .execute();
}

/** The roll-outs of versions built into the code (no stored amendment), latest first. */
export async function listBuiltInRollouts(db: Kysely<Database>, calendarId: string) {
  return db
    .selectFrom('calendar_rollouts as r')
    .select(['r.version', 'r.state', 'r.passes', 'r.adopted', 'r.already', 'r.refused', 'r.not_running', 'r.updated_at', 'r.finished_at'])
    .where('r.calendar_id', '=', calendarId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('calendar_amendments as a').select('a.version').whereRef('a.calendar_id', '=', 'r.calendar_id').whereRef('a.version', '=', 'r.version'))))
    .orderBy(sql`split_part(r.version, '.', 1)::int`, 'desc')
    .orderBy(sql`split_part(r.version, '.', 2)::int`, 'desc')
    .execute();
}
