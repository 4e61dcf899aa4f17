// The payment platform v1.0.6's wire (domain/payment/platform-contract.ts) and MaXacThuc
// (integrations/payment/signature.ts): the signed text's field order, a hash computed here by hand,
// the 24-hour ThoiGianGD in Vietnam time, and a check that refuses what was altered.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackSchema, formatThoiGianGD, initRequestSchema, parseThoiGianGD, signedText } from '../../domain/payment/platform-contract.js';
import { initMessage } from '../../integrations/payment/national-platform.js';
import { hasValidMaXacThuc, maXacThuc, signed } from '../../integrations/payment/signature.js';

const SECRET = 'partner-secret-for-unit-tests';
const callback = {
  LoaiBanTin: 'CONFIRM',
  MaLoi: '00',
  MaDoiTac: 'MOTCUA',
  MaThamChieu: 'dvc00001012H99261203000v5',
  SoTien: '70000',
  MaTienTe: 'VND',
  MaGiaoDich: 'GD0000000001',
  MaNganHang: 'VCB',
  ThoiGianGD: '20261203140501',
  ThongTinGiaoDich: 'THANH TOAN HO SO 000.01.01.H99-261203-0001',
};

describe('MaXacThuc', () => {
  it('is the lowercase hex SHA-256 of the fields in the contract\'s order joined by |, the secret last', () => {
    const text = 'CONFIRM|00|MOTCUA|dvc00001012H99261203000v5|70000|VND|GD0000000001|VCB|20261203140501|THANH TOAN HO SO 000.01.01.H99-261203-0001|partner-secret-for-unit-tests';
    expect(signedText('CALLBACK', callback, SECRET)).toBe(text);
    expect(maXacThuc('CALLBACK', callback, SECRET)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(signedText('QUERY', { LoaiBanTin: 'QUERY', PhienBan: '1.0.6', MaDoiTac: 'M', MaThamChieu: 'r1', ThoiGianGD: '20261203140501' }, 's')).toBe('QUERY|1.0.6|M|r1|20261203140501|s');
  });

  it('checks a callback signed with the current or the previous secret, in any case, and nothing altered', () => {
    const body = signed('CALLBACK', callback, SECRET);
    expect(hasValidMaXacThuc('CALLBACK', body, [SECRET])).toBe(true);
    expect(hasValidMaXacThuc('CALLBACK', { ...body, MaXacThuc: body.MaXacThuc.toUpperCase() }, [SECRET])).toBe(true);
    expect(hasValidMaXacThuc('CALLBACK', body, ['the-new-secret-after-rotation', SECRET])).toBe(true);
    expect(hasValidMaXacThuc('CALLBACK', { ...body, SoTien: '70001' }, [SECRET])).toBe(false);
    expect(hasValidMaXacThuc('CALLBACK', { ...body, MaThamChieu: 'dvcOTHER' }, [SECRET])).toBe(false);
    expect(hasValidMaXacThuc('CALLBACK', body, ['another-secret-entirely'])).toBe(false);
    expect(hasValidMaXacThuc('CALLBACK', { ...body, MaXacThuc: 'not-hex' }, [SECRET])).toBe(false);
    expect(hasValidMaXacThuc('CALLBACK', { ...callback }, [SECRET])).toBe(false);
    // An empty secret configured by mistake matches nothing.
    expect(hasValidMaXacThuc('CALLBACK', signed('CALLBACK', callback, ''), [''])).toBe(false);
  });
});

describe('ThoiGianGD', () => {
  it('is written yyyyMMddHHmmss in Vietnam time on a 24-hour clock (TH writes hh, a 12-hour clock)', () => {
    expect(formatThoiGianGD(new Date('2026-12-03T07:05:01Z'))).toBe('20261203140501');
    expect(formatThoiGianGD(new Date('2026-12-02T19:05:01Z'))).toBe('20261203020501');
    expect(formatThoiGianGD(new Date('2026-12-31T17:00:00Z'))).toBe('20270101000000');
  });

  it('reads back as an instant at +07:00, and refuses a time that does not exist', () => {
    expect(parseThoiGianGD('20261203140501')).toBe('2026-12-03T14:05:01+07:00');
    expect(new Date(parseThoiGianGD(formatThoiGianGD(new Date('2026-06-30T23:59:59Z')))!).toISOString()).toBe('2026-06-30T23:59:59.000Z');
    for (const wrong of ['20261303140501', '20260230120000', '20261203240000', '2026120314050', '2026-12-03T14']) expect(parseThoiGianGD(wrong)).toBeUndefined();
  });
});

describe('the messages', () => {
  it('builds an INIT the contract takes, signed over its fields, the payer only in the receipt data', () => {
    const message = initMessage(
      { partnerCode: 'MOTCUA', secret: SECRET, serviceSuffix: '.01' },
      {
        reference: 'dvc00001012H99261203000v5',
        dossierCode: '000.01.01.H99-261203-0001',
        amountVnd: 70_000,
        procedure: { code: '1.001193', name: 'Cấp giấy chứng nhận' },
        unit: { code: '000.01.01.H99', name: 'Bộ phận Một cửa' },
        items: [
          { name: 'Lệ phí', amountVnd: 50_000, kind: 'charge' },
          { name: 'Phí', amountVnd: 20_000, kind: 'fee' },
        ],
        payer: { name: 'Nguyễn Thị Hoa' },
        clientIp: '203.0.113.7',
        at: new Date('2026-12-03T07:05:01Z'),
      },
    );
    expect(initRequestSchema.parse(message)).toMatchObject({ LoaiBanTin: 'INIT', PhienBan: '1.0.6', SoTien: '70000', ThoiGianGD: '20261203140501', ThongTinGiaoDich: 'THANH TOAN HO SO 000.01.01.H99-261203-0001' });
    expect(message.ThongTinBienLai).toMatchObject({ MaDVC: '1.001193.01', MaHoSo: '000.01.01.H99-261203-0001', HoTenNguoiNop: 'Nguyễn Thị Hoa', PhiLePhi: [{ LoaiPhiLePhi: '2', SoTien: '50000' }, { LoaiPhiLePhi: '1', SoTien: '20000' }], DSKhoanNop: [] });
    expect(hasValidMaXacThuc('INIT', message, [SECRET])).toBe(true);
    // The receipt data is not signed: the payer's name changes nothing of MaXacThuc.
    expect(hasValidMaXacThuc('INIT', { ...message, ThongTinBienLai: { ...message.ThongTinBienLai, HoTenNguoiNop: 'X' } }, [SECRET])).toBe(true);
  });

  it('refuses a callback whose signed fields could be re-split: a "|" moved from one field to the next hashes alike', () => {
    // MaGiaoDich "GD1" with MaNganHang "VCB|X" signs the same text as MaGiaoDich "GD1|VCB" with MaNganHang "X".
    const signedOne = signed('CALLBACK', { ...callback, MaGiaoDich: 'GD1', MaNganHang: 'VCB|X' }, SECRET);
    const shifted = { ...signedOne, MaGiaoDich: 'GD1|VCB', MaNganHang: 'X' };
    expect(hasValidMaXacThuc('CALLBACK', shifted, [SECRET])).toBe(true);
    expect(callbackSchema.safeParse(signedOne).error?.issues.map((issue) => issue.path)).toEqual([['MaNganHang']]);
    expect(callbackSchema.safeParse(shifted).error?.issues.map((issue) => issue.path)).toEqual([['MaGiaoDich']]);
  });

  it('takes a callback whose SoTien is digits or a number, and refuses hostile fields', () => {
    const body = signed('CALLBACK', callback, SECRET);
    expect(callbackSchema.safeParse(body).success).toBe(true);
    expect(callbackSchema.safeParse({ ...body, SoTien: 70000 }).success).toBe(true);
    for (const hostile of [{ SoTien: '-5' }, { SoTien: '7e4' }, { SoTien: '0' }, { MaThamChieu: "x'; DROP TABLE" }, { MaThamChieu: 'a'.repeat(51) }, { ThoiGianGD: '20261303140501' }, { ThongTinGiaoDich: 'line\nbreak' }, { MaTienTe: 'USD' }, { MaGiaoDich: 'has space' }, { LoaiBanTin: 'INIT' }, { LoaiBanTin: 'QUERY' }, { LoaiBanTin: 'confirm' }, { MaGiaoDich: 'GD1|00' }, { MaNganHang: 'VCB|x' }, { MaLoi: '00|' }, { ThongTinGiaoDich: 'THANH TOAN|HO SO' }]) {
      expect(callbackSchema.safeParse({ ...body, ...hostile }).success, JSON.stringify(hostile)).toBe(false);
    }
  });
});
