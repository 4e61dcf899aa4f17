// The JSON wire of the national PAKN system as this engine speaks it (docs/integrations.md#national-pakn-system).
// No public contract of that system exists (shared research found none), so this one is designed
// here, after the fields public code shows: Thanh Hóa's local entity PhanAnhKienNghi (HoTen, Email,
// SoDienThoai, DiaChi, TieuDe, NoiDung, NgayGui, TrangThai, NguoiTraLoi, NoiDungTraLoi, CongKhai)
// and the national portal's habits (every value a string, instants yyyyMMddHHmmss in Vietnam time,
// `error_code` "0" for success). Both the reference adapter and the loopback double hold to it.
//   GET  {base}/pakn/moi?sau=<cursor>&soLuong=<n>      → {error_code, message, DanhSach: [item], TiepTheo}
//   GET  {base}/pakn/danhgia?sau=<cursor>&soLuong=<n>  → {error_code, message, DanhSach: [{MaPAKN, SoLuotThich, SoLuotKhongThich}], TiepTheo}
//   POST {base}/pakn/capnhat  {status push}            → {error_code, message, MaPAKN}
// Every call carries `Authorization: Bearer <token>`.
import { z } from 'zod';
import { portalDateTime } from '../../domain/portal-sync/portal-format.js';

/** Items or reactions asked for in one page. */
export const PAKN_PAGE_SIZE = 50;

const text = (max: number) => z.string().max(max);
const portalInstant = z.string().regex(/^\d{14}$/, 'must be yyyyMMddHHmmss (Vietnam time)');
const count = z.union([z.string().regex(/^\d{1,9}$/), z.number().int().nonnegative()]).transform(Number);

export const wireItemSchema = z.object({
  MaPAKN: text(200).min(1),
  MaDonVi: text(50).min(1),
  HoTen: text(300).min(1),
  Email: text(320).nullish(),
  SoDienThoai: text(30).nullish(),
  DiaChi: text(500).nullish(),
  TieuDe: text(300).min(1),
  NoiDung: text(10_000).min(1),
  NgayGui: portalInstant,
  MaHoSo: text(100).nullish(),
  MaPAKNTruoc: text(200).nullish(),
  TepDinhKem: z.array(z.object({ TenTep: text(255).min(1), NoiDungBase64: z.string().max(14_000_000) })).max(10).nullish(),
});
export type WireItem = z.input<typeof wireItemSchema>;

export const wireItemPageSchema = z.object({
  error_code: z.union([z.string(), z.number()]).transform(String),
  message: z.string().nullish(),
  DanhSach: z.array(wireItemSchema).max(PAKN_PAGE_SIZE).nullish(),
  TiepTheo: text(500).nullish(),
});

export const wireReactionSchema = z.object({ MaPAKN: text(200).min(1), SoLuotThich: count, SoLuotKhongThich: count });
export type WireReaction = z.input<typeof wireReactionSchema>;

export const wireReactionPageSchema = z.object({
  error_code: z.union([z.string(), z.number()]).transform(String),
  message: z.string().nullish(),
  DanhSach: z.array(wireReactionSchema).max(PAKN_PAGE_SIZE).nullish(),
  TiepTheo: text(500).nullish(),
});

/** A status push as the system takes it: strings only, as the portal's other operations. */
export const wireStatusPushSchema = z
  .object({
    MaPAKN: text(200).min(1).optional(),
    MaPAKNDonVi: text(100).min(1),
    PhienBan: z.string().regex(/^\d{1,9}$/),
    MaDonVi: text(50).min(1),
    TrangThai: text(200).min(1),
    NgayCapNhat: portalInstant,
    KenhTiepNhan: text(50).min(1),
    TieuDe: text(300).min(1),
    NoiDung: text(10_000).min(1),
    NgayGui: portalInstant,
    HoTen: text(300).min(1),
    Email: text(320).optional(),
    SoDienThoai: text(30).optional(),
    DiaChi: text(500).optional(),
    LinhVuc: text(50).optional(),
    MaHoSo: text(100).optional(),
    GhiChu: text(2000).optional(),
    NguoiTraLoi: text(300).optional(),
    NoiDungTraLoi: text(20_000).optional(),
    NgayTraLoi: portalInstant.optional(),
    CongKhai: z.enum(['0', '1']),
    DuongDanVanBan: text(2000).optional(),
  })
  .strict();
export type WireStatusPush = z.infer<typeof wireStatusPushSchema>;

export const wirePushReplySchema = z.object({
  error_code: z.union([z.string(), z.number()]).transform(String),
  message: z.string().nullish(),
  MaPAKN: text(200).nullish(),
});

/** yyyyMMddHHmmss in Vietnam time as an ISO instant (UTC+7, no daylight saving); undefined when not a real date. */
export function instantOfPortalTime(value: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour - 7, minute, second);
  const check = new Date(time + 7 * 3_600_000);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return new Date(time).toISOString();
}

export { portalDateTime };
