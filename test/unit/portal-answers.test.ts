// The one reader of the national portal's answers (docs/integrations.md#the-portals-answers): each code and message
// seen in public code, the tolerant matching of Vietnamese text, and what is not an answer at all.
import { describe, expect, it } from 'vitest';
import {
  lookedUpStatus,
  readAuthAnswer,
  readGenerationAAnswer,
  readGenerationBAnswer,
  readLookUpAnswer,
  readProgressAnswer,
  saysAlreadyExists,
  saysSuccess,
  type PortalReply,
} from '../../integrations/portal/portal-answers.js';
import { lookUpAnswerAsRecorded } from '../../integrations/portal/portal-wire.js';

const json = (body: unknown, status = 200): PortalReply => ({ status, contentType: 'application/json; charset=utf-8', text: JSON.stringify(body) });
const text = (body: string, status = 200, contentType = 'text/plain; charset=utf-8'): PortalReply => ({ status, contentType, text: body });
const HTML = text('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', 200, 'text/html');

describe('the Vietnamese words', () => {
  it.each([
    ['Đồng bộ thành công', true],
    ['THÀNH CÔNG', true],
    ['Thêm mới hồ sơ thành công.', true],
    // Decomposed (NFD) as some systems send it.
    ['Tha\u0300nh co\u0302ng', true],
    ['thanh cong', true],
    ['Không thành công', false],
    ['Đồng bộ chưa thành công: thiếu MaHoSo', false],
    ['Lỗi hệ thống', false],
    ['', false],
  ])('"%s" says success: %s', (message, expected) => {
    expect(saysSuccess(message)).toBe(expected);
  });

  it.each([
    ['Hồ sơ đã tồn tại', true],
    ['Mã hồ sơ ĐÃ TỒN TẠI trên hệ thống', true],
    ['Đã tồn tại', true],
    ['Ho so da ton tai', true],
    ['đa\u0303 tô\u0300n ta\u0323i', true],
    ['Hồ sơ không tồn tại', false],
  ])('"%s" says already there: %s', (message, expected) => {
    expect(saysAlreadyExists(message)).toBe(expected);
  });
});

describe('authentication (generation A)', () => {
  it('takes error_code 0 with a session', () => {
    expect(readAuthAnswer(json({ session: 'abc', error_code: 0 }))).toEqual({ kind: 'session', session: 'abc' });
    expect(readAuthAnswer(json({ session: 'abc', error_code: '0' }))).toEqual({ kind: 'session', session: 'abc' });
  });

  it('refuses wrong credentials with the portal’s message, and does not take an empty session', () => {
    expect(readAuthAnswer(json({ error_code: -1, message: 'Sai tên đăng nhập hoặc mật khẩu' }))).toMatchObject({ kind: 'refused', message: 'Sai tên đăng nhập hoặc mật khẩu' });
    expect(readAuthAnswer(json({ error_code: 0, session: '' }))).toMatchObject({ kind: 'retryable' });
    expect(readAuthAnswer(json({ error_code: 0 }))).toMatchObject({ kind: 'retryable' });
  });

  it('retries a 5xx and an HTML page, and refuses a 401', () => {
    expect(readAuthAnswer(text('', 503))).toMatchObject({ kind: 'retryable' });
    expect(readAuthAnswer(HTML)).toMatchObject({ kind: 'retryable' });
    expect(readAuthAnswer(text('Unauthorized', 401))).toMatchObject({ kind: 'refused' });
  });
});

describe('generation A pushes (DongBoHoSoMC, CapNhatTienDoHoSoMC)', () => {
  it.each([[0], ['0'], ['00'], [' 00 ']])('error_code %j is delivered', (code) => {
    expect(readGenerationAAnswer(json({ error_code: code, message: 'OK' }))).toEqual({ kind: 'delivered', message: 'OK' });
  });

  it('"đã tồn tại" or -3 is already there; a message about the session asks for a new one; other codes are refused with the message', () => {
    expect(readGenerationAAnswer(json({ error_code: -1, message: 'Hồ sơ đã tồn tại' }))).toMatchObject({ kind: 'already-exists' });
    expect(readGenerationAAnswer(json({ error_code: '-3', message: '' }))).toMatchObject({ kind: 'already-exists' });
    expect(readGenerationAAnswer(json({ error_code: 1, message: 'Phiên làm việc đã hết hạn' }))).toMatchObject({ kind: 'session-expired' });
    expect(readGenerationAAnswer(json({ error_code: 1, message: 'Session expired' }))).toMatchObject({ kind: 'session-expired' });
    expect(readGenerationAAnswer(text('', 401))).toMatchObject({ kind: 'session-expired' });
    expect(readGenerationAAnswer(json({ error_code: 2, message: 'Thiếu trường\nNgayTiepNhan' }))).toEqual({ kind: 'refused', reason: 'the portal refused it with error_code "2": Thiếu trường NgayTiepNhan', message: 'Thiếu trường NgayTiepNhan' });
    expect(readGenerationAAnswer(json({ message: 'no code' }))).toMatchObject({ kind: 'refused' });
  });

  it('retries what is not an answer: 5xx, 429, an empty body, HTML, broken JSON, JSON that is not an object', () => {
    for (const reply of [text('', 500), text('', 502), text('', 429), text('', 408), text(''), text('   '), HTML, text('{"error_code": 0', 200, 'application/json'), json([1, 2]), json('0')]) {
      expect(readGenerationAAnswer(reply), JSON.stringify(reply)).toMatchObject({ kind: 'retryable' });
    }
  });

  it('refuses a 4xx with the start of its text, never an HTML page, on one line and at most 300 characters', () => {
    const verdict = readGenerationAAnswer(text(`Bad request\n${'x'.repeat(1000)}`, 400));
    expect(verdict).toMatchObject({ kind: 'refused' });
    if (verdict.kind !== 'refused') throw new Error('unreachable');
    expect(verdict.message).not.toContain('\n');
    expect(verdict.message.length).toBeLessThanOrEqual(300);
    expect(readGenerationAAnswer({ ...HTML, status: 404 })).toMatchObject({ kind: 'refused', message: '' });
  });
});

describe('TraCuuHoSo', () => {
  it('a non-empty result means the portal holds the dossier, with its status', () => {
    const found = readLookUpAnswer(json({ error_code: 0, result: [{ MaHoSo: 'X', TrangThaiHoSo: '4' }] }));
    expect(found).toEqual({ kind: 'found', records: [{ MaHoSo: 'X', TrangThaiHoSo: '4' }] });
    expect(readLookUpAnswer(json({ error_code: 0, result: [] }))).toEqual({ kind: 'found', records: [] });
    expect(readLookUpAnswer(json({ error_code: 0 }))).toEqual({ kind: 'found', records: [] });
    expect(readLookUpAnswer(json({ error_code: 0, result: 'nope' }))).toMatchObject({ kind: 'retryable' });
    expect(readLookUpAnswer(json({ error_code: 5, message: 'Không có quyền' }))).toMatchObject({ kind: 'refused' });
  });

  it('reads the status whatever the key’s case, and null for none', () => {
    expect(lookedUpStatus({ TrangThaiHoSo: '10' })).toBe(10);
    expect(lookedUpStatus({ TRANGTHAIHOSO: 4 })).toBe(4);
    expect(lookedUpStatus({ TrangThaiHoSo: 'x' })).toBeNull();
    expect(lookedUpStatus(null)).toBeNull();
  });
});

describe('generation B create and update (themmoi, capnhat)', () => {
  it('"0" with "thành công" is delivered', () => {
    expect(readGenerationBAnswer(json({ error_code: '0', message: 'Thêm mới thành công' }))).toMatchObject({ kind: 'delivered' });
    expect(readGenerationBAnswer(json({ error_code: 0, message: 'Cập nhật THÀNH CÔNG' }))).toMatchObject({ kind: 'delivered' });
  });

  it('"0" without "thành công", or with "không thành công", is not taken for success', () => {
    expect(readGenerationBAnswer(json({ error_code: '0', message: '' }))).toMatchObject({ kind: 'retryable' });
    expect(readGenerationBAnswer(json({ error_code: '0', message: 'Không thành công' }))).toMatchObject({ kind: 'retryable' });
  });

  it.each([
    [{ error_code: '-3', message: 'Hồ sơ đã tồn tại' }],
    [{ error_code: '3', message: '' }],
    [{ error_code: '-3' }],
    [{ error_code: '-1', message: 'Mã hồ sơ Đã tồn tại trên hệ thống' }],
  ])('%j is already there: the update path', (body) => {
    expect(readGenerationBAnswer(json(body))).toMatchObject({ kind: 'already-exists' });
  });

  it('other codes are refused with the portal’s message', () => {
    expect(readGenerationBAnswer(json({ error_code: '-1', message: 'MaTTHC không hợp lệ' }))).toEqual({ kind: 'refused', reason: 'the portal refused it with error_code "-1": MaTTHC không hợp lệ', message: 'MaTTHC không hợp lệ' });
  });

  it('5xx, HTML and broken bodies are retried', () => {
    for (const reply of [text('', 503), HTML, text('oops', 200, 'application/json'), text('')]) expect(readGenerationBAnswer(reply)).toMatchObject({ kind: 'retryable' });
  });
});

describe('generation B progress (tientrinh): plain text', () => {
  it('"thành công" in any form is delivered', () => {
    expect(readProgressAnswer(text('Đồng bộ tiến trình thành công'))).toMatchObject({ kind: 'delivered' });
    expect(readProgressAnswer(text('"Thành công"', 200, 'application/json'))).toMatchObject({ kind: 'delivered', message: 'Thành công' });
  });

  it('anything else is refused with the text, empty and HTML bodies retried', () => {
    expect(readProgressAnswer(text('Không thành công: thiếu MaHoSo'))).toMatchObject({ kind: 'refused', message: 'Không thành công: thiếu MaHoSo' });
    expect(readProgressAnswer(text(''))).toMatchObject({ kind: 'retryable' });
    expect(readProgressAnswer(HTML)).toMatchObject({ kind: 'retryable' });
    expect(readProgressAnswer(text('', 500))).toMatchObject({ kind: 'retryable' });
  });
});

describe("TraCuuHoSo's answer as an attempt records it", () => {
  const held = { MaHoSo: '000.01.01.H99-261202-0001', TrangThaiHoSo: '4', ChuHoSo: 'Trần Thị Bình', SoGiayToChuHoSo: '038190001234', SoDienThoai: '0912345678', Email: 'binh@example.vn' };
  it.each(['result', 'data'])('keeps MaHoSo and TrangThaiHoSo of each record under %s, nothing personal', (name) => {
    const recorded = lookUpAnswerAsRecorded(JSON.stringify({ error_code: '0', message: 'Thành công', [name]: [held] }));
    expect(JSON.parse(recorded)).toEqual({ error_code: '0', message: 'Thành công', [name]: [{ MaHoSo: held.MaHoSo, TrangThaiHoSo: '4' }] });
  });
  it('keeps an answer that is not the expected JSON as it is, and hides a result that is not a list', () => {
    expect(lookUpAnswerAsRecorded('<html>Gateway Timeout</html>')).toBe('<html>Gateway Timeout</html>');
    expect(lookUpAnswerAsRecorded(JSON.stringify({ error_code: '0', result: held }))).not.toContain('038190001234');
  });
});
