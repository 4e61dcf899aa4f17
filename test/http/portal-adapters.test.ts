// Contract tests of the national portal's adapters (integrations/portal/) against a tiny portal in
// the test that checks the requests' shapes as the public client code sends them: generation A's
// session, dstcode, madonvi, TraCuuHoSo before the first push, isUpdating, progress after the
// push; generation B's themmoi → "đã tồn tại" → capnhat and progress in chunks of ten. The real
// doubles (doubles/portal-double-a.ts, -b.ts) replace this server once merged.
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { portalFileLink } from '../../api/portal-file-links.js';
import { deliveryKey } from '../../domain/outbox/deliveries.js';
import { createPortalChannel, PortalUnavailable, type PortalChannel } from '../../integrations/portal/create-portal-channel.js';
import { portalConfigSchema } from '../../integrations/portal/portal-config.js';
import type { DeliveredEvent, DeliveryContext } from '../../integrations/outbox/delivery-channel.js';
import { watchPlays } from '../support/delivered-events.js';
import { documentedLandDossier } from '../support/documented-dossier.js';

interface Seen {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

const PASSWORD = 'mật-khẩu-thử';
const DATE = /^\d{14}$/;
let portal: FastifyInstance;
let url: string;
const seen: Seen[] = [];
const held = new Map<string, string>();
/** The dossiers as the portal holds them: TraCuuHoSo answers them whole, the applicant's data with them. */
const heldDossiers = new Map<string, Record<string, any>>();
let sessions = new Set<string>();
let authCount = 0;
let fault: 'none' | '503' | 'slow' | 'html' | 'huge' = 'none';
let progressAnswer = 'Đồng bộ tiến trình thành công';

beforeAll(async () => {
  portal = Fastify();
  portal.addHook('onRequest', async (request, reply) => {
    if (fault === '503') return reply.code(503).send('Service Unavailable');
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 1500));
    if (fault === 'html') return reply.code(200).type('text/html').send('<html><body>Gateway Timeout</body></html>');
    if (fault === 'huge') return reply.code(500).type('text/plain').send('Lỗi\n'.repeat(5000));
  });
  portal.post('/a/auth', async (request) => {
    seen.push({ path: request.url, headers: request.headers, body: request.body });
    const { username, password } = request.body as { username?: string; password?: string };
    if (request.headers.dstcode !== 'H99' || username !== 'h99-motcua' || password !== PASSWORD) return { error_code: -1, message: 'Sai thông tin đăng nhập' };
    authCount += 1;
    const session = `phien-${authCount}`;
    sessions.add(session);
    return { session, error_code: 0 };
  });
  portal.post('/a/integration', async (request) => {
    const body = request.body as Record<string, any>;
    seen.push({ path: request.url, headers: request.headers, body });
    if (!sessions.has(body.session)) return { error_code: 1, message: 'Phiên làm việc đã hết hạn' };
    if (request.headers.dstcode !== 'H99' || typeof body.madonvi !== 'string') return { error_code: 2, message: 'Thiếu dstcode hoặc madonvi' };
    switch (body.service) {
      case 'TraCuuHoSo':
        return { error_code: 0, result: held.has(body.mahoso) ? [{ ...heldDossiers.get(body.mahoso), MaHoSo: body.mahoso, TrangThaiHoSo: held.get(body.mahoso) }] : [] };
      case 'DongBoHoSoMC': {
        const [dossier] = body.data as Record<string, any>[];
        if (body.data.length !== 1 || !DATE.test(dossier!.NgayNopHoSo) || !/^([1-9]|10)$/.test(dossier!.TrangThaiHoSo)) return { error_code: 3, message: 'Dữ liệu không hợp lệ' };
        if (body.isUpdating === 'False' && held.has(dossier!.MaHoSo)) return { error_code: -1, message: 'Hồ sơ đã tồn tại' };
        if (body.isUpdating === 'True' && !held.has(dossier!.MaHoSo)) return { error_code: 4, message: 'Hồ sơ không tồn tại' };
        held.set(dossier!.MaHoSo, dossier!.TrangThaiHoSo);
        heldDossiers.set(dossier!.MaHoSo, dossier!);
        return { error_code: '00', message: 'Thành công' };
      }
      case 'CapNhatTienDoHoSoMC': {
        const rows = body.data as Record<string, any>[];
        if (rows.length > 10 || rows.some((row) => !held.has(row.MaHoSo) || !DATE.test(row.ThoiDiemXuLy))) return { error_code: 5, message: 'Tiến độ không hợp lệ' };
        return { error_code: 0, message: 'Thành công' };
      }
      default:
        return { error_code: 9, message: 'Không có service' };
    }
  });
  portal.post('/b/hoso/themmoi', async (request) => {
    seen.push({ path: request.url, headers: request.headers, body: request.body });
    const [dossier] = request.body as Record<string, any>[];
    if (held.has(dossier!.MaHoSo)) return { error_code: '-3', message: 'Hồ sơ đã tồn tại' };
    held.set(dossier!.MaHoSo, dossier!.TrangThaiHoSo);
    return { error_code: '0', message: 'Thêm mới hồ sơ thành công' };
  });
  portal.post('/b/hoso/capnhat', async (request) => {
    seen.push({ path: request.url, headers: request.headers, body: request.body });
    const [dossier] = request.body as Record<string, any>[];
    held.set(dossier!.MaHoSo, dossier!.TrangThaiHoSo);
    return { error_code: '0', message: 'Cập nhật hồ sơ thành công' };
  });
  portal.post('/b/tientrinh', async (request, reply) => {
    seen.push({ path: request.url, headers: request.headers, body: request.body });
    if ((request.body as unknown[]).length > 10) return reply.code(400).type('text/plain').send('Quá 10 bản ghi');
    return reply.type('text/plain; charset=utf-8').send(progressAnswer);
  });
  url = await portal.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => portal.close());
afterEach(() => {
  vi.restoreAllMocks();
  seen.length = 0;
  held.clear();
  fault = 'none';
  progressAnswer = 'Đồng bộ tiến trình thành công';
});

const deps = { fileLink: (code: string, sha: string) => `${url}/files/${code}/${sha}?sig=secret`, logger: pino({ level: 'silent' }), env: { PORTAL_PASSWORD: PASSWORD, PORTAL_TOKEN: 'token-b' } };

function channelA(): PortalChannel {
  return createPortalChannel(portalConfigSchema.parse({ generation: 'A', adapterUrl: `${url}/a`, username: 'h99-motcua', password: 'env:PORTAL_PASSWORD', dstcode: 'H99', madonvi: { default: '000.00.00.H99' }, provinceIdentifier: 'H99', timeoutMs: 500 }), deps);
}
function channelB(extra: Record<string, unknown> = {}, lookUp?: (code: string) => Promise<{ status: number | null; raw: unknown }>): PortalChannel {
  return createPortalChannel(
    portalConfigSchema.parse({ generation: 'B', base: `${url}/b/`, URLThemMoi: 'hoso/themmoi', URLCapNhat: '/hoso/capnhat', URLDongBoTienTrinh: '/tientrinh', bearer: 'env:PORTAL_TOKEN', provinceIdentifier: 'H99', timeoutMs: 500, ...extra }),
    { ...deps, ...(lookUp ? { lookUp } : {}) },
  );
}

/** The land dossier's events, and a delivery of its event at `index` (from the end when negative). */
function land(serial = 7001): { readonly code: string; readonly events: DeliveredEvent[]; readonly at: (index: number, trigger?: 'status' | 'resync') => DeliveryContext } {
  const plays = watchPlays();
  const dossier = documentedLandDossier(serial);
  const events = plays.delivered(dossier);
  return {
    code: dossier.dossierCode,
    events,
    at(index, trigger = 'status') {
      const upTo = events.slice(0, index < 0 ? events.length + index + 1 : index + 1);
      const sequence = upTo.at(-1)!.version;
      return { key: deliveryKey('portal', dossier.dossierCode, sequence, trigger), receiver: 'portal', trigger, dossierCode: dossier.dossierCode, sequence, attempt: 1, events: upTo };
    },
  };
}

describe('generation A', () => {
  it('authenticates, looks the dossier up, pushes it as new, then its progress; every call with dstcode, madonvi and the Idempotency-Key; the record holds no session, password or personal data', async () => {
    const channel = channelA();
    const dossier = land(7101);
    const result = await channel.deliver(dossier.at(0));
    expect(result.outcome).toBe('delivered');
    expect(seen.map((call) => call.body.service ?? 'auth')).toEqual(['auth', 'TraCuuHoSo', 'DongBoHoSoMC', 'CapNhatTienDoHoSoMC']);
    const [, lookUp, push, progress] = seen;
    expect(lookUp!.body).toMatchObject({ session: 'phien-1', madonvi: '000.00.00.H99', mahoso: dossier.code });
    expect(push!.body).toMatchObject({ isUpdating: 'False', data: [{ MaHoSo: dossier.code, TrangThaiHoSo: '1' }] });
    expect(progress!.body.data).toHaveLength(1);
    for (const call of seen.slice(1)) expect(call.headers['idempotency-key']).toBe(dossier.at(0).key);
    if (result.outcome !== 'delivered') throw new Error('unreachable');
    const recorded = JSON.stringify(result.exchange.request);
    for (const secret of ['phien-1', PASSWORD, 'Trần Thị Bình', '038190001234', 'sig=secret']) expect(recorded).not.toContain(secret);
    expect(result.exchange.request).toMatchObject({ generation: 'A', statusMap: 'tt22-2019' });
    expect(result.exchange.requestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.exchange.response).not.toContain('phien-1');
  });

  it("the record keeps no live file link: the engine's links carry their signed token as the last path segment, and it is masked like a query", async () => {
    const key = 'k'.repeat(40);
    const channel = createPortalChannel(
      portalConfigSchema.parse({ generation: 'A', adapterUrl: `${url}/a`, username: 'h99-motcua', password: 'env:PORTAL_PASSWORD', dstcode: 'H99', madonvi: { default: '000.00.00.H99' }, provinceIdentifier: 'H99', timeoutMs: 500 }),
      { ...deps, fileLink: (code: string, sha: string) => portalFileLink(url, key, code, sha, new Date(Date.now() + 3_600_000)) },
    );
    const result = await channel.deliver(land(7109).at(-1));
    if (result.outcome !== 'delivered') throw new Error(`not delivered: ${JSON.stringify(result)}`);
    const push = seen.find((call) => call.body.service === 'DongBoHoSoMC')!;
    const links = (push.body.data[0].TaiLieuNop as { DuongDanTaiTepTin: string }[]).map((file) => file.DuongDanTaiTepTin);
    expect(links.length).toBeGreaterThan(0);
    const recorded = JSON.stringify(result.exchange.request);
    for (const link of links) {
      const token = link.slice(link.lastIndexOf('/') + 1);
      expect(token).toMatch(/^v1\./);
      expect(recorded).not.toContain(token);
      expect(recorded).toContain(`${link.slice(0, link.lastIndexOf('/') + 1)}***`);
    }
  });

  it('remembers the session and that the portal holds the dossier: the next delivery is an update, without a look-up or a new session', async () => {
    const channel = channelA();
    const dossier = land(7102);
    await channel.deliver(dossier.at(0));
    const before = authCount;
    seen.length = 0;
    expect((await channel.deliver(dossier.at(1))).outcome).toBe('delivered');
    expect(authCount).toBe(before);
    expect(seen.map((call) => call.body.service)).toEqual(['DongBoHoSoMC', 'CapNhatTienDoHoSoMC']);
    expect(seen[0]!.body.isUpdating).toBe('True');
  });

  it('lanes that start together share one authentication', async () => {
    const channel = channelA();
    const before = authCount;
    const results = await Promise.all([land(7106), land(7107), land(7108)].map((dossier) => channel.deliver(dossier.at(0))));
    expect(results.map((result) => result.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(authCount).toBe(before + 1);
  });

  it('authenticates again once when the portal says the session expired', async () => {
    const channel = channelA();
    const dossier = land(7103);
    await channel.deliver(dossier.at(0));
    sessions = new Set();
    seen.length = 0;
    expect((await channel.deliver(dossier.at(-1))).outcome).toBe('delivered');
    expect(seen.map((call) => call.body.service ?? 'auth')).toEqual(['DongBoHoSoMC', 'auth', 'DongBoHoSoMC', 'CapNhatTienDoHoSoMC']);
  });

  it('a new process asks TraCuuHoSo and updates a dossier the portal holds; lookUp gives the status it holds', async () => {
    const dossier = land(7104);
    await channelA().deliver(dossier.at(0));
    seen.length = 0;
    const fresh = channelA();
    const result = await fresh.deliver(dossier.at(-1));
    expect(result.outcome).toBe('delivered');
    // The portal's answer to TraCuuHoSo is the dossier it holds, the applicant's name and number with it: not recorded.
    expect(JSON.stringify(heldDossiers.get(dossier.code))).toContain('038190001234');
    if (result.outcome !== 'delivered') throw new Error('unreachable');
    for (const personal of ['Trần Thị Bình', '038190001234']) expect(result.exchange.response).not.toContain(personal);
    expect(result.exchange.response).toContain('TraCuuHoSo: HTTP 200');
    expect(seen.filter((call) => call.body.service).map((call) => [call.body.service, call.body.isUpdating])).toEqual([['TraCuuHoSo', undefined], ['DongBoHoSoMC', 'True'], ['CapNhatTienDoHoSoMC', undefined]]);
    expect(await channelA().lookUp(dossier.code)).toMatchObject({ status: 9 });
    expect(await channelA().lookUp(`000.01.01.H99-260302-9999`)).toEqual({ status: null, raw: [] });
  });

  it('a 5xx and a slow portal are retryable failures; wrong credentials are refused at once', async () => {
    const dossier = land(7105);
    fault = '503';
    expect(await channelA().deliver(dossier.at(0))).toMatchObject({ outcome: 'failed', retryable: true });
    fault = 'slow';
    expect(await channelA().deliver(dossier.at(0))).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringContaining('no answer within 500 ms') });
    fault = 'none';
    const wrong = createPortalChannel(portalConfigSchema.parse({ generation: 'A', adapterUrl: `${url}/a`, username: 'h99-motcua', password: 'env:WRONG', dstcode: 'H99', madonvi: { default: 'X' }, provinceIdentifier: 'H99' }), { ...deps, env: { WRONG: 'sai' } });
    expect(await wrong.deliver(dossier.at(0))).toMatchObject({ outcome: 'failed', retryable: false, reason: expect.stringContaining('Sai thông tin đăng nhập') });
    await expect(channelA().lookUp(dossier.code)).resolves.toMatchObject({ status: null });
  });
});

describe('generation B', () => {
  it('creates with themmoi, then on "đã tồn tại" updates with capnhat; the bearer token and the Idempotency-Key go with every call', async () => {
    const channel = channelB();
    const dossier = land(7201);
    expect((await channel.deliver(dossier.at(0))).outcome).toBe('delivered');
    expect((await channel.deliver(dossier.at(1))).outcome).toBe('delivered');
    expect(seen.map((call) => call.path)).toEqual(['/b/hoso/themmoi', '/b/tientrinh', '/b/hoso/themmoi', '/b/hoso/capnhat', '/b/tientrinh']);
    for (const call of seen) expect(call.headers.authorization).toBe('Bearer token-b');
    expect(seen[0]!.headers['idempotency-key']).toBe(dossier.at(0).key);
    expect(seen[3]!.headers['idempotency-key']).toBe(dossier.at(1).key);
    expect(Array.isArray(seen[0]!.body)).toBe(true);
  });

  it('a resync sends the whole progress log in chunks of at most ten', async () => {
    const dossier = land(7202);
    const result = await channelB().deliver(dossier.at(-1, 'resync'));
    expect(result.outcome).toBe('delivered');
    const chunks = seen.filter((call) => call.path === '/b/tientrinh').map((call) => (call.body as unknown[]).length);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(10);
    expect(chunks.slice(0, -1).every((size) => size === 10)).toBe(true);
  });

  it('refuses, without calling, a dossier code outside the province', async () => {
    const dossier = land(7203);
    const result = await channelB({ provinceIdentifier: 'H56' }).deliver(dossier.at(0));
    expect(result).toMatchObject({ outcome: 'failed', retryable: false, reason: expect.stringContaining('province H56') });
    expect(seen).toEqual([]);
  });

  it('an HTML page is retried, a progress answer without "thành công" is refused with its text, and a huge answer is recorded cut to 4 KiB', async () => {
    const dossier = land(7204);
    fault = 'html';
    expect(await channelB().deliver(dossier.at(0))).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringContaining('HTML') });
    fault = 'huge';
    const huge = await channelB().deliver(dossier.at(0));
    expect(huge).toMatchObject({ outcome: 'failed', retryable: true });
    if (huge.outcome !== 'failed') throw new Error('unreachable');
    expect(huge.exchange!.response.length).toBeLessThan(4200);
    fault = 'none';
    progressAnswer = 'Không thành công: thiếu ThoiDiemXuLy';
    expect(await channelB().deliver(dossier.at(0))).toMatchObject({ outcome: 'failed', retryable: false, reason: expect.stringContaining('thiếu ThoiDiemXuLy') });
  });

  it('a secret reference that names nothing stops the channel from being made, naming the setting', () => {
    expect(() => channelB({ bearer: 'env:MISSING_PORTAL_TOKEN' })).toThrow(/portal\.bearer: the environment variable MISSING_PORTAL_TOKEN is not set/);
  });

  it('has no look-up of its own: the reconciliation’s capability is used when given', async () => {
    await expect(channelB().lookUp('x')).rejects.toBeInstanceOf(PortalUnavailable);
    await expect(channelB({}, async () => ({ status: 4, raw: {} })).lookUp('x')).resolves.toEqual({ status: 4, raw: {} });
  });
});
