// What both doubles of the national portal (doubles/portal-double-a.ts, generation A; and
// doubles/portal-double-b.ts, generation B) check in a dossier push and a progress row, and what
// they hold. The rules are those of docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc and
// docs/integrations.md#progress-rows-capnhattiendohosomc--quatrinhxulydongbodvc: every value a string, dates
// `yyyyMMddHHmmss`, `TrangThaiHoSo` a code 1–10, `MaHoSo` starting with the unit's identifier, the
// fields a status needs present, progress rows with their processing time. Where the portal's
// own rule is not public the check is marked [guess] and errs on the strict side: a double that
// accepts what the real portal might refuse would hide a bug.
//
// Messages are the portal's kind (Vietnamese), naming the field at fault, never its value: a
// refusal is recorded in the engine's delivery attempts, and values may be personal data.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FaultSwitch, ReceiptLedger, ReceiverFault, Receipt, ReceiptSummary } from './receiver-double.js';

/** The delivery a request belongs to, read from its `Idempotency-Key` (domain/outbox/deliveries.ts `deliveryKey`). */
export interface DeliveryKeyParts {
  readonly key: string;
  readonly receiver: string;
  readonly dossierCode: string;
  readonly sequence: number;
  readonly trigger: string;
}

/** `receiver/dossierCode/sequence/trigger[/suffix]`; null when the key is not one. */
export function parseDeliveryKey(key: string): DeliveryKeyParts | null {
  if (key.length > 500) return null;
  const parts = key.split('/');
  if (parts.length < 4 || parts.length > 5) return null;
  const [receiver, dossierCode, sequence, trigger] = parts as [string, string, string, string];
  if (!receiver || !dossierCode || !trigger || !/^[1-9]\d{0,8}$/.test(sequence)) return null;
  return { key, receiver, dossierCode, sequence: Number(sequence), trigger };
}

/** A valid `yyyyMMddHHmmss` instant (the portal's format, Asia/Ho_Chi_Minh wall time). */
export function isPortalDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{14}$/.test(value)) return false;
  const [year, month, day, hour, minute, second] = [value.slice(0, 4), value.slice(4, 6), value.slice(6, 8), value.slice(8, 10), value.slice(10, 12), value.slice(12, 14)].map(Number) as [number, number, number, number, number, number];
  if (year < 1900 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const DOSSIER_DATE_FIELDS = ['NgayNopHoSo', 'NgayTiepNhan', 'NgayHenTra', 'NgayTra', 'NgayKetThucXuLy', 'NgayTuChoi'] as const;
export const PROGRESS_DATE_FIELDS = ['ThoiDiemXuLy', 'NgayBatDau', 'NgayKetThucTheoQuyDinh'] as const;

/** Always required in a dossier push. */
export const REQUIRED_DOSSIER_FIELDS = ['MaHoSo', 'MaTTHC', 'TrangThaiHoSo', 'KenhThucHien', 'ChuHoSo', 'NgayNopHoSo'] as const;

/**
 * Required by status [guess: the portal's rules are not public; these are the dates 766 reads]:
 * a dossier accepted (2, 4, 6, 8, 9, 10) has its acceptance and its appointment; a refusal at
 * reception (3) its refusal date; a resolved one (9, 10) the end of processing; a returned one (10)
 * the return. Codes 5 and 7 happen before acceptance too (a supplement asked at reception, a
 * withdrawal), so they need nothing more.
 */
export const REQUIRED_BY_STATUS: Readonly<Record<number, readonly string[]>> = {
  2: ['NgayTiepNhan', 'NgayHenTra'],
  3: ['NgayTuChoi'],
  4: ['NgayTiepNhan', 'NgayHenTra'],
  6: ['NgayTiepNhan', 'NgayHenTra'],
  8: ['NgayTiepNhan', 'NgayHenTra'],
  9: ['NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy'],
  10: ['NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra'],
};

export const REQUIRED_PROGRESS_FIELDS = ['MaHoSo', 'NguoiXuLy', 'ThoiDiemXuLy', 'NoiDungXuLy', 'TrangThai'] as const;

/** TH truncates the handler's name at 50 characters: the portal's column [guess]. */
export const HANDLER_MAX_LENGTH = 50;

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every leaf a string (null is read as absent: TH sends `MaDoiTuong: null`); arrays hold objects
 * whose leaves are strings. The name of the first field that is not, or null.
 */
export function nonStringField(record: Json, path = ''): string | null {
  for (const [name, value] of Object.entries(record)) {
    const at = path ? `${path}.${name}` : name;
    if (value === null || typeof value === 'string') continue;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        if (!isRecord(item)) return `${at}[${index}]`;
        const inner = nonStringField(item, `${at}[${index}]`);
        if (inner) return inner;
      }
      continue;
    }
    return at;
  }
  return null;
}

const present = (record: Json, field: string) => typeof record[field] === 'string' && (record[field] as string).trim() !== '';

function statusCode(value: unknown): number | null {
  if (typeof value !== 'string' || !/^(10|[1-9])$/.test(value)) return null;
  return Number(value);
}

export interface DossierRules {
  /** `MaHoSo` starts with it (docs/integrations.md#payload-dongbohosomc-data-item--hosodongbodvc: TH rewrites codes that lack it). */
  readonly unitIdentifier: string;
}

/** What is wrong with one dossier of a push, as the portal would say it; null when it meets the contract. */
export function dossierProblem(item: unknown, rules: DossierRules): string | null {
  if (!isRecord(item)) return 'Dữ liệu hồ sơ không hợp lệ: mỗi phần tử phải là một đối tượng';
  const nonString = nonStringField(item);
  if (nonString) return `Trường ${nonString} phải là chuỗi`;
  for (const field of REQUIRED_DOSSIER_FIELDS) if (!present(item, field)) return `Thiếu trường bắt buộc ${field}`;
  const code = item.MaHoSo as string;
  if (!code.startsWith(rules.unitIdentifier)) return `MaHoSo không bắt đầu bằng mã định danh đơn vị ${rules.unitIdentifier}`;
  const status = statusCode(item.TrangThaiHoSo);
  if (status === null) return 'TrangThaiHoSo phải là mã từ 1 đến 10';
  if (!['1', '2', '3'].includes(item.KenhThucHien as string)) return 'KenhThucHien phải là "1", "2" hoặc "3"';
  for (const field of REQUIRED_BY_STATUS[status] ?? []) if (!present(item, field)) return `Thiếu trường ${field} (bắt buộc với TrangThaiHoSo ${status})`;
  for (const field of DOSSIER_DATE_FIELDS) {
    if (item[field] !== undefined && item[field] !== null && item[field] !== '' && !isPortalDate(item[field])) return `${field} không đúng định dạng yyyyMMddHHmmss`;
  }
  for (const [index, file] of arrayOf(item.TaiLieuNop).entries()) {
    for (const field of ['TepDinhKemId', 'TenTepDinhKem', 'DuongDanTaiTepTin']) if (!present(file, field)) return `TaiLieuNop[${index}]: thiếu trường ${field}`;
    if (file.IsDeleted !== undefined && file.IsDeleted !== null && file.IsDeleted !== 'True' && file.IsDeleted !== 'False') return `TaiLieuNop[${index}]: IsDeleted phải là "True" hoặc "False"`;
  }
  for (const [index, result] of arrayOf(item.DanhSachGiayToKetQua).entries()) {
    for (const field of ['TenGiayTo', 'DuongDanTepTinKetQua']) if (!present(result, field)) return `DanhSachGiayToKetQua[${index}]: thiếu trường ${field}`;
  }
  for (const [index, supplement] of arrayOf(item.DanhSachHoSoBoSung).entries()) {
    for (const field of ['NgayBoSung', 'NgayTiepNhanBoSung', 'NgayHenTraTruoc', 'NgayHenTraMoi']) {
      if (supplement[field] && !isPortalDate(supplement[field])) return `DanhSachHoSoBoSung[${index}]: ${field} không đúng định dạng yyyyMMddHHmmss`;
    }
  }
  return null;
}

/** What is wrong with one progress row; null when it meets the contract. */
export function progressProblem(row: unknown, rules: DossierRules): string | null {
  if (!isRecord(row)) return 'Dữ liệu tiến độ không hợp lệ: mỗi phần tử phải là một đối tượng';
  const nonString = nonStringField(row);
  if (nonString) return `Trường ${nonString} phải là chuỗi`;
  // OCPS PR #2507: "NgayXuLy trên DVCQG là trường bắt buộc".
  for (const field of REQUIRED_PROGRESS_FIELDS) if (!present(row, field)) return `Thiếu trường bắt buộc ${field}`;
  if (!(row.MaHoSo as string).startsWith(rules.unitIdentifier)) return `MaHoSo không bắt đầu bằng mã định danh đơn vị ${rules.unitIdentifier}`;
  if (statusCode(row.TrangThai) === null) return 'TrangThai phải là mã từ 1 đến 10';
  if ((row.NguoiXuLy as string).length > HANDLER_MAX_LENGTH) return `NguoiXuLy dài quá ${HANDLER_MAX_LENGTH} ký tự`;
  for (const field of PROGRESS_DATE_FIELDS) {
    if (row[field] !== undefined && row[field] !== null && row[field] !== '' && !isPortalDate(row[field])) return `${field} không đúng định dạng yyyyMMddHHmmss`;
  }
  return null;
}

function arrayOf(value: unknown): Json[] {
  return Array.isArray(value) ? (value.filter(isRecord) as Json[]) : [];
}

/** The file links of a dossier push: each component file's and each result's. */
export function fileLinksOf(item: Json): { readonly field: string; readonly id: string; readonly url: string }[] {
  return [
    ...arrayOf(item.TaiLieuNop).map((file, index) => ({ field: `TaiLieuNop[${index}].DuongDanTaiTepTin`, id: String(file.TepDinhKemId ?? index), url: String(file.DuongDanTaiTepTin) })),
    ...arrayOf(item.DanhSachGiayToKetQua).map((result, index) => ({ field: `DanhSachGiayToKetQua[${index}].DuongDanTepTinKetQua`, id: String(result.GiayToId ?? result.MaGiayToKetQua ?? index), url: String(result.DuongDanTepTinKetQua) })),
  ];
}

/** A dossier as the double holds it: its last payload, its status history and its progress rows. */
export interface HeldDossier {
  readonly code: string;
  status: number;
  payload: Json;
  readonly history: { readonly status: number; readonly at: string; readonly key: string | null; readonly sequence: number | null }[];
  readonly progress: Json[];
}

/** The dossiers a double holds, and the progress rows it has (a resent row is not kept twice). */
export class PortalHoldings {
  readonly #dossiers = new Map<string, HeldDossier>();
  readonly #rowDigests = new Set<string>();

  get(code: string): HeldDossier | undefined {
    return this.#dossiers.get(code);
  }

  has(code: string): boolean {
    return this.#dossiers.has(code);
  }

  /** Creates or updates a dossier from a push. */
  push(item: Json, key: DeliveryKeyParts | null): HeldDossier {
    const code = item.MaHoSo as string;
    const status = Number(item.TrangThaiHoSo);
    const held = this.#dossiers.get(code) ?? { code, status, payload: item, history: [], progress: [] };
    held.status = status;
    held.payload = item;
    held.history.push({ status, at: new Date().toISOString(), key: key?.key ?? null, sequence: key?.sequence ?? null });
    this.#dossiers.set(code, held);
    return held;
  }

  /** Appends progress rows to their dossiers; a row already held (same content) is not added again. */
  progress(rows: readonly Json[]): void {
    for (const row of rows) {
      const digest = createHash('sha256').update(JSON.stringify(row)).digest('hex');
      if (this.#rowDigests.has(digest)) continue;
      this.#rowDigests.add(digest);
      this.#dossiers.get(row.MaHoSo as string)?.progress.push(row);
    }
  }

  list(): HeldDossier[] {
    return [...this.#dossiers.values()];
  }
}

/** One request as `GET /__inspect` shows it. */
export interface InspectedPortalRequest {
  readonly at: string;
  readonly operation: string;
  readonly key: string | null;
  /** `acted`, `duplicate` (its key and content were acted on before), `refused`, or the fault suffered. */
  readonly outcome: string;
  readonly answer: string;
  readonly body: unknown;
}

/** At most this many requests are kept for /__inspect (a double run by npm start lives long). */
export const INSPECTED_REQUESTS_KEPT = 2000;

export function keepRequest(requests: InspectedPortalRequest[], request: InspectedPortalRequest): void {
  requests.push(request);
  if (requests.length > INSPECTED_REQUESTS_KEPT) requests.splice(0, requests.length - INSPECTED_REQUESTS_KEPT);
}

/**
 * What a delivery's request already did, so a resend is not acted on again: the first request of a
 * delivery key puts the receipt in the ledger; the same key, operation and content again is a
 * duplicate (counted in the ledger, not acted on). A delivery makes several requests under one
 * key (the dossier push, then its progress rows in chunks); each is acted on once.
 */
export class DeliveryMemory {
  readonly #acted = new Set<string>();
  constructor(private readonly ledger: ReceiptLedger) {}

  static digest(operation: string, body: unknown): string {
    return `${operation}|${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
  }

  /** True when this key already made this request (same operation and content): do not act again. */
  isRepeat(key: DeliveryKeyParts, operation: string, body: unknown): boolean {
    return this.#acted.has(`${key.key}|${DeliveryMemory.digest(operation, body)}`);
  }

  /** Records an acted request; the first of its key goes into the ledger with `detail`. */
  acted(key: DeliveryKeyParts, operation: string, body: unknown, detail: { readonly status: number | null; readonly operation: string }): void {
    this.#acted.add(`${key.key}|${DeliveryMemory.digest(operation, body)}`);
    if (!this.ledger.has(key.key)) this.ledger.act({ key: key.key, dossierCode: key.dossierCode, sequence: key.sequence, detail });
  }

  /** Counts a resend in the ledger. */
  repeated(key: DeliveryKeyParts, detail: { readonly status: number | null; readonly operation: string }): void {
    this.ledger.act({ key: key.key, dossierCode: key.dossierCode, sequence: key.sequence, detail });
  }
}

/** The key of a request: absent (null), or parsed; `invalid` when a header is there but is not a delivery key. */
export function requestKey(request: FastifyRequest): DeliveryKeyParts | null | 'invalid' {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return null;
  if (typeof header !== 'string') return 'invalid';
  return parseDeliveryKey(header) ?? 'invalid';
}

/** The handle a test or `npm start` holds on a portal double. */
export interface PortalDouble {
  readonly url: string;
  readonly app: import('fastify').FastifyInstance;
  readonly ledger: ReceiptLedger;
  /** Turns a fault on (`{mode:'none'}` clears it); as POST /__faults. */
  fail(fault: ReceiverFault): void;
  /** What the double acted on, by delivery key, in arrival order. */
  receipts(): readonly Receipt[];
  summary(): ReceiptSummary;
  /** A dossier the double holds, with its status history and progress rows. */
  dossier(code: string): HeldDossier | undefined;
  /** Makes the double hold a dossier as if it had been pushed before (a reconciliation test's portal that disagrees). */
  hold(payload: Record<string, string>): void;
  /** Ends every session (generation A); generation B has none and ignores it. */
  expireSessions(): void;
  close(): Promise<void>;
}

/**
 * Runs a handler under the fault switch: a fault that keeps the call from acting answers (or
 * drops) it; `slow` waits after acting, `lose-answer` acts and drops the connection. The handler
 * returns what to answer; the outcome is recorded for /__inspect.
 */
export async function underFaults(
  control: FaultSwitch,
  operation: string,
  request: FastifyRequest,
  reply: FastifyReply,
  malformedBody: string,
  record: (outcome: string, answer: string) => void,
  handle: () => Promise<{ readonly outcome: string; readonly type: 'json' | 'text'; readonly body: unknown }>,
): Promise<FastifyReply> {
  const fault = control.take(operation);
  if (await control.before(fault, request, reply, malformedBody)) {
    record(`fault:${fault!.mode}`, '');
    if (!reply.sent) reply.hijack();
    return reply;
  }
  const answer = await handle();
  const text = answer.type === 'json' ? JSON.stringify(answer.body) : String(answer.body);
  if (await control.afterActing(fault, request)) {
    record(`${answer.outcome}; fault:${fault!.mode}`, text);
    reply.hijack();
    return reply;
  }
  record(fault ? `${answer.outcome}; fault:${fault.mode}` : answer.outcome, text);
  return reply
    .code(200)
    .type(answer.type === 'json' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
    .send(text);
}
