// The dossier as the national portal's sync holds it (docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc): a projection of
// the dossier's events with the true status code, portal dates in Vietnam time, the supplement
// cycles, the reuse flags and download links of the files, and the e-result's link.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReceiveDossier } from '../../domain/dossier/commands.js';
import { DOSSIER_STATUSES, foldDossier, NATIONAL_PORTAL_STATUS, newDossier, type DossierStatus } from '../../domain/dossier/state.js';
import { dossierPayload, type PayloadSettings, type PortalDossierPayload } from '../../domain/portal-sync/dossier-payload.js';
import { portalDateTime, portalText } from '../../domain/portal-sync/portal-format.js';
import { DEFAULT_STATUS_MAP, portalStatusMap } from '../../domain/portal-sync/status-map.js';
import type { DeliveredEvent } from '../../integrations/outbox/delivery-channel.js';
import { watchPlays } from '../support/delivered-events.js';
import { documentedLandDossier } from '../support/documented-dossier.js';
import { actor, at, BUSINESS_PROCEDURE, CATALOGUE, CENTRE, DossierScenario, ECONOMY, LAND_PROCEDURE, PAYMENT_PLATFORM } from '../support/dossier-fixtures.js';
import { verifiedResult } from '../support/result-fields.js';

const settings: PayloadSettings = {
  statusMap: DEFAULT_STATUS_MAP,
  procedureCodes: { [LAND_PROCEDURE]: '1.004227.000.00.00.H99' },
  resultDocumentCodes: { '1.004227.000.00.00.H99': 'KQ-GCN-QSDD' },
  fileLink: (dossierCode, sha256) => `https://motcua.example.vn/portal-files/${dossierCode}/${sha256}?expires=1&signature=s`,
};
const reception = actor('reception', CENTRE);

afterEach(() => vi.restoreAllMocks());

function payloadOf(delivered: readonly DeliveredEvent[], using: PayloadSettings = settings): PortalDossierPayload {
  const payload = dossierPayload(delivered, using);
  if (!payload) throw new Error('no payload');
  return payload;
}

/** A business dossier received with this applicant and channel. */
function receivedBusiness(serial: number, applicant: ReceiveDossier['applicant'], channel: ReceiveDossier['channel'] = 'counter', submission?: ReceiveDossier['submission']): DossierScenario {
  const code = `${CENTRE}-260302-${String(serial).padStart(4, '0')}`;
  const dossier = new DossierScenario(code, BUSINESS_PROCEDURE);
  const centre = CATALOGUE.agencies.find((agency) => agency.code === CENTRE)!;
  dossier.play(
    {
      type: 'ReceiveDossier',
      commandId: 'receive',
      actor: channel === 'online' ? actor('portal', CENTRE, 'dvcqg') : reception,
      dossierCode: code,
      agencyCode: CENTRE,
      procedureCode: BUSINESS_PROCEDURE,
      channel,
      applicant,
      receivedAt: new Date(at('2026-03-02T08:30:00')).toISOString(),
      centre: { name: centre.name, superior: centre.superior!, place: centre.place! },
      procedureName: 'Đăng ký thành lập hộ kinh doanh',
      ...(submission ? { submission } : {}),
    },
    '2026-03-02T08:30:00',
  );
  return dossier;
}

const citizen: ReceiveDossier['applicant'] = { kind: 'citizen', fullName: 'Nguyễn Văn An', identityNumber: '001090012345', phone: '0912 345 678', email: 'an@example.vn' };

describe('the sync payload of a dossier that went through everything', () => {
  it('says what the portal needs, from the events alone', () => {
    const plays = watchPlays();
    const dossier = documentedLandDossier();
    const payload = payloadOf(plays.delivered(dossier));
    expect(payload).toMatchObject({
      MaHoSo: dossier.dossierCode,
      MaTTHC: '1.004227.000.00.00.H99',
      TenTTHC: expect.stringContaining('Đăng ký đất đai'),
      TenLinhVuc: 'Đất đai',
      KenhThucHien: '1',
      ChuHoSo: 'Trần Thị Bình',
      SoGiayToChuHoSo: '038190001234',
      Email: '',
      SoDienThoai: '',
      LoaiDoiTuong: '1',
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '038190001234' }],
      TaiKhoanDuocXacThucVoiVNeID: '0',
      NgayNopHoSo: '20260302083000',
      NgayTiepNhan: '20260303093000',
      NgayTra: '',
      NgayKetThucXuLy: '20260408100000',
      NgayTuChoi: '',
      // The true code: a result is ready (9), and it was not reached by rewriting 5, 6 or 8.
      TrangThaiHoSo: '9',
      HinhThuc: '0',
      HoSoCoThanhPhanSoHoa: '1',
      DuocThanhToanTrucTuyen: '1',
      // Form 04: the appointment it replaced and the new one.
      NgayHenTraMoi: '20260415090000',
    });
    expect(payload.NgayHenTraTruoc).toMatch(/^2026\d{10}$/);
    expect(payload.NgayHenTra).toMatch(/^2026\d{10}$/);
    // Every value the portal reads is a string.
    const leaves = JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'number' || typeof value === 'boolean' ? 'NOT A STRING' : value));
    expect(leaves).not.toContain('NOT A STRING');
  });

  it('fills DanhSachHoSoBoSung with each form 02: who asked, what, when it came, who took it in, the due times around it', () => {
    const plays = watchPlays();
    const dossier = documentedLandDossier();
    const { DanhSachHoSoBoSung: cycles } = payloadOf(plays.delivered(dossier));
    expect(cycles).toHaveLength(2);
    expect(cycles[0]).toEqual({
      HoSoBoSungId: `${dossier.dossierCode}-BS1`,
      NguoiYeuCauBoSung: `reception@${CENTRE}`,
      NoiDungBoSung: 'Đơn đăng ký biến động đất đai: Thiếu chữ ký của người sử dụng đất',
      NgayBoSung: '20260302084500',
      NguoiTiepNhanBoSung: `reception@${CENTRE}`,
      ThongTinTiepNhan: '',
      NgayTiepNhanBoSung: '20260303090000',
      TrangThaiBoSung: '1',
      DanhSachGiayToBoSung: [{ MaThanhPhanHoSo: 'application', TenGiayTo: 'Đơn đăng ký biến động đất đai' }],
      DanhSachLePhiBoSung: [],
      // Before acceptance there is no appointment yet.
      NgayHenTraTruoc: '',
      NgayHenTraMoi: '',
    });
    expect(cycles[1]).toMatchObject({ HoSoBoSungId: `${dossier.dossierCode}-BS2`, NguoiYeuCauBoSung: `officer@${ECONOMY}`, NgayBoSung: '20260304100000', NgayTiepNhanBoSung: '20260306090000', TrangThaiBoSung: '1' });
    expect(cycles[1]!.NgayHenTraTruoc).toMatch(/^2026\d{10}$/);
  });

  it('lists the e-result with its download link and the procedure’s result code', () => {
    const plays = watchPlays();
    const dossier = documentedLandDossier();
    const { DanhSachGiayToKetQua: results } = payloadOf(plays.delivered(dossier));
    expect(results).toEqual([
      {
        TenGiayTo: expect.stringContaining('Kết quả giải quyết thủ tục hành chính: Đăng ký đất đai'),
        MaThanhPhanHoSo: '',
        GiayToId: `${dossier.dossierCode}-KQ1`,
        DuongDanTepTinKetQua: `https://motcua.example.vn/portal-files/${dossier.dossierCode}/${'a'.repeat(64)}?expires=1&signature=s`,
        MaGiayToKetQua: 'KQ-GCN-QSDD',
      },
    ]);
  });

  it('lists each component file with its link, digitised flag and origin (the identity papers from the data store)', () => {
    const plays = watchPlays();
    const dossier = documentedLandDossier();
    const { TaiLieuNop: files } = payloadOf(plays.delivered(dossier));
    expect(files.map((file) => file.MaThanhPhanHoSo)).toEqual(['application', 'land-use-papers', 'tax-declaration', 'identity']);
    for (const file of files) {
      expect(file).toMatchObject({ IsDeleted: 'False', DuocSoHoa: '1', DuocTaiSuDung: '0', TenTepDinhKem: `${file.MaThanhPhanHoSo}.pdf` });
      expect(file.DuongDanTaiTepTin).toBe(settings.fileLink(dossier.dossierCode, file.TepDinhKemId));
    }
    expect(files.find((file) => file.MaThanhPhanHoSo === 'identity')).toMatchObject({ DuocLayTuKhoDMQG: '1' });
    expect(files.find((file) => file.MaThanhPhanHoSo === 'application')).toMatchObject({ DuocLayTuKhoDMQG: '0' });
  });
});

describe('TrangThaiHoSo', () => {
  it('is the true code of every status a dossier passes through, under the default map', () => {
    const plays = watchPlays();
    const seen = new Set<DossierStatus>();
    const check = (dossier: DossierScenario) => {
      const delivered = plays.delivered(dossier);
      delivered.forEach((_entry, index) => {
        const prefix = delivered.slice(0, index + 1);
        const state = foldDossier(newDossier(dossier.dossierCode), prefix.map((entry) => entry.event));
        if (state.status === 'none') return;
        seen.add(state.status);
        expect(payloadOf(prefix).TrangThaiHoSo, `after ${prefix.at(-1)!.event.type}`).toBe(String(NATIONAL_PORTAL_STATUS[state.status]));
      });
    };
    const land = documentedLandDossier();
    land.play(land.command('ReturnResult', reception, { method: 'post', applicantNotifiedInAdvance: true }), '2026-04-09T09:00:00');
    check(land);
    const refused = receivedBusiness(11, citizen);
    refused.play(refused.command('RefuseAtReception', reception, { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Luật Đầu tư 2020' }), '2026-03-02T09:00:00');
    check(refused);
    const withdrawn = receivedBusiness(12, citizen);
    withdrawn.accept('2026-03-02T09:00:00');
    withdrawn.play(withdrawn.command('RequestWithdrawal', reception, { reason: 'Không còn nhu cầu' }), '2026-03-03T09:00:00');
    withdrawn.play(withdrawn.command('DecideWithdrawal', actor('head', ECONOMY), { approved: true, reason: 'Đồng ý' }), '2026-03-03T10:00:00');
    check(withdrawn);
    expect([...seen].sort()).toEqual([...DOSSIER_STATUSES].sort());
  });

  it('a supplement request is 5, not 9 (Thanh Hóa’s rewriting is not copied); a refusal at reception is 3 with its date; a return by post is 10 with HinhThuc 1', () => {
    const plays = watchPlays();
    const land = documentedLandDossier();
    const delivered = plays.delivered(land);
    const atSupplement = delivered.findIndex((entry) => entry.event.type === 'SupplementRequested');
    expect(payloadOf(delivered.slice(0, atSupplement + 1)).TrangThaiHoSo).toBe('5');
    const atObligation = delivered.findIndex((entry) => entry.event.type === 'FinancialObligationRequested');
    expect(payloadOf(delivered.slice(0, atObligation + 1)).TrangThaiHoSo).toBe('6');
    land.play(land.command('ReturnResult', reception, { method: 'post', applicantNotifiedInAdvance: true }), '2026-04-09T09:00:00');
    expect(payloadOf(plays.delivered(land))).toMatchObject({ TrangThaiHoSo: '10', NgayTra: '20260409090000', HinhThuc: '1' });
    const refused = receivedBusiness(13, citizen);
    refused.play(refused.command('RefuseAtReception', reception, { reasons: ['Không thuộc thẩm quyền'], legalBasis: 'Luật Đầu tư 2020' }), '2026-03-02T09:00:00');
    expect(payloadOf(plays.delivered(refused))).toMatchObject({ TrangThaiHoSo: '3', NgayTuChoi: '20260302090000', NgayTiepNhan: '', NgayHenTra: '' });
  });

  it('follows a versioned map’s overrides, and a map that names a code outside 1–10 is refused', () => {
    const plays = watchPlays();
    const land = documentedLandDossier();
    const map = portalStatusMap({ version: 'h99-2026.1', overrides: { 'result-ready': 4 } });
    expect(map.version).toBe('h99-2026.1');
    expect(payloadOf(plays.delivered(land), { ...settings, statusMap: map }).TrangThaiHoSo).toBe('4');
    expect(() => portalStatusMap({ version: 'bad', overrides: { returned: 11 } })).toThrow(/returned maps to 11/);
    expect(portalStatusMap(undefined)).toBe(DEFAULT_STATUS_MAP);
  });
});

describe('the applicant and the payment', () => {
  it('sends the applicant’s contact, the 9-digit old ID as type 2, VNeID authentication of an online submission, and channel 2', () => {
    const plays = watchPlays();
    const dossier = receivedBusiness(21, { ...citizen, identityNumber: '123456789' }, 'online', { portal: 'dvcqg', portalDossierId: 'G22.99-260302-0001', submittedAt: at('2026-03-01T22:10:05'), assuranceLevel: 2 });
    expect(payloadOf(plays.delivered(dossier))).toMatchObject({
      KenhThucHien: '2',
      Email: 'an@example.vn',
      SoDienThoai: '0912 345 678',
      DinhDanhCHS: [{ LoaiDinhDanh: '2', SoDinhDanh: '123456789' }],
      TaiKhoanDuocXacThucVoiVNeID: '1',
      NgayNopHoSo: '20260301221005',
      TrangThaiHoSo: '1',
    });
  });

  it('invents no identity for an organisation or an unusual number (TH sends "000000001")', () => {
    const plays = watchPlays();
    const company = receivedBusiness(22, { kind: 'organisation', fullName: 'Công ty TNHH An Phát', identityNumber: '0101234567' });
    expect(payloadOf(plays.delivered(company))).toMatchObject({ LoaiDoiTuong: '2', DinhDanhCHS: [] });
    const odd = receivedBusiness(23, { ...citizen, identityNumber: 'AB-1234' });
    expect(payloadOf(plays.delivered(odd)).DinhDanhCHS).toEqual([]);
  });

  it('DuocThanhToanTrucTuyen is 1 for a payment the national payment platform confirmed and 0 for one at the counter, however much was paid', () => {
    const plays = watchPlays();
    const obliged = (serial: number) => {
      const dossier = receivedBusiness(serial, citizen);
      dossier.accept('2026-03-02T09:00:00');
      dossier.play(dossier.command('RequestFinancialObligation', actor('officer', ECONOMY), { stepId: 'business-registration', noticeNumber: '12/TB', amountVnd: 100_000 }), '2026-03-03T09:00:00');
      return dossier;
    };
    const atTheCounter = obliged(32);
    atTheCounter.play(atTheCounter.command('RecordPayment', reception, { amountVnd: 100_000, method: 'counter', receiptNumber: 'BL-1' }), '2026-03-03T10:00:00');
    expect(payloadOf(plays.delivered(atTheCounter)).DuocThanhToanTrucTuyen).toBe('0');

    const online = obliged(33);
    const [requested] = online.play(online.command('RequestPayment', reception, { purpose: 'obligation' }), '2026-03-03T09:30:00');
    const reference = requested!.type === 'PaymentRequested' ? requested!.data.reference : '';
    expect(payloadOf(plays.delivered(online)).DuocThanhToanTrucTuyen).toBe('0');
    online.play(online.command('RecordPayment', PAYMENT_PLATFORM, { amountVnd: 100_000, method: 'online', onlineGateway: 'national-portal', receiptNumber: 'GD-1', platformPayment: { reference, transactionId: 'GD-1' } }), '2026-03-03T10:00:00');
    expect(payloadOf(plays.delivered(online)).DuocThanhToanTrucTuyen).toBe('1');

    // Before the platform, staff recorded online payments themselves: those events count as they did.
    const recordedByStaff = (gateway: 'national-portal' | 'provincial') =>
      plays.delivered(atTheCounter).map((delivered) => (delivered.event.type === 'PaymentRecorded' ? { ...delivered, event: { ...delivered.event, data: { ...delivered.event.data, method: 'online' as const, onlineGateway: gateway } } } : delivered));
    expect(payloadOf(recordedByStaff('provincial')).DuocThanhToanTrucTuyen).toBe('2');
    expect(payloadOf(recordedByStaff('national-portal')).DuocThanhToanTrucTuyen).toBe('1');
  });

  it('DanhSachLePhi lists the pinned fees, zero rows too, from acceptance on', () => {
    const plays = watchPlays();
    const business = receivedBusiness(34, citizen);
    expect(payloadOf(plays.delivered(business)).DanhSachLePhi).toEqual([]);
    business.accept('2026-03-02T09:00:00');
    expect(payloadOf(plays.delivered(business)).DanhSachLePhi).toEqual([{ TenPhiLePhi: 'Lệ phí đăng ký hộ kinh doanh', MaPhiLePhi: '1', HinhThucThu: '1', Gia: '100000', LoaiPhiLePhi: '1' }]);
  });
});

describe('component files', () => {
  it('flags reuse by origin (earlier dossier 1, issued result 2), the data store with its paper code, replacements as deleted, and unapproved files as not digitised', () => {
    const plays = watchPlays();
    const dossier = receivedBusiness(41, citizen);
    const attach = (componentId: string, sha: string, origin: Parameters<typeof dossier.command<'AttachComponentFile'>>[2]['origin'], approve: boolean, replaces?: string) =>
      dossier.play(dossier.command('AttachComponentFile', reception, { componentId, file: { sha256: sha.repeat(64), size: 10, mediaType: 'application/pdf', name: 'Đơn\nđề nghị.pdf' }, origin, approve, ...(replaces ? { replaces: replaces.repeat(64) } : {}) }), '2026-03-02T08:40:00');
    attach('application', '1', { kind: 'upload' }, false);
    attach('application', '2', { kind: 'earlier-dossier', dossierCode: `${CENTRE}-250101-0001`, componentId: 'application' }, true, '1');
    attach('owner-identity', '3', { kind: 'data-store', store: 'national-portal', documentCode: 'CCCD' }, true);
    attach('family-agreement', '4', { kind: 'issued-result', dossierCode: `${CENTRE}-250101-0002`, resultCode: 'KQ1' }, true);
    const files = payloadOf(plays.delivered(dossier)).TaiLieuNop;
    expect(files.map(({ TepDinhKemId, IsDeleted, DuocSoHoa, DuocTaiSuDung, DuocLayTuKhoDMQG, MaKetQuaThayThe, TenTepDinhKem }) => [TepDinhKemId[0], IsDeleted, DuocSoHoa, DuocTaiSuDung, DuocLayTuKhoDMQG, MaKetQuaThayThe, TenTepDinhKem])).toEqual([
      ['1', 'True', '0', '0', '0', '', 'Đơn đề nghị.pdf'],
      ['2', 'False', '1', '1', '0', '', 'Đơn đề nghị.pdf'],
      ['3', 'False', '1', '0', '1', 'CCCD', 'Đơn đề nghị.pdf'],
      ['4', 'False', '1', '2', '0', '', 'Đơn đề nghị.pdf'],
    ]);
  });

  it('a dossier with no approved current file has no digitised component', () => {
    const plays = watchPlays();
    const dossier = receivedBusiness(42, citizen);
    dossier.play(dossier.command('AttachComponentFile', reception, { componentId: 'application', file: { sha256: 'e'.repeat(64), size: 10, mediaType: 'image/png' }, origin: { kind: 'upload' }, approve: false }), '2026-03-02T08:40:00');
    const payload = payloadOf(plays.delivered(dossier));
    expect(payload.HoSoCoThanhPhanSoHoa).toBe('0');
    expect(payload.TaiLieuNop[0]!.TenTepDinhKem).toBe('application.png');
  });
});

describe('portal values', () => {
  it('writes instants as yyyyMMddHHmmss in Vietnam time, across midnight and the year, and nothing for no instant', () => {
    expect(portalDateTime('2026-03-02T01:30:00Z')).toBe('20260302083000');
    expect(portalDateTime('2026-12-31T17:30:59.999Z')).toBe('20270101003059');
    expect(portalDateTime('2026-03-02T08:30:00+07:00')).toBe('20260302083000');
    expect(portalDateTime(undefined)).toBe('');
    expect(portalDateTime('not a date')).toBe('');
  });

  it('keeps hostile text on one line, composed, and within the column, without cutting a character in half', () => {
    expect(portalText('Dòng 1\r\nDòng 2\tcột\u0000\u2028cuối  ', 100)).toBe('Dòng 1 Dòng 2 cột cuối');
    expect(portalText('Nguye\u0302\u0303n', 10)).toBe('Nguyễn');
    const long = 'Ạ'.repeat(1200);
    expect([...portalText(long, 1000)]).toHaveLength(1000);
    expect(portalText('😀'.repeat(60), 50)).toBe('😀'.repeat(50));
    expect(portalText(undefined, 10)).toBe('');
  });

  it('truncates the summary at 1000 and a supplement’s handler at 50, and a very long request list stays on one line', () => {
    const plays = watchPlays();
    const dossier = receivedBusiness(51, citizen);
    const longUser = actor('reception', CENTRE, `${'cán-bộ-'.repeat(20)}@${CENTRE}`);
    const missing = Array.from({ length: 5 }, (_, index) => ({ description: `Giấy tờ ${index}\n${'x'.repeat(400)}`, reason: 'Thiếu\r\nchữ ký' }));
    dossier.play(dossier.command('RequestSupplementAtReception', longUser, { missing }), '2026-03-02T09:00:00');
    const payload = payloadOf(plays.delivered(dossier));
    const [cycle] = payload.DanhSachHoSoBoSung;
    expect([...cycle!.NguoiYeuCauBoSung]).toHaveLength(50);
    expect([...cycle!.NoiDungBoSung].length).toBeLessThanOrEqual(1000);
    expect(cycle!.NoiDungBoSung).not.toMatch(/[\r\n]/);
    expect([...payload.TrichYeuHoSo].length).toBeLessThanOrEqual(1000);
    expect(payload.TrichYeuHoSo).toBe('Đăng ký thành lập hộ kinh doanh');
  });

  it('nothing is synced before the reception', () => {
    expect(dossierPayload([], settings)).toBeUndefined();
  });

  it('a result without a valid signature is not sent as an e-result', () => {
    const plays = watchPlays();
    const dossier = receivedBusiness(52, citizen);
    dossier.accept('2026-03-02T09:00:00');
    dossier.play(dossier.command('CompleteStep', actor('officer', ECONOMY), { stepId: 'business-registration', outcome: 'approved' }), '2026-03-03T09:00:00');
    const signed = verifiedResult('HKD-1', ECONOMY, 'b'.repeat(64));
    dossier.play(dossier.command('IssueResult', actor('head', ECONOMY), signed), '2026-03-03T10:00:00');
    const delivered = plays.delivered(dossier).map((entry) => (entry.event.type === 'ResultIssued' ? { ...entry, event: { ...entry.event, data: { ...entry.event.data, signature: { ...entry.event.data.signature!, valid: false } } } } : entry));
    expect(payloadOf(delivered).DanhSachGiayToKetQua).toEqual([]);
    expect(payloadOf(plays.delivered(dossier)).DanhSachGiayToKetQua).toHaveLength(1);
  });
});
