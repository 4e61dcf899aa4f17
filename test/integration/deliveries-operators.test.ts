// The operators' side of the outbox on real PostgreSQL: the dead-letter list and its pages, a
// dossier's deliveries with their attempts, retry and close only from dead under the row's lock
// (and the lane woken, or left to the relay's sweep), who may do what, hostile keys and reasons,
// the CLI, and the dead-letter gauge read from the database. Deliveries and attempts are inserted
// as the relay and the lanes would write them; the dossiers are received for real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../api/app.js';
import { countDeadLetters, retryAllDead } from '../../db/outbox/operator-queries.js';
import type { Receiver } from '../../domain/outbox/deliveries.js';
import { createLogger } from '../../platform/logger.js';
import { runDeliveriesCli } from '../../worker/deliveries-commands.js';
import { actor } from '../support/dossier-fixtures.js';
import { authAs, CapturedLogs, postJson, receptionBody, startTestEngine, TEST_JWT_SECRET, TEST_LOOKUP_KEY, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
/** The API with a lane waker that records each wake (and fails when told to). */
let app: App;
const woken: string[] = [];
let wakeFails = false;
let centreA: string;
let centreB: string;
let dossierA: string;
let dossierA2: string;
let dossierB: string;
const headers: Record<'admin' | 'auditor' | 'headA' | 'headB' | 'reception', Record<string, string>> = { admin: {}, auditor: {}, headA: {}, headB: {}, reception: {} };

beforeAll(async () => {
  engine = await startTestEngine({ name: 'deliveries-ops' });
  centreA = await engine.newCentre();
  centreB = await engine.newCentre();
  const receive = async (centre: string) => {
    const created = await postJson(`${engine.url}/dossiers`, receptionBody(centre), await authAs(actor('reception', centre)));
    expect(created.status).toBe(201);
    return created.json.dossierCode as string;
  };
  [dossierA, dossierA2, dossierB] = [await receive(centreA), await receive(centreA), await receive(centreB)];
  app = await buildApp({
    db: engine.db,
    temporal: engine.temporal,
    taskQueue: engine.taskQueue,
    logger: createLogger({ level: 'info', destination: new CapturedLogs() }),
    auth: { secret: TEST_JWT_SECRET, audience: 'motcua' },
    lookupKey: TEST_LOOKUP_KEY,
    rateLimitPerMinute: 100_000,
    documents: { store: engine.documentStore, trustAnchorFiles: [] },
    temporalCodec: { codec: { encode: async (p) => p, decode: async (p) => p }, callers: 'readers' },
    deliveries: {
      wake: async (receiver, dossierCode) => {
        if (wakeFails) throw new Error('Temporal unreachable');
        woken.push(`${receiver}|${dossierCode}`);
      },
    },
  });
  await app.ready();
  headers.admin = await authAs(actor('admin', centreA, 'vanhanh.an'));
  headers.auditor = await authAs(actor('auditor', centreB, 'kiemtra.binh'));
  headers.headA = await authAs(actor('head', centreA, 'truong.a'));
  headers.headB = await authAs(actor('head', centreB, 'truong.b'));
  headers.reception = await authAs(actor('reception', centreA, 'letan.a'));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await engine?.close();
});

const seen = new Set<string>();
/** A delivery row as the relay plans it and a lane leaves it; a key not used before. */
async function insertDelivery(row: { receiver: Receiver; dossierCode: string; sequence: number; trigger?: string; state?: 'pending' | 'delivered' | 'dead' | 'closed'; deadAt?: string; dispatched?: boolean; attempts?: number }): Promise<string> {
  const trigger = row.trigger ?? (row.receiver === 'portal' ? 'status' : 'received');
  const key = `${row.receiver}/${row.dossierCode}/${row.sequence}/${trigger}`;
  expect(seen.has(key), key).toBe(false);
  seen.add(key);
  await engine.db
    .insertInto('deliveries')
    .values({
      key,
      receiver: row.receiver,
      dossier_code: row.dossierCode,
      sequence: row.sequence,
      event_type: 'DossierReceived',
      trigger,
      global_position: row.sequence,
      event_committed_at: '2026-12-04T01:00:00Z',
      dispatched_at: row.dispatched === false ? null : '2026-12-04T01:00:01Z',
      dead_at: row.state === 'dead' ? (row.deadAt ?? '2026-12-04T02:00:00Z') : null,
      attempts: row.attempts ?? 0,
      last_error: row.state === 'dead' ? 'HTTP 503 from the receiver' : null,
    })
    .execute();
  if (row.state && row.state !== 'pending') await engine.db.updateTable('deliveries').set({ state: row.state }).where('key', '=', key).execute();
  return key;
}

async function insertAttempt(key: string, attempt: number, outcome: 'delivered' | 'failed' | 'refused' | 'already-delivered', extra: { request?: unknown; response?: string; error?: string } = {}) {
  await engine.db
    .insertInto('delivery_attempts')
    .values({
      delivery_key: key,
      attempt,
      started_at: `2026-12-04T01:0${attempt}:00Z`,
      finished_at: `2026-12-04T01:0${attempt}:01Z`,
      outcome,
      request: extra.request === undefined ? null : JSON.stringify(extra.request),
      request_sha256: 'a'.repeat(64),
      response: extra.response ?? null,
      error: extra.error ?? null,
    })
    .execute();
}

const segment = (key: string) => encodeURIComponent(key);
async function get(url: string, who: Record<string, string>) {
  const response = await app.inject({ method: 'GET', url, headers: who });
  return { status: response.statusCode, json: response.json() };
}
async function post(url: string, who: Record<string, string>, payload?: object, extra: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url, headers: { ...who, ...extra }, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, json: response.json(), replayed: response.headers['idempotent-replayed'] };
}
const stateOf = async (key: string) => engine.db.selectFrom('deliveries').selectAll().where('key', '=', key).executeTakeFirstOrThrow();

describe('the dead-letter list', () => {
  it('lists dead letters oldest first, by agency, receiver and since, a page at a time, with counts and links', async () => {
    const keys = [];
    for (let i = 1; i <= 5; i += 1) keys.push(await insertDelivery({ receiver: i % 2 ? 'email' : 'sms', dossierCode: dossierA, sequence: 100 + i, state: 'dead', deadAt: `2026-12-04T0${i}:00:00Z` }));
    const otherAgency = await insertDelivery({ receiver: 'email', dossierCode: dossierB, sequence: 100, state: 'dead', deadAt: '2026-12-04T00:30:00Z' });
    await insertDelivery({ receiver: 'email', dossierCode: dossierA, sequence: 99, state: 'pending' });
    await insertDelivery({ receiver: 'email', dossierCode: dossierA, sequence: 98, state: 'delivered' });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/deliveries/dead-letters?agency=${centreA}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers.admin);
      expect(page.status).toBe(200);
      pages.push(page.json.items.map((item: { key: string }) => item.key));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(keys);

    const email = await get(`/deliveries/dead-letters?agency=${centreA}&receiver=email`, headers.auditor);
    expect(email.json.items.map((item: { key: string }) => item.key)).toEqual([keys[0], keys[2], keys[4]]);
    const since = await get(`/deliveries/dead-letters?agency=${centreA}&since=${encodeURIComponent('2026-12-04T10:30:00+07:00')}`, headers.admin);
    expect(since.json.items.map((item: { key: string }) => item.key)).toEqual([keys[3], keys[4]]);
    const b = await get(`/deliveries/dead-letters?agency=${centreB}`, headers.admin);
    expect(b.json.items).toHaveLength(1);
    expect(b.json.items[0]).toMatchObject({ key: otherAgency, agencyCode: centreB, dossierCode: dossierB, receiver: 'email', attempts: 0, lastError: 'HTTP 503 from the receiver', deadAt: '2026-12-04T00:30:00.000Z', links: { retry: `/deliveries/${segment(otherAgency)}/retry`, close: `/deliveries/${segment(otherAgency)}/close`, history: `/dossiers/${dossierB}/deliveries` } });
    expect(b.json.counts).toEqual(await countDeadLetters(engine.db));
    expect(b.json.counts.email).toBeGreaterThanOrEqual(4);
  });
});

describe("a dossier's deliveries", () => {
  it('says what was sent where and when, with the latest attempts, to admins, auditors and the heads of agencies that take part', async () => {
    const portal = await insertDelivery({ receiver: 'portal', dossierCode: dossierA2, sequence: 1, state: 'delivered', attempts: 3 });
    await insertAttempt(portal, 1, 'failed', { error: 'timeout after 30 s' });
    await insertAttempt(portal, 2, 'failed', { response: '<html>502</html>', error: 'HTTP 502' });
    await insertAttempt(portal, 3, 'delivered', { request: { MaHoSo: dossierA2, ChuHoSo: 'N*** T*** H***', SoDienThoai: '09******78' }, response: '{"error_code":"0"}' });
    const sms = await insertDelivery({ receiver: 'sms', dossierCode: dossierA2, sequence: 1, state: 'dead', attempts: 1 });
    await insertAttempt(sms, 1, 'refused', { error: 'brandname not registered' });

    const read = await get(`/dossiers/${dossierA2}/deliveries?attempts=2`, headers.headA);
    expect(read.status).toBe(200);
    expect(read.json.dossierCode).toBe(dossierA2);
    expect(read.json.items.map((item: { key: string }) => item.key)).toEqual([portal, sms]);
    const [first, second] = read.json.items;
    expect(first).toMatchObject({ receiver: 'portal', trigger: 'status', state: 'delivered', attempts: 3, eventCommittedAt: '2026-12-04T01:00:00.000Z' });
    expect(first.recentAttempts.map((attempt: { attempt: number }) => attempt.attempt)).toEqual([2, 3]);
    expect(first.recentAttempts[1]).toMatchObject({ outcome: 'delivered', request: { MaHoSo: dossierA2, SoDienThoai: '09******78' }, requestSha256: 'a'.repeat(64), response: '{"error_code":"0"}', error: null });
    expect(second).toMatchObject({ receiver: 'sms', state: 'dead', recentAttempts: [{ attempt: 1, outcome: 'refused', error: 'brandname not registered' }] });

    expect((await get(`/dossiers/${dossierA2}/deliveries?receiver=sms`, headers.auditor)).json.items).toHaveLength(1);
    const paged = await get(`/dossiers/${dossierA2}/deliveries?limit=1`, headers.admin);
    expect(paged.json.items.map((item: { key: string }) => item.key)).toEqual([portal]);
    expect((await get(`/dossiers/${dossierA2}/deliveries?limit=1&cursor=${paged.json.nextCursor}`, headers.admin)).json).toMatchObject({ items: [{ key: sms }], nextCursor: null });

    expect((await get(`/dossiers/${dossierA2}/deliveries`, headers.headB)).status).toBe(403);
    expect((await get(`/dossiers/${dossierA2}/deliveries`, headers.reception)).status).toBe(403);
    expect((await get(`/dossiers/${centreA}-261231-9999/deliveries`, headers.admin)).status).toBe(404);
    expect((await get(`/dossiers/${centreA}-261231-9999/deliveries`, headers.headA)).status).toBe(404);
    // A dossier with nothing planned yet: known, no deliveries.
    expect((await get(`/dossiers/${dossierB}/deliveries?receiver=zalo`, headers.headB)).json).toEqual({ dossierCode: dossierB, items: [], nextCursor: null });
  });
});

describe('retry and close', () => {
  it('retries a dead letter once: dead → pending, undispatched, its lane woken; then a conflict', async () => {
    const key = await insertDelivery({ receiver: 'zalo', dossierCode: dossierA, sequence: 3, state: 'dead', attempts: 7 });
    const retried = await post(`/deliveries/${segment(key)}/retry`, headers.admin);
    expect(retried.status).toBe(200);
    expect(retried.json).toMatchObject({ key, receiver: 'zalo', dossierCode: dossierA, state: 'pending', lane: 'woken' });
    expect(woken).toContain(`zalo|${dossierA}`);
    expect(await stateOf(key)).toMatchObject({ state: 'pending', dispatched_at: null, attempts: 7 });
    const again = await post(`/deliveries/${segment(key)}/retry`, headers.admin);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'DELIVERY_NOT_DEAD', type: 'urn:motcua:problem:delivery-not-dead' });
    expect(again.json.detail).toContain('is pending, not dead');
  });

  it('closes a dead letter with who and why, and undispatches the next delivery of its lane', async () => {
    const dead = await insertDelivery({ receiver: 'portal', dossierCode: dossierA, sequence: 4, state: 'dead' });
    const next = await insertDelivery({ receiver: 'portal', dossierCode: dossierA, sequence: 5 });
    const later = await insertDelivery({ receiver: 'portal', dossierCode: dossierA, sequence: 6 });
    const reason = '  Cổng DVCQG đã có trạng thái này (đối soát TraCuuHoSo ngày 04/12).\nKhông gửi lại.  ';
    const closed = await post(`/deliveries/${segment(dead)}/close`, headers.admin, { reason });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ state: 'closed', lane: 'woken' });
    expect(await stateOf(dead)).toMatchObject({ state: 'closed', closed_by: 'vanhanh.an', closed_reason: reason.trim() });
    expect((await stateOf(dead)).closed_at).toBeInstanceOf(Date);
    expect((await stateOf(next)).dispatched_at).toBeNull();
    expect((await stateOf(later)).dispatched_at).not.toBeNull();
    expect((await post(`/deliveries/${segment(dead)}/close`, headers.admin, { reason: 'Đóng lần thứ hai cho chắc.' })).json.code).toBe('DELIVERY_NOT_DEAD');
    expect((await post(`/deliveries/${segment(next)}/close`, headers.admin, { reason: 'Đang chờ gửi, không được đóng.' })).status).toBe(409);
    // The history shows the close.
    const history = await get(`/dossiers/${dossierA}/deliveries?receiver=portal`, headers.auditor);
    expect(history.json.items.find((item: { key: string }) => item.key === dead)).toMatchObject({ state: 'closed', closedBy: 'vanhanh.an', closedReason: reason.trim() });
  });

  it('refuses unknown, traversal-looking and malformed keys, and short, long or control-laden reasons, changing nothing', async () => {
    const key = await insertDelivery({ receiver: 'email', dossierCode: dossierA, sequence: 7, state: 'dead' });
    for (const hostile of ['portal/../../etc/passwd', `email/${dossierA}/7/received/..`, "portal/x'--", `email/${dossierA.toLowerCase()}/7/received`]) {
      const answer = await post(`/deliveries/${segment(hostile)}/retry`, headers.admin);
      expect(answer.status, hostile).toBe(404);
      expect(answer.json.code).toBe('DELIVERY_NOT_FOUND');
    }
    for (const hostile of ["portal/'; DROP TABLE deliveries; --", 'email/\u0000', `email/${'x'.repeat(400)}`]) {
      expect((await post(`/deliveries/${segment(hostile)}/retry`, headers.admin)).status, hostile).toBe(400);
    }
    for (const reason of ['too short', 'x'.repeat(501), 'Lý do có NUL \u0000 ở giữa câu', `Lý do có ký tự điều khiển \u001b[31m đỏ`, '          ']) {
      expect((await post(`/deliveries/${segment(key)}/close`, headers.admin, { reason })).status, JSON.stringify(reason)).toBe(400);
    }
    expect((await stateOf(key)).state).toBe('dead');
    // The longest reason is kept whole.
    expect((await post(`/deliveries/${segment(key)}/close`, headers.admin, { reason: 'đ'.repeat(500) })).status).toBe(200);
    expect((await stateOf(key)).closed_reason).toBe('đ'.repeat(500));
  });

  it('lets only admins act: auditors, heads and reception are refused and nothing changes', async () => {
    const key = await insertDelivery({ receiver: 'sms', dossierCode: dossierA, sequence: 8, state: 'dead' });
    for (const who of [headers.auditor, headers.headA, headers.reception]) {
      expect((await post(`/deliveries/${segment(key)}/retry`, who)).status).toBe(403);
      expect((await post(`/deliveries/${segment(key)}/close`, who, { reason: 'Không có quyền đóng thư này.' })).status).toBe(403);
      expect((await get('/deliveries/dead-letters', who)).status).toBe(who === headers.auditor ? 200 : 403);
    }
    expect((await stateOf(key)).state).toBe('dead');
  });

  it('acts once under concurrent retries, and replays a keyed retry', async () => {
    const key = await insertDelivery({ receiver: 'sms', dossierCode: dossierA, sequence: 9, state: 'dead' });
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(`/deliveries/${segment(key)}/retry`, headers.admin)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409]);

    const keyed = await insertDelivery({ receiver: 'sms', dossierCode: dossierA, sequence: 10, state: 'dead' });
    const first = await post(`/deliveries/${segment(keyed)}/retry`, headers.admin, undefined, { 'idempotency-key': 'retry-sms-10' });
    const replay = await post(`/deliveries/${segment(keyed)}/retry`, headers.admin, undefined, { 'idempotency-key': 'retry-sms-10' });
    expect(first.status).toBe(200);
    expect(replay).toMatchObject({ status: 200, replayed: 'true', json: first.json });
  });

  it('commits even when the lane cannot be woken, or without a waker: the relay sweep picks it up', async () => {
    const key = await insertDelivery({ receiver: 'email', dossierCode: dossierA2, sequence: 11, state: 'dead' });
    wakeFails = true;
    try {
      const answer = await post(`/deliveries/${segment(key)}/retry`, headers.admin);
      expect(answer.json).toMatchObject({ state: 'pending', lane: 'next-sweep' });
      expect(answer.json.detail).toContain('next sweep');
    } finally {
      wakeFails = false;
    }
    expect((await stateOf(key)).state).toBe('pending');
    // The engine's own app has no waker.
    const other = await insertDelivery({ receiver: 'email', dossierCode: dossierA2, sequence: 12, state: 'dead' });
    const response = await fetch(`${engine.url}/deliveries/${segment(other)}/retry`, { method: 'POST', headers: headers.admin });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'pending', lane: 'next-sweep' });
  });

  it('retries all dead letters of a receiver after an outage, bounded, oldest first, the lanes to wake once each', async () => {
    const sinceOutage = '2026-12-05T00:00:00Z';
    const keys = [];
    for (const [index, dossier] of [dossierA, dossierA2, dossierB, dossierB].entries()) keys.push(await insertDelivery({ receiver: 'zalo', dossierCode: dossier, sequence: 200 + index, state: 'dead', deadAt: `2026-12-05T0${index}:00:00Z` }));
    const first = await retryAllDead(engine.db, { receiver: 'zalo', since: sinceOutage, limit: 3 }, { userId: 'cli:test' });
    expect(first.retried).toBe(3);
    expect(first.lanes).toEqual([{ receiver: 'zalo', dossierCode: dossierA }, { receiver: 'zalo', dossierCode: dossierA2 }, { receiver: 'zalo', dossierCode: dossierB }]);
    expect(first.remaining).toBeGreaterThanOrEqual(1);
    expect(await Promise.all(keys.map(async (key) => (await stateOf(key)).state))).toEqual(['pending', 'pending', 'pending', 'dead']);
    const second = await retryAllDead(engine.db, { receiver: 'zalo', since: sinceOutage, agencyCode: centreB }, { userId: 'cli:test' });
    expect(second).toMatchObject({ retried: 1, lanes: [{ receiver: 'zalo', dossierCode: dossierB }] });

    // Over the API: the same, bounded, each lane woken once.
    const later = [];
    for (const [index, dossier] of [dossierA, dossierA, dossierB].entries()) later.push(await insertDelivery({ receiver: 'email', dossierCode: dossier, sequence: 500 + index, state: 'dead', deadAt: `2026-12-06T0${index}:00:00Z` }));
    woken.length = 0;
    const body = { receiver: 'email', since: '2026-12-06T00:00:00Z', limit: 2 };
    expect((await post('/deliveries/dead-letters/retry', headers.auditor, body)).status).toBe(403);
    expect((await post('/deliveries/dead-letters/retry', headers.admin, { ...body, limit: 100_000 })).status).toBe(400);
    const api = await post('/deliveries/dead-letters/retry', headers.admin, body);
    expect(api.status).toBe(200);
    expect(api.json).toMatchObject({ receiver: 'email', retried: 2, lanes: 1, woken: 1 });
    expect(woken).toEqual([`email|${dossierA}`]);
    expect((await stateOf(later[2]!)).state).toBe('dead');
    expect((await post('/deliveries/dead-letters/retry', headers.admin, body)).json).toMatchObject({ retried: 1, lanes: 1, woken: 1 });
    expect((await post('/deliveries/dead-letters/retry', headers.admin, body)).json).toMatchObject({ retried: 0, lanes: 0 });
  });
});

describe('the CLI', () => {
  it('lists, shows a history, retries and closes, and refuses what it cannot do with exit codes', async () => {
    const key = await insertDelivery({ receiver: 'sms', dossierCode: dossierB, sequence: 300, state: 'dead' });
    const lines: string[] = [];
    const errors: string[] = [];
    const run = (...args: string[]) => runDeliveriesCli(args, { db: engine.db, actor: { userId: 'cli:operator' }, out: (line) => lines.push(line), err: (line) => errors.push(line) });
    expect(await run('dead', '--receiver', 'sms', '--agency', centreB)).toBe(0);
    expect(lines.join('\n')).toContain(key);
    expect(await run('history', dossierB, '--receiver', 'sms')).toBe(0);
    expect(lines.at(-1)).toContain('dead');
    expect(await run('retry', key)).toBe(0);
    expect(lines.at(-1)).toContain("relay's dispatcher wakes the lane");
    expect(await run('retry', key)).toBe(1);
    expect(errors.at(-1)).toContain('not dead');
    await engine.db.updateTable('deliveries').set({ state: 'dead' }).where('key', '=', key).execute();
    expect(await run('close', key)).toBe(2);
    expect(await run('close', key, '--reason', 'ngắn')).toBe(2);
    expect(await run('close', key, '--reason', 'Thuê bao đã hủy; đã báo công dân qua điện thoại bàn.')).toBe(0);
    expect((await stateOf(key)).closed_by).toBe('cli:operator');
    expect(await run('retry', 'sms/nothing/1/received')).toBe(1);
    for (const bad of [['retry', '../../etc/passwd'], ['retry-all'], ['retry-all', '--receiver', 'fax'], ['history', 'not-a-code'], ['dead', '--since', 'yesterday'], ['dead', '--limit', '0'], ['frobnicate'], []]) {
      expect(await run(...bad), bad.join(' ')).toBe(2);
    }
    expect(await run('retry-all', '--receiver', 'sms', '--limit', '1')).toBe(0);
  });
});

describe('hostile queries on the lists', () => {
  it('answers edge instants and forged-but-well-formed cursors without a server error', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const url of [
      '/deliveries/dead-letters?since=0000-01-01T00:00:00Z',
      '/deliveries/dead-letters?since=9999-12-31T23:59:59.999Z',
      '/deliveries/dead-letters?since=1970-01-01T00:00:00%2B14:00',
      `/deliveries/dead-letters?cursor=${cursor(['0000-01-01T00:00:00Z', 'portal/x'])}`,
      `/deliveries/dead-letters?cursor=${cursor(['9999-12-31T23:59:59Z', `portal/${'z'.repeat(250)}`])}`,
      `/dossiers/${dossierA}/deliveries?cursor=${cursor([2 ** 53 - 1, 'portal/x'])}`,
      `/dossiers/${dossierA}/deliveries?cursor=${cursor([2 ** 31, 'portal/x'])}`,
      `/dossiers/${dossierA}/deliveries?cursor=${cursor([0, "portal/'--"])}`,
    ]) {
      const answer = await get(url, headers.admin);
      expect([200, 400], `${url}: ${JSON.stringify(answer.json)}`).toContain(answer.status);
    }
  });
});

describe('GET /metrics on the database', () => {
  it('reads the dead-letter gauge from the database at scrape time', async () => {
    await insertDelivery({ receiver: 'portal', dossierCode: dossierB, sequence: 400, state: 'dead' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const counts = await countDeadLetters(engine.db);
    for (const [receiver, count] of Object.entries(counts)) expect(response.body).toContain(`motcua_deliveries_dead_letters{receiver="${receiver}"} ${count}`);
    expect(counts.portal).toBeGreaterThanOrEqual(1);
    expect(response.body).not.toMatch(/motcua_metrics_collect_failures_total\{/);
  });
});
