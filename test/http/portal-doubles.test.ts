// The national portal's doubles (doubles/portal-double-a.ts, doubles/portal-double-b.ts) over real
// loopback sockets: they refuse what breaks the contract (session, dstcode, madonvi, strings only,
// dates, status codes, the unit's prefix, the fields a status needs, progress times, the chunk
// limit), answer a second create as the portal does ("đã tồn tại"), act once per delivery key,
// fetch every file link (B), and suffer each fault on demand.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPortalDoubleA } from '../../doubles/portal-double-a.js';
import { startPortalDoubleB } from '../../doubles/portal-double-b.js';
import { isPortalDate, parseDeliveryKey, type PortalDouble } from '../../doubles/portal-double-contract.js';

const UNIT = '000.01.01.H99';
let serial = 0;
const nextCode = () => `${UNIT}-261202-${String(++serial).padStart(4, '0')}`;
const keyOf = (code: string, sequence: number, trigger = 'status') => `portal/${code}/${sequence}/${trigger}`;

function dossier(code: string, status = '2', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: code,
    MaTTHC: '1.004227',
    TenTTHC: 'Đăng ký khai sinh',
    TrangThaiHoSo: status,
    KenhThucHien: '1',
    ChuHoSo: 'Nguyễn Văn An',
    NgayNopHoSo: '20261202083000',
    NgayTiepNhan: '20261202090000',
    NgayHenTra: '20261209170000',
    ...extra,
  };
}

const row = (code: string, extra: Record<string, unknown> = {}) => ({ MaHoSo: code, NguoiXuLy: 'Trần Thị Bình', ChucDanh: 'Chuyên viên', ThoiDiemXuLy: '20261202091000', PhongBanXuLy: 'Bộ phận một cửa', NoiDungXuLy: 'Tiếp nhận hồ sơ', TrangThai: '2', ...extra });

describe('delivery keys and dates', () => {
  it('reads the dossier and sequence from a delivery key, and nothing from others', () => {
    expect(parseDeliveryKey('portal/000.01.01.H99-261202-0001/7/status')).toMatchObject({ dossierCode: '000.01.01.H99-261202-0001', sequence: 7, trigger: 'status' });
    expect(parseDeliveryKey('portal/000.01.01.H99-261202-0001/7/resync/2026-12-02')).toMatchObject({ sequence: 7, trigger: 'resync' });
    for (const bad of ['', 'portal', 'portal/x/0/status', 'portal/x/-1/status', 'portal//1/status', 'portal/x/1/', 'a/b/1/c/d/e', `portal/x/1/${'s'.repeat(600)}`]) expect(parseDeliveryKey(bad), bad).toBeNull();
  });

  it('takes real yyyyMMddHHmmss instants only', () => {
    expect(isPortalDate('20240229235959')).toBe(true);
    for (const bad of ['20230229000000', '20261301000000', '20261202240000', '2026120209000', '2026-12-02T09', 20261202090000, '２０２６１２０２０９００００']) expect(isPortalDate(bad), String(bad)).toBe(false);
  });
});

describe('generation A', () => {
  let portal: PortalDouble;
  let session: string;
  beforeAll(async () => {
    portal = await startPortalDoubleA({ unitIdentifier: UNIT, madonvi: '000.01.01.H99', dstcode: 'DST' });
  });
  afterAll(() => portal.close());

  const auth = async (body: unknown = { username: 'motcua', password: 'motcua-portal-a' }, dstcode = 'DST') =>
    (await (await fetch(`${portal.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  const call = async (body: Record<string, unknown>, key?: string, options: { dstcode?: string; session?: string | null } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', dstcode: options.dstcode ?? 'DST', ...(key ? { 'idempotency-key': key } : {}) };
    const full = { ...(options.session === null ? {} : { session: options.session ?? session }), madonvi: '000.01.01.H99', ...body };
    return (await (await fetch(`${portal.url}/integration`, { method: 'POST', headers, body: JSON.stringify(full) })).json()) as Record<string, unknown>;
  };
  const push = (data: unknown[], isUpdating: 'True' | 'False', key?: string) => call({ service: 'DongBoHoSoMC', isUpdating, data }, key);

  beforeEach(async () => {
    portal.fail({ mode: 'none' });
    const answer = await auth();
    session = answer.session as string;
  });

  it('logs in with the account and dstcode only, and sessions expire', async () => {
    expect(await auth()).toMatchObject({ error_code: 0, session: expect.any(String) });
    expect(await auth({ username: 'motcua', password: 'wrong' })).toEqual({ error_code: '-1', message: 'Sai tên đăng nhập hoặc mật khẩu' });
    expect(await auth(undefined, 'OTHER')).toMatchObject({ error_code: '-1' });
    expect((await auth({ username: 'motcua', password: 'wrong' })).session).toBeUndefined();
    expect(await call({ service: 'TraCuuHoSo', mahoso: nextCode() })).toEqual({ error_code: '0', result: [] });
    portal.expireSessions();
    expect(await call({ service: 'TraCuuHoSo', mahoso: nextCode() })).toEqual({ error_code: '-1', message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' });
    expect(await call({ service: 'TraCuuHoSo', mahoso: nextCode() }, undefined, { session: null })).toMatchObject({ error_code: '-1' });
  });

  it('expires a session after its time to live', async () => {
    const short = await startPortalDoubleA({ unitIdentifier: UNIT, sessionTtlMs: 1 });
    try {
      const login = (await (await fetch(`${short.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DVCQG' }, body: JSON.stringify({ username: 'motcua', password: 'motcua-portal-a' }) })).json()) as { session: string };
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await (await fetch(`${short.url}/integration`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DVCQG' }, body: JSON.stringify({ session: login.session, madonvi: 'x', service: 'TraCuuHoSo', mahoso: 'x' }) })).json();
      expect(answer).toMatchObject({ error_code: '-1', message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' });
    } finally {
      await short.close();
    }
  });

  it('refuses what breaks the contract, naming the field', async () => {
    const code = nextCode();
    expect(await call({ service: 'TraCuuHoSo', mahoso: code }, undefined, { dstcode: '' })).toMatchObject({ error_code: '-1', message: 'Thiếu hoặc sai header dstcode' });
    expect(await call({ service: 'TraCuuHoSo', mahoso: code, madonvi: '' })).toMatchObject({ message: 'Thiếu tham số madonvi' });
    expect(await call({ service: 'TraCuuHoSo', mahoso: code, madonvi: 'OTHER' })).toMatchObject({ error_code: '-1' });
    expect(await call({ service: 'LayGiDo' })).toMatchObject({ message: 'Không hỗ trợ service LayGiDo' });
    const refusals: [unknown[], string][] = [
      [[dossier(code, '2', { KenhThucHien: 1 })], 'Trường KenhThucHien phải là chuỗi'],
      [[dossier(code, '2', { TaiLieuNop: [{ TepDinhKemId: 1 }] })], 'TaiLieuNop[0].TepDinhKemId phải là chuỗi'],
      [[dossier(code, '2', { NgayTiepNhan: '2026-12-02 09:00' })], 'NgayTiepNhan không đúng định dạng yyyyMMddHHmmss'],
      [[dossier(code, '2', { NgayHenTra: '20261231250000' })], 'NgayHenTra không đúng định dạng'],
      [[dossier(code, '11')], 'TrangThaiHoSo phải là mã từ 1 đến 10'],
      [[dossier(code, '0')], 'TrangThaiHoSo phải là mã từ 1 đến 10'],
      [[dossier('000.01.02.H98-261202-0001')], 'MaHoSo không bắt đầu bằng mã định danh đơn vị'],
      [[dossier(code, '2', { NgayTiepNhan: undefined })], 'Thiếu trường NgayTiepNhan (bắt buộc với TrangThaiHoSo 2)'],
      [[dossier(code, '10', { NgayKetThucXuLy: '20261203100000' })], 'Thiếu trường NgayTra'],
      [[dossier(code, '2', { MaTTHC: '' })], 'Thiếu trường bắt buộc MaTTHC'],
      [[dossier(code, '2', { KenhThucHien: '4' })], 'KenhThucHien phải là'],
      [[dossier(code, '2', { DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy khai sinh' }] })], 'DanhSachGiayToKetQua[0]: thiếu trường DuongDanTepTinKetQua'],
      [['text'], 'mỗi phần tử phải là một đối tượng'],
      [[], 'Thiếu tham số data'],
    ];
    for (const [data, message] of refusals) {
      const answer = await push(data, 'False', keyOf(code, 1));
      expect(answer.error_code, message).toBe('-1');
      expect(String(answer.message), message).toContain(message);
    }
    expect(await call({ service: 'DongBoHoSoMC', isUpdating: false, data: [dossier(code)] })).toMatchObject({ message: 'isUpdating phải là "True" hoặc "False"' });
    expect(await push([dossier(code)], 'False', 'not-a-delivery-key')).toMatchObject({ error_code: '-1' });
    expect(await push([dossier(code)], 'False', keyOf(nextCode(), 1))).toMatchObject({ message: 'MaHoSo không khớp với hồ sơ của Idempotency-Key' });
    // Status 1 needs no acceptance; 5 and 7 happen before it too.
    expect(await push([dossier(code, '1', { NgayTiepNhan: undefined, NgayHenTra: undefined })], 'False', keyOf(code, 1))).toEqual({ error_code: '0', message: 'Đồng bộ thành công' });
    expect(portal.dossier(code)?.status).toBe(1);
    expect(portal.receipts().filter((receipt) => receipt.dossierCode === code)).toEqual([expect.objectContaining({ key: keyOf(code, 1), sequence: 1, detail: { status: 1, operation: 'DongBoHoSoMC' } })]);
  });

  it('holds dossiers, answers a second create as a duplicate, updates, takes progress, looks up', async () => {
    const code = nextCode();
    expect(await push([dossier(code, '2')], 'True', keyOf(code, 2))).toMatchObject({ error_code: '-1', message: expect.stringContaining('chưa tồn tại') });
    expect(await push([dossier(code, '2')], 'False', keyOf(code, 2))).toMatchObject({ error_code: '0' });
    expect(await push([dossier(code, '4')], 'False', keyOf(code, 3))).toEqual({ error_code: '-3', message: `Hồ sơ ${code} đã tồn tại` });
    expect(await push([dossier(code, '4')], 'True', keyOf(code, 3))).toMatchObject({ error_code: '0' });
    const progress = (data: unknown[], key?: string) => call({ service: 'CapNhatTienDoHoSoMC', data }, key);
    expect(await progress([row(code, { ThoiDiemXuLy: '' })], keyOf(code, 3))).toMatchObject({ message: 'data[0]: Thiếu trường bắt buộc ThoiDiemXuLy' });
    expect(await progress([row(code, { ThoiDiemXuLy: '20261202' })], keyOf(code, 3))).toMatchObject({ error_code: '-1' });
    expect(await progress([row(code, { NguoiXuLy: 'x'.repeat(51) })], keyOf(code, 3))).toMatchObject({ error_code: '-1' });
    expect(await progress([row(code, { TrangThai: '' })], keyOf(code, 3))).toMatchObject({ error_code: '-1' });
    expect(await progress([row(nextCode())])).toMatchObject({ message: expect.stringContaining('chưa được đồng bộ') });
    expect(await progress([row(code), row(code, { ThoiDiemXuLy: '20261202100000', TrangThai: '4', NoiDungXuLy: 'Chuyển xử lý' })], keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(portal.dossier(code)).toMatchObject({ status: 4, history: [expect.objectContaining({ status: 2, sequence: 2 }), expect.objectContaining({ status: 4, sequence: 3 })] });
    expect(portal.dossier(code)!.progress).toHaveLength(2);
    const looked = await call({ service: 'TraCuuHoSo', mahoso: code });
    expect(looked).toMatchObject({ error_code: '0', result: [expect.objectContaining({ MaHoSo: code, TrangThaiHoSo: '4' })] });
    expect(await call({ service: 'TraCuuHoSo' })).toMatchObject({ message: 'Thiếu tham số mahoso' });
    const inspected = (await (await fetch(`${portal.url}/__inspect`)).json()) as { requests: { operation: string; body: Record<string, unknown> }[]; dossiers: { code: string; history: unknown[] }[] };
    expect(inspected.dossiers.find((held) => held.code === code)?.history).toHaveLength(2);
    expect(inspected.requests.every((request) => !('session' in request.body))).toBe(true);
  });

  it('acts once per delivery key: a resend is a duplicate, counted, not acted on', async () => {
    const code = nextCode();
    expect(await push([dossier(code, '2')], 'False', keyOf(code, 2))).toMatchObject({ error_code: '0' });
    // A resend of the create: the portal holds it, so "đã tồn tại"; not acted on again.
    expect(await push([dossier(code, '2')], 'False', keyOf(code, 2))).toMatchObject({ error_code: '-3' });
    expect(await push([dossier(code, '4')], 'True', keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(await push([dossier(code, '4')], 'True', keyOf(code, 3))).toEqual({ error_code: '0', message: 'Đồng bộ thành công' });
    expect(await call({ service: 'CapNhatTienDoHoSoMC', data: [row(code)] }, keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(await call({ service: 'CapNhatTienDoHoSoMC', data: [row(code)] }, keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(portal.dossier(code)!.history).toHaveLength(2);
    expect(portal.dossier(code)!.progress).toHaveLength(1);
    const mine = portal.receipts().filter((receipt) => receipt.dossierCode === code);
    expect(mine.map((receipt) => receipt.key)).toEqual([keyOf(code, 2), keyOf(code, 3)]);
    const summary = portal.summary();
    expect(summary.duplicateKeys).toEqual(expect.arrayContaining([keyOf(code, 2), keyOf(code, 3)]));
    expect(summary.outOfOrder).not.toContain(code);
  });

  it('suffers every fault mode on demand', async () => {
    const code = nextCode();
    const raw = (body: Record<string, unknown>, key: string, timeoutMs = 2000) =>
      fetch(`${portal.url}/integration`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DST', 'idempotency-key': key }, body: JSON.stringify({ session, madonvi: UNIT, ...body }), signal: AbortSignal.timeout(timeoutMs) });
    const create = { service: 'DongBoHoSoMC', isUpdating: 'False', data: [dossier(code, '2')] };

    portal.fail({ mode: '5xx', times: 1, status: 502 });
    expect((await raw(create, keyOf(code, 2))).status).toBe(502);
    expect(portal.dossier(code)).toBeUndefined();

    portal.fail({ mode: 'malformed', times: 1 });
    const malformed = await raw(create, keyOf(code, 2));
    await expect(malformed.json()).rejects.toThrow();
    expect(portal.dossier(code)).toBeUndefined();

    portal.fail({ mode: 'down', times: 1 });
    await expect(raw(create, keyOf(code, 2))).rejects.toThrow();
    expect(portal.dossier(code)).toBeUndefined();

    portal.fail({ mode: 'timeout', times: 1 });
    await expect(raw(create, keyOf(code, 2), 200)).rejects.toThrow();
    portal.fail({ mode: 'none' });
    expect(portal.dossier(code)).toBeUndefined();

    // Only the named operation suffers it.
    portal.fail({ mode: '5xx', operation: 'CapNhatTienDoHoSoMC' });
    portal.fail({ mode: 'lose-answer', times: 1, operation: 'DongBoHoSoMC' });
    await expect(raw(create, keyOf(code, 2))).rejects.toThrow();
    expect(portal.dossier(code)?.status).toBe(2);
    // The sender cannot know it arrived: its resend under the same key is a duplicate.
    expect(await (await raw({ ...create, isUpdating: 'True' }, keyOf(code, 2))).json()).toMatchObject({ error_code: '0' });
    expect(await (await raw(create, keyOf(code, 2))).json()).toMatchObject({ error_code: '-3' });
    expect(portal.summary().duplicateKeys).toContain(keyOf(code, 2));
    expect(portal.dossier(code)!.history).toHaveLength(1);

    portal.fail({ mode: 'slow', times: 1, delayMs: 50 });
    expect(await (await raw({ ...create, isUpdating: 'True', data: [dossier(code, '4')] }, keyOf(code, 3))).json()).toMatchObject({ error_code: '0' });
    expect(portal.dossier(code)?.status).toBe(4);

    // Over HTTP as a test outside the process would.
    await fetch(`${portal.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: '5xx', times: 1, operation: 'auth' }) });
    expect((await fetch(`${portal.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DST' }, body: '{}' })).status).toBe(503);
    const refused = await (await fetch(`${portal.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'explode' }) })).json();
    expect(refused).toMatchObject({ error: expect.stringContaining('mode must be one of') });
    const receipts = (await (await fetch(`${portal.url}/__receipts`)).json()) as { receipts: { key: string }[] };
    expect(receipts.receipts.map((receipt) => receipt.key)).toEqual(expect.arrayContaining([keyOf(code, 2), keyOf(code, 3)]));
  });

  it('survives hostile bodies', async () => {
    for (const body of ['{', '[]', 'null', '"x"', JSON.stringify({ service: { toString: 1 } }), JSON.stringify({ service: 'DongBoHoSoMC', isUpdating: 'False', data: [{ __proto__: { MaHoSo: 'x' } }] })]) {
      const response = await fetch(`${portal.url}/integration`, { method: 'POST', headers: { 'content-type': 'application/json', dstcode: 'DST' }, body });
      expect(response.status, body).toBeLessThan(500);
    }
  });
});

describe('generation B', () => {
  let portal: Awaited<ReturnType<typeof startPortalDoubleB>>;
  let files: Server;
  let filesUrl: string;
  let served = 0;
  beforeAll(async () => {
    portal = await startPortalDoubleB({ unitIdentifier: UNIT, fetchTimeoutMs: 500 });
    files = createServer((request, response) => {
      served += 1;
      if (request.url === '/ok.pdf') return response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7\n%test\n');
      if (request.url === '/ok.png') return response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]));
      if (request.url === '/login') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Đăng nhập</html>');
      if (request.url === '/hang') return; // never answers
      return response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await portal.close();
    files.closeAllConnections();
    await new Promise((resolve) => files.close(resolve));
  });
  beforeEach(() => portal.fail({ mode: 'none' }));

  const post = async (path: string, body: unknown, key?: string) => {
    const response = await fetch(`${portal.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });
    return response.headers.get('content-type')?.startsWith('application/json') ? ((await response.json()) as Record<string, unknown>) : await response.text();
  };
  const withFiles = (code: string, status: string, componentUrl: string, resultUrl?: string) =>
    dossier(code, status, {
      TaiLieuNop: [{ TepDinhKemId: 'f1', TenTepDinhKem: 'to-khai.pdf', IsDeleted: 'False', MaThanhPhanHoSo: 'TP1', DuongDanTaiTepTin: componentUrl, DuocSoHoa: '1' }],
      ...(resultUrl ? { DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy khai sinh', GiayToId: 'kq1', DuongDanTepTinKetQua: resultUrl, MaGiayToKetQua: 'KQ.KS' }] } : {}),
    });

  it('creates, refuses a second create with "-3 đã tồn tại", updates, and takes progress in chunks of 10', async () => {
    const code = nextCode();
    expect(await post('/hoso/capnhat', [dossier(code)], keyOf(code, 2))).toEqual({ error_code: '1', message: 'Hồ sơ chưa tồn tại, gửi qua themmoi' });
    expect(await post('/hoso/themmoi', [withFiles(code, '2', `${filesUrl}/ok.pdf`)], keyOf(code, 2))).toEqual({ error_code: '0', message: 'Đồng bộ thành công' });
    expect(await post('/hoso/themmoi', [dossier(code, '4')], keyOf(code, 3))).toEqual({ error_code: '-3', message: 'Hồ sơ đã tồn tại' });
    expect(await post('/hoso/capnhat', [withFiles(code, '9', `${filesUrl}/ok.pdf`, `${filesUrl}/ok.png`)], keyOf(code, 3))).toMatchObject({ error_code: '1', message: expect.stringContaining('NgayKetThucXuLy') });
    expect(await post('/hoso/capnhat', [withFiles(code, '9', `${filesUrl}/ok.pdf`, `${filesUrl}/ok.png`)].map((item) => ({ ...item, NgayKetThucXuLy: '20261203100000' })), keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(portal.dossier(code)?.status).toBe(9);
    const rows = Array.from({ length: 11 }, (_, index) => row(code, { ThoiDiemXuLy: `20261202${10 + index}0000` }));
    expect(await post('/tientrinh', rows, keyOf(code, 3))).toBe('Lỗi: tối đa 10 bản ghi mỗi lần gửi, nhận 11');
    expect(await post('/tientrinh', rows.slice(0, 10), keyOf(code, 3))).toBe('Cập nhật thành công');
    expect(await post('/tientrinh', rows.slice(10), keyOf(code, 3))).toBe('Cập nhật thành công');
    expect(await post('/tientrinh', [row(code, { ThoiDiemXuLy: undefined })], keyOf(code, 3))).toBe('Lỗi: [0]: Thiếu trường bắt buộc ThoiDiemXuLy');
    expect(await post('/tientrinh', [row(nextCode())])).toBe('Lỗi: hồ sơ chưa được đồng bộ');
    expect(await post('/tientrinh', { MaHoSo: code })).toMatch(/^Lỗi: /);
    expect(await post('/tientrinh', [row(code)], 'portal/x')).toMatch(/^Lỗi: Idempotency-Key/);
    expect(portal.dossier(code)!.progress).toHaveLength(new Set(rows.map((one) => one.ThoiDiemXuLy)).size);
    expect(await post('/hoso/themmoi', { MaHoSo: code })).toMatchObject({ error_code: '1' });
    expect(await post('/hoso/themmoi', [dossier(code, '2', { TrangThaiHoSo: 2 })])).toMatchObject({ error_code: '1', message: '[0]: Trường TrangThaiHoSo phải là chuỗi' });
  });

  it('fetches every file link and refuses a dossier whose file is not downloadable, naming it', async () => {
    const code = nextCode();
    const cases: [string, string | undefined, string][] = [
      [`${filesUrl}/missing.pdf`, undefined, 'Không tải được tệp f1 (TaiLieuNop[0].DuongDanTaiTepTin): HTTP 404'],
      [`${filesUrl}/login`, undefined, 'Không tải được tệp f1 (TaiLieuNop[0].DuongDanTaiTepTin): không phải tệp PDF hoặc ảnh'],
      [`${filesUrl}/ok.pdf`, `${filesUrl}/gone`, 'Không tải được tệp kq1 (DanhSachGiayToKetQua[0].DuongDanTepTinKetQua): HTTP 404'],
      ['/relative/path.pdf', undefined, 'đường dẫn không hợp lệ'],
      ['file:///etc/passwd', undefined, 'không tải được'],
      [`${filesUrl}/hang`, undefined, 'hết thời gian chờ'],
      ['http://127.0.0.1:1/nothing.pdf', undefined, 'lỗi kết nối'],
    ];
    for (const [componentUrl, resultUrl, message] of cases) {
      const answer = await post('/hoso/themmoi', [withFiles(code, resultUrl ? '9' : '2', componentUrl, resultUrl)].map((item) => ({ ...item, NgayKetThucXuLy: '20261203100000' })), keyOf(code, 2));
      expect(answer, componentUrl).toMatchObject({ error_code: '1' });
      expect(String((answer as Record<string, unknown>).message), componentUrl).toContain(message);
      expect(portal.dossier(code), componentUrl).toBeUndefined();
    }
    expect(portal.fetched().filter((file) => file.dossierCode === code && !file.ok)).toHaveLength(cases.length);
    expect(portal.receipts().some((receipt) => receipt.dossierCode === code)).toBe(false);
  });

  it('acts once per key: a resend is counted as a duplicate and its files are not fetched again', async () => {
    const code = nextCode();
    const item = withFiles(code, '2', `${filesUrl}/ok.pdf`);
    expect(await post('/hoso/themmoi', [item], keyOf(code, 2))).toMatchObject({ error_code: '0' });
    const before = served;
    expect(await post('/hoso/themmoi', [item], keyOf(code, 2))).toEqual({ error_code: '-3', message: 'Hồ sơ đã tồn tại' });
    expect(await post('/hoso/capnhat', [{ ...item, TrangThaiHoSo: '4' }], keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(await post('/hoso/capnhat', [{ ...item, TrangThaiHoSo: '4' }], keyOf(code, 3))).toMatchObject({ error_code: '0' });
    expect(served).toBe(before + 1);
    expect(await post('/tientrinh', [row(code)], keyOf(code, 3))).toBe('Cập nhật thành công');
    expect(await post('/tientrinh', [row(code)], keyOf(code, 3))).toBe('Cập nhật thành công');
    expect(portal.dossier(code)!.history.map((entry) => entry.status)).toEqual([2, 4]);
    expect(portal.receipts().filter((receipt) => receipt.dossierCode === code)).toEqual([
      expect.objectContaining({ key: keyOf(code, 2), detail: { status: 2, operation: 'themmoi' } }),
      expect.objectContaining({ key: keyOf(code, 3), detail: { status: 4, operation: 'capnhat' } }),
    ]);
    expect(portal.summary().duplicateKeys).toEqual(expect.arrayContaining([keyOf(code, 2), keyOf(code, 3)]));
  });

  it('suffers every fault mode on demand', async () => {
    const code = nextCode();
    const raw = (path: string, body: unknown, key: string, timeoutMs = 2000) =>
      fetch(`${portal.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    const item = dossier(code, '2');
    portal.fail({ mode: '5xx', times: 1 });
    expect((await raw('/hoso/themmoi', [item], keyOf(code, 2))).status).toBe(503);
    portal.fail({ mode: 'malformed', times: 1 });
    expect(() => JSON.parse('{"error_code":"0","message":')).toThrow();
    expect(await (await raw('/hoso/themmoi', [item], keyOf(code, 2))).text()).toBe('{"error_code":"0","message":');
    portal.fail({ mode: 'down', times: 1 });
    await expect(raw('/hoso/themmoi', [item], keyOf(code, 2))).rejects.toThrow();
    portal.fail({ mode: 'timeout' });
    await expect(raw('/hoso/themmoi', [item], keyOf(code, 2), 200)).rejects.toThrow();
    portal.fail({ mode: 'none' });
    expect(portal.dossier(code)).toBeUndefined();
    portal.fail({ mode: 'lose-answer', times: 1, operation: 'themmoi' });
    await expect(raw('/hoso/themmoi', [item], keyOf(code, 2))).rejects.toThrow();
    expect(portal.dossier(code)?.status).toBe(2);
    portal.fail({ mode: 'slow', times: 1, delayMs: 50, operation: 'tientrinh' });
    expect(await (await raw('/tientrinh', [row(code)], keyOf(code, 2))).text()).toBe('Cập nhật thành công');
    portal.fail({ mode: 'malformed', times: 1, operation: 'tientrinh' });
    expect(await (await raw('/tientrinh', [row(code, { NoiDungXuLy: 'khác' })], keyOf(code, 2))).text()).toBe('Cập nhật th');
    const inspected = (await (await fetch(`${portal.url}/__inspect`)).json()) as { requests: { outcome: string }[] };
    expect(inspected.requests.map((request) => request.outcome)).toEqual(expect.arrayContaining(['fault:5xx', 'fault:malformed', 'fault:down', 'fault:timeout', 'acted; fault:lose-answer', 'acted; fault:slow']));
    expect(portal.summary().outOfOrder).toEqual([]);
  });
});
