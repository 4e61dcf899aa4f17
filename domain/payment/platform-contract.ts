// The national payment platform's wire contract, "Payment Platform" v1.0.6 (docs/integrations.md#online-payment):
// the INIT, callback (IPN), QUERY and RECEIPT messages with the field names the platform uses, and
// for each signed message the order of the fields its MaXacThuc covers. MaXacThuc is the lowercase
// hex SHA-256 (plain, not an HMAC) of those fields' values joined by `|`, the partner's secret
// last; the hashing itself is I/O-free but needs node:crypto, so it lives in
// integrations/payment/signature.ts and this module gives only the lists and the joined text.
// Pure: no clock, no randomness; times are passed in.
import { z } from 'zod';

export const CONTRACT_VERSION = '1.0.6';

/** The fields of each signed message in the order MaXacThuc covers them (the secret follows). */
export const SIGNED_FIELDS = {
  INIT: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'LoaiHinhThanhToan', 'MaKenhThanhToan', 'MaThietBi', 'NgonNgu', 'MaTienTe', 'MaNganHang', 'ThongTinGiaoDich', 'ThoiGianGD', 'Ip'],
  CALLBACK: ['LoaiBanTin', 'MaLoi', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'MaTienTe', 'MaGiaoDich', 'MaNganHang', 'ThoiGianGD', 'ThongTinGiaoDich'],
  QUERY: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'],
  // [guess] The contract names RECEIPT's fields but not its signature's order: the QUERY's, as TH builds both alike.
  RECEIPT: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'],
  // [guess] The reply to a callback carries a MaXacThuc whose fields the contract does not list: these, in reply order.
  CALLBACK_REPLY: ['MaLoi', 'MaDoiTac', 'ThoiGianGD'],
} as const;
export type SignedMessage = keyof typeof SIGNED_FIELDS;

/** The text MaXacThuc hashes: the listed fields' values (absent: empty) and the secret, joined by `|`. */
export function signedText(message: SignedMessage, fields: Readonly<Record<string, unknown>>, secret: string): string {
  return [...SIGNED_FIELDS[message].map((name) => wireValue(fields[name])), secret].join('|');
}

/** A field as it is written into the signed text: numbers as their decimal digits, absent as empty. */
function wireValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/** Vietnam's offset from UTC (no daylight saving), in milliseconds. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/**
 * ThoiGianGD: `yyyyMMddHHmmss` in Vietnam time, on a 24-hour clock. (TH writes `hh`, a 12-hour
 * clock, so 14:05 and 02:05 read the same: a bug this engine does not copy.)
 */
export function formatThoiGianGD(at: Date): string {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${local.getUTCFullYear()}${two(local.getUTCMonth() + 1)}${two(local.getUTCDate())}${two(local.getUTCHours())}${two(local.getUTCMinutes())}${two(local.getUTCSeconds())}`;
}

export const THOI_GIAN_GD_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** The instant a ThoiGianGD names (read as Vietnam time), as ISO 8601 with +07:00; undefined if it is no real time. */
export function parseThoiGianGD(text: string): string | undefined {
  const match = THOI_GIAN_GD_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+07:00`;
}

const thoiGianGD = z.string().regex(THOI_GIAN_GD_PATTERN, 'must be yyyyMMddHHmmss (Vietnam time, 24-hour clock)').refine((text) => parseThoiGianGD(text) !== undefined, 'is not a real date and time');
// `|` joins the signed text (signedText above): a field holding one could shift the text's fields
// and still hash alike, so no signed field may carry it.
const code = (max: number) => z.string().min(1).max(max).regex(/^[\x21-\x7b\x7d\x7e]+$/, 'must be visible ASCII without spaces or "|"');
/** Amounts in VND, whole: the platform writes them as digits (a string) or a JSON number; both are taken. */
const amount = z.union([z.string().regex(/^[1-9]\d{0,14}$/, 'must be a whole positive amount in VND'), z.number().int().positive().max(999_999_999_999_999)]);
const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a hex SHA-256 digest');
/** Free text of the platform's (ThongTinGiaoDich): one line, no control characters. */
const line = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f]*$/u, 'must be one line without control characters');
/** Free text a MaXacThuc covers: one line, and no `|` (the signed text's separator). */
const signedLine = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f|]*$/u, 'must be one line without control characters or "|"');

/**
 * LoaiBanTin of a callback. The contract lists the callback's fields, not this one's value; the value
 * this engine and its double use [guess, docs/integrations.md#the-callback]. Another (a signed INIT or
 * QUERY sent back, say) is not a callback.
 */
export const CALLBACK_MESSAGE_TYPES = ['CONFIRM'] as const;

/** MaThamChieu: ours, unique per payment request, at most 50 characters. */
export const referenceSchema = z.string().regex(/^[A-Za-z0-9]{1,50}$/, 'must be 1 to 50 letters and digits');

/** One fee of the receipt (PhiLePhi[]). */
export const receiptFeeSchema = z.object({
  /** [guess] 1 = phí (a fee), 2 = lệ phí (a charge): the contract names the field, not its values. */
  LoaiPhiLePhi: z.enum(['1', '2']),
  MaPhiLePhi: line(50),
  TenPhiLePhi: line(500),
  SoTien: amount,
});

/** The receipt data (ThongTinBienLai) the platform prints on the e-receipt. */
export const receiptInfoSchema = z.object({
  MaDichVu: z.literal('2'),
  MaDVC: line(100),
  TenDVC: line(1000),
  MaTTHC: line(50),
  TenTTHC: line(1000),
  MaDonVi: line(50),
  TenDonVi: line(500),
  MaHoSo: line(100),
  TKThuHuong: line(50).optional(),
  MaNHThuHuong: line(50).optional(),
  TenTKThuHuong: line(500).optional(),
  NoiDungThanhToan: line(500),
  /** The payer: printed on the receipt, never stored or logged by the engine. */
  HoTenNguoiNop: line(200).optional(),
  DiaChiNguoiNop: line(500).optional(),
  PhiLePhi: z.array(receiptFeeSchema).max(50),
  DSKhoanNop: z.array(z.object({ NoiDung: line(500), SoTien: amount })).max(50),
});

/** INIT: the engine asks the platform for a payment page for one request. */
export const initRequestSchema = z.object({
  LoaiBanTin: z.literal('INIT'),
  PhienBan: z.literal(CONTRACT_VERSION),
  MaDoiTac: code(50),
  MaThamChieu: referenceSchema,
  SoTien: amount,
  LoaiHinhThanhToan: z.literal('PAY'),
  MaKenhThanhToan: z.literal('1'),
  MaThietBi: z.literal('1'),
  NgonNgu: z.literal('vi-VN'),
  MaTienTe: z.literal('VND'),
  MaNganHang: z.literal('PAYMENT'),
  ThongTinGiaoDich: signedLine(500),
  ThoiGianGD: thoiGianGD,
  Ip: code(45),
  ThongTinBienLai: receiptInfoSchema,
  MaXacThuc: sha256Hex,
});
export type InitRequest = z.infer<typeof initRequestSchema>;

/** The INIT reply: `message` is itself JSON text holding UrlThanhToan. */
export const initReplySchema = z.object({ error_code: z.string(), message: z.string() });
export const initReplyMessageSchema = z.object({ UrlThanhToan: z.url() });

/** The callback (IPN) the platform sends to POST /DvcPayment/Confirm. */
export const callbackSchema = z.object({
  LoaiBanTin: z.enum(CALLBACK_MESSAGE_TYPES),
  MaLoi: code(10),
  MaDoiTac: code(50),
  MaThamChieu: referenceSchema,
  SoTien: amount,
  MaTienTe: z.literal('VND'),
  MaGiaoDich: code(100),
  MaNganHang: code(50),
  ThoiGianGD: thoiGianGD,
  ThongTinGiaoDich: signedLine(500),
  MaXacThuc: sha256Hex,
});
export type Callback = z.infer<typeof callbackSchema>;

/**
 * The engine's reply codes (MaLoi) to a callback. The contract names "00" (success) only; the others
 * are this engine's [guess], documented in docs/integrations.md#online-payment. "99" asks the platform
 * to send again later; the others are final.
 */
export const CALLBACK_REPLY_CODES = {
  '00': 'Thành công',
  '01': 'Sai chữ ký (MaXacThuc)',
  '02': 'Không tìm thấy mã tham chiếu',
  '03': 'Số tiền không khớp với yêu cầu thanh toán',
  '04': 'Giao dịch không hợp lệ với trạng thái của yêu cầu thanh toán',
  '05': 'Bản tin không đúng định dạng',
  '99': 'Lỗi tạm thời, đề nghị gửi lại sau',
} as const;
export type CallbackReplyCode = keyof typeof CALLBACK_REPLY_CODES;

export interface CallbackReply {
  readonly MaLoi: CallbackReplyCode;
  readonly MoTaLoi: string;
  readonly MaDoiTac: string;
  readonly ThoiGianGD: string;
  readonly MaXacThuc: string;
}
export const callbackReplySchema = z.object({ MaLoi: z.enum(Object.keys(CALLBACK_REPLY_CODES) as [CallbackReplyCode, ...CallbackReplyCode[]]), MoTaLoi: z.string(), MaDoiTac: z.string(), ThoiGianGD: z.string(), MaXacThuc: z.string() });

/** QUERY: the engine asks what became of a transaction (reconciliation). */
export const queryRequestSchema = z.object({
  LoaiBanTin: z.literal('QUERY'),
  PhienBan: z.literal(CONTRACT_VERSION),
  MaDoiTac: code(50),
  MaThamChieu: referenceSchema,
  ThoiGianGD: thoiGianGD,
  MaXacThuc: sha256Hex,
});
export type QueryRequest = z.infer<typeof queryRequestSchema>;

/** TrangThaiGD: 1 success, 3 pending (the platform does not know the final state yet), 4 failed. */
export const TRANSACTION_STATES = { '1': 'success', '3': 'pending', '4': 'failed' } as const;

/** The QUERY reply: on success it names the platform's transaction and the bank. */
export const queryReplySchema = z.object({
  MaLoi: code(10),
  TrangThaiGD: z.enum(['1', '3', '4']).optional(),
  MaThamChieu: referenceSchema.optional(),
  MaGiaoDich: code(100).optional(),
  MaNganHang: code(50).optional(),
  SoTien: amount.optional(),
  ThoiGianGD: thoiGianGD.optional(),
  MoTaLoi: z.string().max(1000).optional(),
});
export type QueryReply = z.infer<typeof queryReplySchema>;

/** RECEIPT: the engine asks for the e-receipt (biên lai), answered as a PDF. */
export const receiptRequestSchema = queryRequestSchema.extend({ LoaiBanTin: z.literal('RECEIPT') });
export type ReceiptRequest = z.infer<typeof receiptRequestSchema>;

/** The amount a message carries, as a number. */
export function amountOf(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

/** "THANH TOAN HO SO <MaHoSo>", as TH writes ThongTinGiaoDich. */
export function transactionInfo(dossierCode: string): string {
  return `THANH TOAN HO SO ${dossierCode}`;
}
