// A calendar amendment loaded over the API reaches an open dossier: the roll-out workflow sends it
// the AdoptCalendarAmendment command, the dossier's stream says "calendar … adopted", its due date
// moves and the explanation says why; a dossier accepted afterwards pins the amendment instead.
// The test has a database of its own: a stored amendment is global, and would change what every
// other test's dossiers pin.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCatalogue, readCatalogueFile, SAMPLE_CATALOGUE_FILE } from '../../db/catalogue.js';
import { connectAndMigrate } from '../../db/connect.js';
import { civilDayOfInstant, isoOfCivilDay } from '../../domain/calendar/civil-day.js';
import { VIETNAM_CIVIL_SERVICE_CALENDAR } from '../../domain/calendar/vietnam-civil-service-calendar.js';
import { createLogger } from '../../platform/logger.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createCalendarRolloutActivities, type RolloutPageResult } from '../../activities/calendar-rollout.js';
import { startPendingRollouts } from '../../api/commands/load-calendar-amendment.js';
import { pinAcceptance } from '../../api/commands/pin-acceptance.js';
import { storeCalendarAmendment } from '../../db/calendar-amendments.js';
import { receptionLocality } from '../../db/dossier-log-facts.js';
import { calendarAmendmentSchema } from '../../domain/calendar/calendar-schemas.js';
import { calendarRolloutWorkflowId } from '../../workflows/calendar-rollout.js';
import { dossierCommandUpdate, dossierWorkflowId } from '../../workflows/dossier.js';
import { actor, completeComponents, LAND_PROCEDURE } from '../support/dossier-fixtures.js';
import { swapAmendmentFromToday } from '../support/swap-amendment.js';
import { authAs, getJson, postCommand, postJson, receptionBody, startTestEngine, testDatabase, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
let databaseName: string;
const admin = actor('admin', '000.00.00.H99', 'quantri.lich');
const auditor = actor('auditor', '000.00.00.H99', 'kiemtoan.lich');
// A centre of its own: the dossier codes, and so the workflow ids in the shared Temporal, must not
// repeat those of the suite's database.
let centre: string;
let reception: ReturnType<typeof actor>;
/** The first test's open dossier, which adopts every amendment the later tests load. */
let open: string;

beforeAll(async () => {
  const suite = testDatabase(1);
  databaseName = `motcua_calendar_${randomBytes(4).toString('hex')}`;
  await sql.raw(`CREATE DATABASE ${databaseName}`).execute(suite);
  await suite.destroy();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${databaseName}`;
  const db = await connectAndMigrate({ connectionString: url.toString(), poolSize: 1, applicationName: 'motcua-test-calendar' }, createLogger({ level: 'warn' }));
  await loadCatalogue(db, readCatalogueFile(SAMPLE_CATALOGUE_FILE)).finally(() => db.destroy());
  // A loaded machine can hold a command past the default 20 s; the test is about the adoption, not that.
  engine = await startTestEngine({ name: 'calendar', databaseUrl: url.toString(), calendarRolloutSettleMs: 3_000, commandTimeoutMs: 60_000 });
  centre = await engine.newCentre();
  reception = actor('reception', centre, 'letan.lich');
});
afterAll(async () => {
  await engine?.close();
});

/** The amendment the test loads (test/support/swap-amendment.ts), `later` working days further on for another swap. */
function amendmentFromToday(later = 0) {
  return swapAmendmentFromToday({ sequence: 7, laterWorkingDays: later });
}

async function receivedLandDossier(): Promise<string> {
  const received = await postJson(`${engine.url}/dossiers`, receptionBody(centre, { procedureCode: LAND_PROCEDURE }), await authAs(reception));
  expect(received.status).toBe(201);
  return received.json.dossierCode as string;
}

async function acceptedLandDossier(): Promise<string> {
  const code = await receivedLandDossier();
  const accepted = await postCommand(`${engine.url}/dossiers/${code}/accept`, reception, { components: completeComponents(LAND_PROCEDURE) });
  expect(accepted.status).toBe(200);
  return code;
}

async function read(path: string) {
  return (await getJson(`${engine.url}${path}`, await authAs(auditor))).json;
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a calendar amendment loaded over the API', () => {
  it('is adopted by an open dossier, whose due date moves; a dossier accepted afterwards pins it', async () => {
    open = await acceptedLandDossier();
    const before = await read(`/dossiers/${open}`);
    expect(before.calendarVersion).toBe('2025.2');
    const amendment = amendmentFromToday();
    // A dossier whose acceptance read the calendar just before the amendment was stored, and
    // commits just after: it pinned the old calendar, and the roll-out must still reach it.
    const racing = await receivedLandDossier();
    // The reception's locality, as the API pins it (the procedure's roles resolve per locality).
    const pinned = await pinAcceptance(engine.db, { procedureCode: LAND_PROCEDURE, receivingAgencyCode: centre, localityCode: await receptionLocality(engine.db, racing) }, new Date());
    if (!pinned || 'refused' in pinned) throw new Error(`procedure ${LAND_PROCEDURE} cannot be pinned for ${centre}`);
    const oldPin = pinned;
    expect(oldPin).not.toHaveProperty('calendarAmendments');

    const loaded = await postJson(`${engine.url}/calendars/vn-civil-service/amendments`, amendment, await authAs(admin));
    expect(loaded.status).toBe(201);
    expect(loaded.json).toMatchObject({ version: amendment.version, stored: true });
    await engine.temporal.workflow.getHandle(dossierWorkflowId(racing)).executeUpdate(dossierCommandUpdate, {
      args: [{ type: 'AcceptDossier', commandId: `${racing}/accept`, actor: reception, dossierCode: racing, components: completeComponents(LAND_PROCEDURE), pinned: oldPin }],
      updateId: `${racing}/accept`,
    });

    const adopted = await until(async () => {
      const events = (await read(`/dossiers/${open}/events`)).events as { type: string; data: Record<string, unknown> }[];
      return events.find((event) => event.type === 'CalendarAmendmentAdopted');
    });
    expect(adopted.data).toMatchObject({ version: amendment.version, calendarId: 'vn-civil-service', changedDays: expect.arrayContaining([{ date: amendment.changes[0]!.schedule.daysOff[1]!.date, before: 'working', after: 'swapped' }]) });
    const after = await read(`/dossiers/${open}`);
    expect(after.calendarVersion).toBe(amendment.version);
    // One working day fewer before the due date: it moves one working day later.
    expect(Date.parse(after.due)).toBeGreaterThan(Date.parse(before.due));
    const explanation = await read(`/dossiers/${open}/due-explanation`);
    expect(explanation).toMatchObject({
      calendarVersion: `vn-civil-service@2025.2+${amendment.version}`,
      calendarAdoptions: [{ version: amendment.version, legalReference: 'Công văn thử nghiệm 7/VPCP-KGVX' }],
    });
    expect(Date.parse(explanation.calendarAdoptions[0].dueBefore)).toBe(Date.parse(before.due));
    expect(Date.parse(explanation.calendarAdoptions[0].dueAfter)).toBe(Date.parse(after.due));
    expect(explanation.summary).toContain(`Calendar amendment ${amendment.version}`);
    // Its history, with the adoption and the alerts it moved, is a replay fixture (workflow-replay.test.ts).
    const history = await engine.temporal.workflow.getHandle(dossierWorkflowId(open)).fetchHistory();
    expect(history.events?.length).toBeGreaterThan(0);
    if (process.env.RECORD_FIXTURES === '1') writeFileSync(new URL('../fixtures/histories/calendar-amendment-adopted.json', import.meta.url), `${JSON.stringify(history, null, 1)}\n`);

    const rollout = await until(async () => {
      const answer = await read('/calendars/vn-civil-service/amendments');
      if (!Array.isArray(answer.amendments)) throw new Error(`GET amendments answered ${JSON.stringify(answer)}`);
      const listed = answer.amendments as { version: string; rollout: { state: string; adopted: number } | null }[];
      const mine = listed.find((entry) => entry.version === amendment.version);
      return mine?.rollout?.state === 'done' ? mine.rollout : undefined;
    });
    // The open dossier, and the racing one on a later pass if the first had read its page already.
    expect(rollout.adopted).toBe(2);
    expect(await read(`/dossiers/${racing}`)).toMatchObject({ calendarVersion: amendment.version });

    const swappedDay = amendment.changes[0]!.schedule.daysOff[1]!.date;
    const table = await read(`/calendars/vn-civil-service/${swappedDay.slice(0, 4)}`);
    expect(table.calendarVersion).toBe(`vn-civil-service@${amendment.version}`);
    expect(table.days).toEqual(expect.arrayContaining([{ date: swappedDay, mark: expect.objectContaining({ kind: 'swapped', legalReference: 'Công văn thử nghiệm 7/VPCP-KGVX' }) }]));

    const later = await acceptedLandDossier();
    expect(await read(`/dossiers/${later}`)).toMatchObject({ calendarVersion: amendment.version });
    expect(((await read(`/dossiers/${later}/events`)).events as { type: string }[]).some((event) => event.type === 'CalendarAmendmentAdopted')).toBe(false);
    expect((await read(`/dossiers/${later}/due-explanation`)).days).toEqual(expect.arrayContaining([expect.objectContaining({ date: amendment.changes[0]!.schedule.daysOff[1]!.date, kind: 'skipped', reason: 'swapped' })]));
  });

  it('stores a version once: the same content again changes nothing, other content is refused', async () => {
    const amendment = { ...amendmentFromToday(), version: `${new Date().getFullYear()}.8` };
    const headers = await authAs(admin);
    const url = `${engine.url}/calendars/vn-civil-service/amendments`;
    expect((await postJson(url, amendment, headers)).status).toBe(201);
    expect(await postJson(url, amendment, headers)).toMatchObject({ status: 200, json: { stored: false } });
    const edited = await postJson(url, { ...amendment, reason: 'Edited afterwards.' }, headers);
    expect(edited).toMatchObject({ status: 422, json: { code: 'CALENDAR_AMENDMENT_REFUSED' } });
    expect(edited.json.detail).toContain('already stored with other content');
    // Its roll-out reaches the three dossiers of the first test, which adopt it and change nothing.
    const rollout = await until(async () => {
      const listed = (await read('/calendars/vn-civil-service/amendments')).amendments as { version: string; rollout: { state: string; adopted: number } | null }[];
      const mine = listed.find((entry) => entry.version === amendment.version);
      return mine?.rollout?.state === 'done' ? mine.rollout : undefined;
    });
    expect(rollout.adopted).toBe(3);

    // Posted again once finished, the roll-out runs again, finds nobody behind, and still reports
    // the three adoptions: they are counted from the event store, not from what this run saw.
    const again = await postJson(url, amendment, headers);
    expect(again).toMatchObject({ status: 200, json: { stored: false, rollout: expect.any(String) } });
    await engine.temporal.workflow.getHandle(again.json.rollout as string).result();
    const listed = (await read('/calendars/vn-civil-service/amendments')).amendments as { version: string; rollout: { state: string; adopted: number } }[];
    expect(listed.find((entry) => entry.version === amendment.version)?.rollout).toMatchObject({ state: 'done', adopted: 3 });
  });

  it('refuses an amendment that fails the sanity rules, and a caller who is not an admin', async () => {
    const amendment = amendmentFromToday();
    const schedule = amendment.changes[0]!.schedule;
    const weekdayMakeUp = { ...amendment, version: `${new Date().getFullYear()}.9`, changes: [{ ...amendment.changes[0]!, schedule: { ...schedule, makeUpWorkingDays: [{ date: schedule.daysOff[1]!.date, insteadOf: schedule.daysOff[1]!.date }] } }] };
    const refused = await postJson(`${engine.url}/calendars/vn-civil-service/amendments`, weekdayMakeUp, await authAs(admin));
    expect(refused).toMatchObject({ status: 422, json: { code: 'CALENDAR_AMENDMENT_REFUSED' } });
    expect(refused.json.detail).toContain('a make-up day must be a weekend day');
    // New Year 2026 is built in: posting it again changes nothing and rolls nothing out.
    const builtIn = await postJson(`${engine.url}/calendars/vn-civil-service/amendments`, VIETNAM_CIVIL_SERVICE_CALENDAR.amendments.find((known) => known.version === '2025.2'), await authAs(admin));
    expect(builtIn).toMatchObject({ status: 200, json: { version: '2025.2', stored: false, rollout: null } });
    const old = await postJson(`${engine.url}/calendars/vn-civil-service/amendments`, { ...amendment, version: '2025.1' }, await authAs(admin));
    expect(old).toMatchObject({ status: 422 });
    expect((await postJson(`${engine.url}/calendars/vn-civil-service/amendments`, amendment, await authAs(reception))).status).toBe(403);
  });
});

describe('versions a dossier has not followed yet', () => {
  it('are adopted in order: a dossier sent a version first adopts the stored ones before it', async () => {
    const year = new Date().getFullYear();
    const today = isoOfCivilDay(civilDayOfInstant(Date.now()));
    // Two amendments stored close together; the later one's roll-out reaches the dossiers first.
    const earlier = { ...amendmentFromToday(1), version: `${year}.10` };
    const later = {
      ...amendmentFromToday(),
      version: `${year}.11`,
      reason: 'Test: Victory Day of next year as decided.',
      changes: [{ type: 'official-schedule', schedule: { year: year + 1, holidayId: 'victory-day', daysOff: [{ date: `${year + 1}-04-30`, kind: 'holiday' }], makeUpWorkingDays: [] } }],
    };
    for (const amendment of [earlier, later]) {
      expect(await storeCalendarAmendment(engine.db, VIETNAM_CIVIL_SERVICE_CALENDAR, calendarAmendmentSchema.parse(amendment), 'test', today)).toMatchObject({ kind: 'stored' });
    }
    const activities = createCalendarRolloutActivities({ db: engine.db, temporal: engine.temporal });
    const page: RolloutPageResult = await new MockActivityEnvironment().run(activities.adoptCalendarAmendmentPage, { calendarId: 'vn-civil-service', version: later.version, afterCode: '', limit: 100, exclude: [] });
    expect(page.adopted).toBeGreaterThanOrEqual(1);
    const events = (await read(`/dossiers/${open}/events`)).events as { type: string; data: { version: string; changedDays: { date: string; after: string }[] } }[];
    const adoptions = events.filter((event) => event.type === 'CalendarAmendmentAdopted');
    expect(adoptions.map((event) => event.data.version)).toEqual([`${year}.7`, `${year}.8`, earlier.version, later.version]);
    const swapped = earlier.changes[0]!.schedule.daysOff[1]!.date;
    expect(adoptions[2]!.data.changedDays).toEqual(expect.arrayContaining([expect.objectContaining({ date: swapped, after: 'swapped' })]));
    expect((await read(`/dossiers/${open}/due-explanation`)).days).toEqual(expect.arrayContaining([expect.objectContaining({ date: swapped, kind: 'skipped', reason: 'swapped' })]));
  });

  it('include a version built into a later release: the worker rolls it out to dossiers accepted before it', async () => {
    // A dossier accepted under an older release, which knew the calendar only up to 2025.1.
    const code = await receivedLandDossier();
    const pinned = await pinAcceptance(engine.db, { procedureCode: LAND_PROCEDURE, receivingAgencyCode: centre, localityCode: await receptionLocality(engine.db, code) }, new Date());
    if (!pinned || 'refused' in pinned) throw new Error(`procedure ${LAND_PROCEDURE} cannot be pinned for ${centre}`);
    const { calendarAmendments: _stored, ...withoutStored } = pinned;
    await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).executeUpdate(dossierCommandUpdate, {
      args: [{ type: 'AcceptDossier', commandId: `${code}/accept`, actor: reception, dossierCode: code, components: completeComponents(LAND_PROCEDURE), pinned: { ...withoutStored, calendarVersion: '2025.1' } }],
      updateId: `${code}/accept`,
    });
    expect(await read(`/dossiers/${code}`)).toMatchObject({ calendarVersion: '2025.1' });

    const deps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, rolloutSettleMs: 1_000 };
    const started = await startPendingRollouts(deps);
    const newYear = calendarRolloutWorkflowId('vn-civil-service', '2025.2', engine.taskQueue);
    expect(started).toContain(newYear);
    await engine.temporal.workflow.getHandle(newYear).result();
    const events = (await read(`/dossiers/${code}/events`)).events as { type: string; data: { version: string } }[];
    expect(events.filter((event) => event.type === 'CalendarAmendmentAdopted').map((event) => event.data.version)).toContain('2025.2');
    const listed = (await read('/calendars/vn-civil-service/amendments')).builtInRollouts as { version: string; rollout: { state: string; adopted: number } }[];
    expect(listed.find((entry) => entry.version === '2025.2')?.rollout).toMatchObject({ state: 'done', adopted: 1 });
    // Once finished, a worker's next start leaves it alone.
    expect(await startPendingRollouts(deps)).not.toContain(newYear);
  });

  it('reach a dossier whose acceptance committed after the roll-out had ended: the worker’s check runs the latest roll-out again', async () => {
    const deps = { db: engine.db, temporal: engine.temporal, taskQueue: engine.taskQueue, rolloutSettleMs: 1_000 };
    // Every roll-out finished: the test's amendments reached every open dossier.
    for (const running of await startPendingRollouts(deps)) await engine.temporal.workflow.getHandle(running).result();
    expect(await startPendingRollouts(deps)).toEqual([]);
    // An acceptance pinned before the amendments were stored, held in Temporal past the roll-outs' end.
    const code = await receivedLandDossier();
    const pinned = await pinAcceptance(engine.db, { procedureCode: LAND_PROCEDURE, receivingAgencyCode: centre, localityCode: await receptionLocality(engine.db, code) }, new Date());
    if (!pinned || 'refused' in pinned) throw new Error(`procedure ${LAND_PROCEDURE} cannot be pinned for ${centre}`);
    const { calendarAmendments: _stored, ...beforeTheAmendments } = pinned;
    await engine.temporal.workflow.getHandle(dossierWorkflowId(code)).executeUpdate(dossierCommandUpdate, {
      args: [{ type: 'AcceptDossier', commandId: `${code}/accept`, actor: reception, dossierCode: code, components: completeComponents(LAND_PROCEDURE), pinned: { ...beforeTheAmendments, calendarVersion: '2025.2' } }],
      updateId: `${code}/accept`,
    });
    const year = new Date().getFullYear();
    const latest = calendarRolloutWorkflowId('vn-civil-service', `${year}.11`, engine.taskQueue);
    expect(await startPendingRollouts(deps)).toEqual([latest]);
    await engine.temporal.workflow.getHandle(latest).result();
    const events = (await read(`/dossiers/${code}/events`)).events as { type: string; data: { version: string } }[];
    expect(events.filter((event) => event.type === 'CalendarAmendmentAdopted').map((event) => event.data.version)).toEqual([`${year}.7`, `${year}.8`, `${year}.10`, `${year}.11`]);
    expect(await read(`/dossiers/${code}`)).toMatchObject({ calendarVersion: `${year}.11` });
  });
});
