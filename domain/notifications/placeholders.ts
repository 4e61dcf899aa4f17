import { formatVietnameseMoment, formatVietnameseShortDate, pad2, VIETNAM_UTC_OFFSET_MINUTES } from '../calendar/vietnam-time.js';
import type { NoticeContent } from './notice-content.js';

// The tiny template language of the notices: `{maHoSo}` is replaced by the dossier code, and that
// is all. No expressions, no loops, no HTML from a template's values: a unit's wording comes from
// configuration, and a value comes from what a person typed (a name, a missing paper's reason), so
// neither can do more than print text. A name not in the list below, or a brace that opens no
// placeholder, is refused when the configuration is loaded (./templates.ts).

export const NOTICE_PLACEHOLDERS = [
  'maHoSo',
  'maTraCuu',
  'tenThuTuc',
  'tenDonVi',
  'tenNguoiNhan',
  'xungHo',
  'thoiGian',
  'ngayTiepNhan',
  'ngayHenTra',
  'danhSachBoSung',
  'soMucBoSung',
  'ketLuan',
  'lyDo',
  'canCu',
  'soTien',
  'soThongBao',
  'cachNop',
  'linkThanhToan',
  'maThanhToan',
  'khoanThanhToan',
  'coQuanXinLoi',
  'lyDoXinLoi',
  'ngayHenTraCu',
  'ngayHenTraMoi',
  'soVanBan',
  'linkVanBan',
  'maKetQua',
  'hinhThucTra',
] as const;
export type NoticePlaceholder = (typeof NOTICE_PLACEHOLDERS)[number];

/** Placeholders whose value is a link: a clickable anchor in the HTML e-mail. */
export const LINK_PLACEHOLDERS: ReadonlySet<NoticePlaceholder> = new Set(['linkThanhToan', 'linkVanBan']);

/** How values are written: e-mail in full; SMS and ZNS short (times as 08:37 02/12/2026, lists shorter). */
export type ValueStyle = 'long' | 'short';

/** A template split into literal text and placeholders; `error` says what is wrong with it. */
export type TemplatePart = { readonly literal: string } | { readonly placeholder: NoticePlaceholder };

export function parseTemplate(template: string): { readonly parts: TemplatePart[] } | { readonly error: string } {
  const parts: TemplatePart[] = [];
  const pattern = /\{([^{}]*)\}|[{}]/g;
  let last = 0;
  for (const match of template.matchAll(pattern)) {
    const index = match.index;
    if (match[1] === undefined) return { error: `a "${match[0]}" at character ${index + 1} opens or closes no placeholder; write placeholders as {maHoSo}` };
    if (!(NOTICE_PLACEHOLDERS as readonly string[]).includes(match[1])) {
      return { error: `unknown placeholder {${match[1].slice(0, 40)}}; the placeholders are ${NOTICE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}` };
    }
    if (index > last) parts.push({ literal: template.slice(last, index) });
    parts.push({ placeholder: match[1] as NoticePlaceholder });
    last = index + match[0].length;
  }
  if (last < template.length) parts.push({ literal: template.slice(last) });
  return { parts };
}

/** One line of text: line breaks, tabs and other control characters become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001F\u007F-\u009F\u2028\u2029]+/gu, ' ').trim();
}

/** At most `max` characters (code points), "…" marking a cut. */
export function truncate(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A list's items as printed: at most `limit`, the rest counted ("… và 3 mục khác"). */
export function listItems(items: readonly string[], limit: number, itemMax: number): string[] {
  const shown = items.slice(0, limit).map((item) => truncate(oneLine(item), itemMax));
  return items.length > limit ? [...shown, `… và ${items.length - limit} mục khác`] : shown;
}

const LIST_LIMIT: Readonly<Record<ValueStyle, number>> = { long: 10, short: 3 };
const ITEM_MAX: Readonly<Record<ValueStyle, number>> = { long: 300, short: 40 };

/** "1.250.000 đồng". */
export function formatVnd(amount: number): string {
  const digits = String(Math.round(Math.abs(amount)));
  return `${amount < 0 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
}

function shortMoment(iso: string): string {
  const shifted = new Date(Date.parse(iso) + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return `${pad2(shifted.getUTCHours())}:${pad2(shifted.getUTCMinutes())} ${formatVietnameseShortDate(new Date(iso))}`;
}

const RETURN_METHODS = {
  long: { counter: 'trực tiếp tại Bộ phận Một cửa', post: 'qua dịch vụ bưu chính công ích đến địa chỉ đã đăng ký', electronic: 'bản điện tử trên Cổng Dịch vụ công' },
  short: { counter: 'trực tiếp', post: 'qua bưu chính', electronic: 'bản điện tử' },
} as const;

/**
 * Every placeholder's value for a notice, as text (lists as arrays of items). A value the notice
 * does not have reads as what a citizen should understand by its absence, never as an empty gap.
 */
export function placeholderValues(content: NoticeContent, style: ValueStyle): Record<NoticePlaceholder, string | readonly string[]> {
  const time = (iso: string | undefined, absent: string) => (iso === undefined ? absent : style === 'long' ? formatVietnameseMoment(new Date(iso)) : shortMoment(iso));
  const list = (items: readonly string[]) => listItems(items, LIST_LIMIT[style], ITEM_MAX[style]);
  const missing = content.missing ?? [];
  const { obligation, apology, refusal, paymentRequest } = content;
  const noOnlinePayment = style === 'long' ? 'Hệ thống chưa hỗ trợ thanh toán trực tuyến' : 'Chưa có thanh toán trực tuyến';
  const amount = obligation?.amountVnd ?? paymentRequest?.amountVnd;
  // A payment request is paid online: on the page the deployment gives, else with the receipt's code
  // and lookup secret on the lookup page of the portal the dossier is followed on.
  const payOnline = paymentRequest?.paymentLink
    ? style === 'long'
      ? `Thanh toán trực tuyến tại ${paymentRequest.paymentLink} (mã thanh toán ${paymentRequest.reference}).`
      : `Thanh toán tại: ${paymentRequest.paymentLink}`
    : style === 'long'
      ? `Thanh toán trực tuyến qua Nền tảng thanh toán của Cổng Dịch vụ công quốc gia: tra cứu hồ sơ bằng mã hồ sơ và mã tra cứu trên giấy tiếp nhận, rồi chọn thanh toán (mã thanh toán ${paymentRequest?.reference ?? ''}).`
      : 'Thanh toán trực tuyến khi tra cứu hồ sơ';
  return {
    maHoSo: content.dossierCode,
    maTraCuu: content.lookupSecret ?? 'xem trên giấy tiếp nhận hồ sơ',
    tenThuTuc: oneLine(content.procedureName),
    tenDonVi: oneLine(content.unitName),
    tenNguoiNhan: oneLine(content.recipient.fullName),
    xungHo: content.applicantKind === 'organisation' && !content.recipient.representative ? 'Quý tổ chức' : 'Ông/Bà',
    thoiGian: time(content.at, ''),
    ngayTiepNhan: time(content.receivedAt, ''),
    ngayHenTra: time(content.appointment, 'chưa có'),
    danhSachBoSung: list(missing.map((item) => (item.reason ? `${oneLine(item.description)}: ${oneLine(item.reason)}` : item.description))),
    soMucBoSung: String(missing.length),
    ketLuan: refusal?.atReception ? 'không được tiếp nhận' : 'không đủ điều kiện giải quyết',
    lyDo: list(refusal?.reasons ?? []),
    canCu: oneLine(refusal?.legalBasis ?? ''),
    soTien: amount !== undefined ? (style === 'long' ? formatVnd(amount) : formatVnd(amount).replace(/ đồng$/, ' VND')) : '',
    soThongBao: oneLine(obligation?.noticeNumber ?? ''),
    cachNop: paymentRequest
      ? payOnline
      : obligation?.paymentLink
      ? style === 'long'
        ? `Nộp trực tuyến tại ${obligation.paymentLink}, hoặc theo hướng dẫn trong thông báo nộp tiền.`
        : `Nộp trực tuyến: ${obligation.paymentLink}`
      : style === 'long'
        ? `Nộp theo hướng dẫn trong thông báo nộp tiền (tại cơ quan thuế, Kho bạc Nhà nước, ngân hàng được ủy nhiệm thu hoặc tại Bộ phận Một cửa). ${noOnlinePayment}.`
        : noOnlinePayment,
    linkThanhToan: paymentRequest?.paymentLink ?? obligation?.paymentLink ?? (paymentRequest ? 'trang tra cứu hồ sơ' : noOnlinePayment.toLowerCase()),
    maThanhToan: paymentRequest?.reference ?? '',
    khoanThanhToan: list(paymentRequest?.items ?? []),
    coQuanXinLoi: oneLine(apology?.agencyName ?? content.unitName),
    lyDoXinLoi: oneLine(apology?.reason ?? ''),
    ngayHenTraCu: time(apology?.previousAppointment, 'chưa có'),
    ngayHenTraMoi: time(apology?.newAppointment, 'xem văn bản xin lỗi'),
    // Documents' numbers are stored as printed ("Số: 07/PXL"); the sentence says "số" itself.
    soVanBan: oneLine(apology?.letterNumber ?? '').replace(/^Số:\s*/i, ''),
    linkVanBan: apology?.letterLink ?? '',
    maKetQua: content.result?.resultCode ?? '',
    hinhThucTra: content.returned ? RETURN_METHODS[style][content.returned.method] : '',
  };
}
