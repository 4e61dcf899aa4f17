// The dossier as the national portal's sync holds it (DongBoHoSoMC's `data[]` item, generation B's
// HoSoDongBoDVC; docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc): a projection of the dossier's events, nothing else, so a
// retry, a resend and the nightly reconciliation send the same thing for the same events. Every
// value is a string, as the portal's clients send them; instants are yyyyMMddHHmmss in Vietnam time.
//
// What the public client code got wrong is not copied: TrangThaiHoSo is the true code (no 5/6/8 → 9),
// DuocThanhToanTrucTuyen says where the fee was paid online (not "a fee row exists"), DinhDanhCHS
// is empty rather than a made-up "000000001", MaHoSo is never rewritten, and DanhSachHoSoBoSung is
// filled from the supplement cycles (docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc).
import type { FileOrigin } from '../files/file-model.js';
import type { Channel } from '../dossier/commands.js';
import { agencyName, handlingAgencyCode, readTimeline, type DossierTimeline, type PortalSyncEvent, type SupplementCycle, type TimelineFile } from './dossier-timeline.js';
import { PORTAL_TEXT_LIMITS, portalDateTime, portalText } from './portal-format.js';
import { portalStatusCode, type PortalStatusMap } from './status-map.js';

export interface PayloadSettings {
  readonly statusMap: PortalStatusMap;
  /** Local procedure code → the national catalogue's (MaTTHC); the local code when absent (OCPS's fallback). */
  readonly procedureCodes?: Readonly<Record<string, string>>;
  /** National procedure code → its main result's code (MaGiayToKetQua, the catalogue's MaKetQuaChinh). */
  readonly resultDocumentCodes?: Readonly<Record<string, string>>;
  /** A link the portal downloads a file of the dossier from (signed and expiring: api/routes/portal-files.ts). */
  readonly fileLink: (dossierCode: string, sha256: string) => string;
}

export interface PortalFileEntry {
  readonly TepDinhKemId: string;
  readonly TenTepDinhKem: string;
  readonly IsDeleted: 'True' | 'False';
  readonly MaThanhPhanHoSo: string;
  readonly DuongDanTaiTepTin: string;
  readonly DuocSoHoa: '0' | '1';
  readonly DuocTaiSuDung: '0' | '1' | '2';
  readonly DuocLayTuKhoDMQG: '0' | '1';
  readonly MaKetQuaThayThe: string;
}

export interface PortalSupplementEntry {
  readonly HoSoBoSungId: string;
  readonly NguoiYeuCauBoSung: string;
  readonly NoiDungBoSung: string;
  readonly NgayBoSung: string;
  readonly NguoiTiepNhanBoSung: string;
  readonly ThongTinTiepNhan: string;
  readonly NgayTiepNhanBoSung: string;
  readonly TrangThaiBoSung: '0' | '1';
  readonly DanhSachGiayToBoSung: readonly { readonly MaThanhPhanHoSo: string; readonly TenGiayTo: string }[];
  readonly DanhSachLePhiBoSung: readonly never[];
  readonly NgayHenTraTruoc: string;
  readonly NgayHenTraMoi: string;
}

/**
 * A fee row (DanhSachLePhi). The code lists are not public (docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc):
 * LoaiPhiLePhi 1 lệ phí, 2 phí [guess], lệ phí when the catalogue does not say (the clients send 1);
 * MaPhiLePhi the row's position in the version; HinhThucThu 1 as the clients send it [guess].
 */
export interface PortalFeeEntry {
  readonly TenPhiLePhi: string;
  readonly MaPhiLePhi: string;
  readonly HinhThucThu: '1';
  readonly Gia: string;
  readonly LoaiPhiLePhi: '1' | '2';
}

export interface PortalResultEntry {
  readonly TenGiayTo: string;
  readonly MaThanhPhanHoSo: string;
  readonly GiayToId: string;
  readonly DuongDanTepTinKetQua: string;
  readonly MaGiayToKetQua: string;
}

export interface PortalDossierPayload {
  readonly MaHoSo: string;
  readonly MaTTHC: string;
  readonly TenTTHC: string;
  readonly TenLinhVuc: string;
  readonly KenhThucHien: '1' | '2' | '3';
  readonly ChuHoSo: string;
  readonly SoGiayToChuHoSo: string;
  readonly Email: string;
  readonly SoDienThoai: string;
  readonly LoaiDoiTuong: '1' | '2';
  readonly DinhDanhCHS: readonly { readonly LoaiDinhDanh: '1' | '2'; readonly SoDinhDanh: string }[];
  readonly TaiKhoanDuocXacThucVoiVNeID: '0' | '1';
  readonly TrichYeuHoSo: string;
  readonly NgayNopHoSo: string;
  readonly NgayTiepNhan: string;
  readonly NgayHenTra: string;
  readonly NgayHenTraTruoc: string;
  readonly NgayHenTraMoi: string;
  readonly NgayTra: string;
  readonly NgayKetThucXuLy: string;
  readonly NgayTuChoi: string;
  readonly TrangThaiHoSo: string;
  readonly HinhThuc: '0' | '1';
  readonly DonViXuLy: string;
  readonly HoSoCoThanhPhanSoHoa: '0' | '1';
  readonly DuocThanhToanTrucTuyen: '0' | '1' | '2';
  /** The fees and charges of the procedure version pinned at acceptance, zero rows too (766 §3.5–3.6); empty before acceptance. */
  readonly DanhSachLePhi: readonly PortalFeeEntry[];
  readonly TaiLieuNop: readonly PortalFileEntry[];
  readonly DanhSachHoSoBoSung: readonly PortalSupplementEntry[];
  readonly DanhSachGiayToKetQua: readonly PortalResultEntry[];
}

const CHANNEL_CODES: Readonly<Record<Channel, '1' | '2' | '3'>> = { counter: '1', online: '2', post: '3' };

/** The payload of the dossier after these events (its stream from the reception on, in order); undefined before reception. */
export function dossierPayload(events: readonly PortalSyncEvent[], settings: PayloadSettings): PortalDossierPayload | undefined {
  const timeline = readTimeline(events);
  return timeline && payloadOf(timeline, settings);
}

/** The national procedure code (MaTTHC) of a local one. */
export function nationalProcedureCode(procedureCode: string, procedureCodes: Readonly<Record<string, string>> | undefined): string {
  return procedureCodes?.[procedureCode] ?? procedureCode;
}

export function payloadOf(timeline: DossierTimeline, settings: PayloadSettings): PortalDossierPayload {
  const { state, received } = timeline;
  const { applicant } = received;
  const code = timeline.dossierCode;
  const procedureCode = nationalProcedureCode(state.procedureCode, settings.procedureCodes);
  const procedureName = portalText(state.accepted?.procedure.name ?? state.procedureName, PORTAL_TEXT_LIMITS.line);
  const currentFiles = timeline.files.filter((file) => !file.replaced);
  return {
    MaHoSo: code,
    MaTTHC: procedureCode,
    TenTTHC: procedureName,
    TenLinhVuc: portalText(state.accepted?.procedure.field, PORTAL_TEXT_LIMITS.line),
    KenhThucHien: CHANNEL_CODES[state.channel],
    ChuHoSo: portalText(applicant.fullName, PORTAL_TEXT_LIMITS.line),
    SoGiayToChuHoSo: applicant.identityNumber,
    Email: applicant.email ?? '',
    SoDienThoai: applicant.phone ?? '',
    LoaiDoiTuong: applicant.kind === 'citizen' ? '1' : '2',
    DinhDanhCHS: identities(applicant.kind, applicant.identityNumber),
    TaiKhoanDuocXacThucVoiVNeID: received.submission?.assuranceLevel !== undefined ? '1' : '0',
    // The engine keeps no abstract of its own: the procedure's name says what is asked (TH sends "Dinhkem" when empty).
    TrichYeuHoSo: portalText(procedureName || state.procedureCode, PORTAL_TEXT_LIMITS.summary),
    NgayNopHoSo: portalDateTime(received.submission?.submittedAt ?? received.receivedAt),
    NgayTiepNhan: portalDateTime(state.accepted?.at),
    NgayHenTra: portalDateTime(timeline.due),
    NgayHenTraTruoc: portalDateTime(timeline.apology?.originalDue),
    NgayHenTraMoi: portalDateTime(timeline.apology?.newAppointment),
    NgayTra: portalDateTime(timeline.returned?.at),
    NgayKetThucXuLy: portalDateTime(timeline.endedAt),
    NgayTuChoi: portalDateTime(timeline.refusedAt),
    TrangThaiHoSo: portalStatusCode(settings.statusMap, state.status),
    // Return by the public postal service (1) or at the counter (0): as returned, else as it came in.
    HinhThuc: (timeline.returned?.method ?? state.channel) === 'post' ? '1' : '0',
    DonViXuLy: portalText(agencyName(state, handlingAgencyCode(state)), PORTAL_TEXT_LIMITS.line),
    HoSoCoThanhPhanSoHoa: currentFiles.some((file) => file.approved) ? '1' : '0',
    DuocThanhToanTrucTuyen: timeline.onlinePayment,
    DanhSachLePhi: (state.accepted?.procedure.fees ?? []).map((fee, index) => ({
      TenPhiLePhi: portalText(fee.name, PORTAL_TEXT_LIMITS.line),
      MaPhiLePhi: String(index + 1),
      HinhThucThu: '1',
      Gia: String(fee.amountVnd),
      LoaiPhiLePhi: fee.kind === 'fee' ? '2' : '1',
    })),
    TaiLieuNop: timeline.files.map((file) => fileEntry(code, file, settings)),
    DanhSachHoSoBoSung: timeline.supplements.map((cycle) => supplementEntry(code, cycle)),
    DanhSachGiayToKetQua: timeline.results
      // An e-result is the competent body's signed file (docs/documents.md); a result recorded before
      // results were files, or whose signature failed, has no file the portal may hand the citizen.
      .filter((result) => result.signature?.valid === true)
      .map((result) => ({
        TenGiayTo: portalText(`Kết quả giải quyết thủ tục hành chính: ${procedureName || state.procedureCode}`, PORTAL_TEXT_LIMITS.resultName),
        MaThanhPhanHoSo: '',
        GiayToId: result.resultCode,
        DuongDanTepTinKetQua: settings.fileLink(code, result.document.sha256),
        MaGiayToKetQua: settings.resultDocumentCodes?.[procedureCode] ?? '',
      })),
  };
}

/** DinhDanhCHS: a citizen's 12-digit personal identification number (1) or 9-digit old ID (2); nothing invented when it is neither. */
function identities(kind: 'citizen' | 'organisation', number: string): PortalDossierPayload['DinhDanhCHS'] {
  if (kind !== 'citizen') return [];
  if (/^[0-9]{12}$/.test(number)) return [{ LoaiDinhDanh: '1', SoDinhDanh: number }];
  if (/^[0-9]{9}$/.test(number)) return [{ LoaiDinhDanh: '2', SoDinhDanh: number }];
  return [];
}

/** DuocTaiSuDung: 1 reused from the applicant's earlier dossier, 2 from a result issued to them (TH's TrangThaiSoHoa 2 and 3). */
const REUSE_CODES: Readonly<Record<FileOrigin['kind'], '0' | '1' | '2'>> = { upload: '0', portal: '0', 'earlier-dossier': '1', 'issued-result': '2', 'data-store': '0' };

const EXTENSIONS: Readonly<Record<string, string>> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'application/xml': 'xml', 'application/json': 'json' };

function fileEntry(dossierCode: string, file: TimelineFile, settings: PayloadSettings): PortalFileEntry {
  return {
    TepDinhKemId: file.sha256,
    TenTepDinhKem: portalText(file.name, PORTAL_TEXT_LIMITS.fileName) || `${file.componentId}.${EXTENSIONS[file.mediaType] ?? 'bin'}`,
    IsDeleted: file.replaced ? 'True' : 'False',
    MaThanhPhanHoSo: file.componentId,
    DuongDanTaiTepTin: settings.fileLink(dossierCode, file.sha256),
    DuocSoHoa: file.approved ? '1' : '0',
    DuocTaiSuDung: REUSE_CODES[file.origin.kind],
    DuocLayTuKhoDMQG: file.origin.kind === 'data-store' ? '1' : '0',
    MaKetQuaThayThe: file.origin.kind === 'data-store' ? (file.origin.documentCode ?? '') : '',
  };
}

function supplementEntry(dossierCode: string, cycle: SupplementCycle): PortalSupplementEntry {
  return {
    HoSoBoSungId: `${dossierCode}-BS${cycle.number}`,
    NguoiYeuCauBoSung: portalText(cycle.requestedBy, PORTAL_TEXT_LIMITS.handler),
    NoiDungBoSung: portalText(cycle.missing.map((item) => `${item.description}: ${item.reason}`).join('; '), PORTAL_TEXT_LIMITS.summary),
    NgayBoSung: portalDateTime(cycle.requestedAt),
    NguoiTiepNhanBoSung: portalText(cycle.receivedBy, PORTAL_TEXT_LIMITS.handler),
    ThongTinTiepNhan: portalText(cycle.note, PORTAL_TEXT_LIMITS.summary),
    NgayTiepNhanBoSung: portalDateTime(cycle.providedAt),
    // 0 waiting for the applicant, 1 supplemented [guess: the code list was not found].
    TrangThaiBoSung: cycle.providedAt === undefined ? '0' : '1',
    DanhSachGiayToBoSung: cycle.missing.map((item) => ({ MaThanhPhanHoSo: item.componentId ?? '', TenGiayTo: portalText(item.description, PORTAL_TEXT_LIMITS.line) })),
    DanhSachLePhiBoSung: [],
    NgayHenTraTruoc: portalDateTime(cycle.dueBefore),
    NgayHenTraMoi: portalDateTime(cycle.dueAfter),
  };
}
