// A loopback double of the national portal's generation-B endpoints (docs/integrations/national-portal.md#the-portals-doubles,
// docs/integrations.md#the-portals-answers; TH's SyncLocalDataToDVCQG): a Fastify app on 127.0.0.1 that holds dossiers in
// memory and enforces the contract as the engine must meet it.
//   POST /hoso/themmoi  [HoSoDongBoDVC…] → {error_code:"0", message:"Đồng bộ thành công"};
//     a dossier it holds → {error_code:"-3", message:"Hồ sơ đã tồn tại"} (the adapter then updates);
//   POST /hoso/capnhat  [HoSoDongBoDVC…] → the same success; a dossier it does not hold → "1";
//   POST /tientrinh     [QuaTrinhXuLyDongBoDVC…], at most 10 rows → plain text "Cập nhật thành công",
//     or a plain-text error.
//   Before acting on a dossier it FETCHES every DuongDanTaiTepTin and DuongDanTepTinKetQua: a link
//   that does not answer 2xx with a PDF, JPEG or PNG (by its bytes) refuses the dossier with
//   {error_code:"1", message naming the file by its id and the field}. The engine's public file
//   links (api/routes/portal-files.ts) must therefore be reachable from the portal.
//   A refusal of the contract is {error_code:"1", message naming the field}. No auth header: TH
//   sends none (access by network, docs/integrations.md#how-each-generation-sends-a-delivery [guess]).
// Idempotency: as the generation-A double (doubles/portal-double-a.ts): the `Idempotency-Key` of
// the delivery, a receipt per key in the ledger (detail {status, operation}), a resend with the
// same key and content counted as a duplicate and not acted on (nor its files fetched again).
// For tests: GET /__inspect (requests, held dossiers, files fetched), POST /__faults (operations
// `themmoi`, `capnhat`, `tientrinh`).
import Fastify from 'fastify';
import { installReceiverControls, receiverHandle, ReceiptLedger } from './receiver-double.js';
import {
  type DeliveryKeyParts,
  DeliveryMemory,
  dossierProblem,
  fileLinksOf,
  type InspectedPortalRequest,
  keepRequest,
  PortalHoldings,
  type PortalDouble,
  progressProblem,
  requestKey,
  underFaults,
} from './portal-double-contract.js';

export interface PortalDoubleBOptions {
  readonly port?: number;
  /** Every MaHoSo starts with it (the unit's identifier, QCVN 102:2016; domain/dossier/dossier-code.ts). */
  readonly unitIdentifier: string;
  /** A file link that does not answer within this is not downloadable (10 s by default). */
  readonly fetchTimeoutMs?: number;
  /** Largest file fetched, in bytes (25 MiB by default); a larger one is not downloadable. */
  readonly maxFileBytes?: number;
}

/** Rows per progress request (TH sends them in chunks of 10, docs/integrations.md#progress-rows-capnhattiendohosomc--quatrinhxulydongbodvc). */
export const PROGRESS_CHUNK_LIMIT = 10;

export interface FetchedFile {
  readonly at: string;
  readonly dossierCode: string;
  readonly field: string;
  readonly id: string;
  readonly url: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly mediaType: string | null;
  readonly size: number;
  readonly reason: string | null;
}

type Json = Record<string, unknown>;

/** The handle on a generation-B double: a portal double that also lists the files it fetched. */
export type PortalDoubleB = PortalDouble & { fetched(): readonly FetchedFile[] };

/** The media type of a file by its first bytes: PDF, JPEG or PNG, else null. */
export function sniffMediaType(bytes: Uint8Array): string | null {
  const starts = (...magic: number[]) => magic.every((byte, index) => bytes[index] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return null;
}

export async function startPortalDoubleB(options: PortalDoubleBOptions): Promise<PortalDoubleB> {
  const rules = { unitIdentifier: options.unitIdentifier };
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
  const maxFileBytes = options.maxFileBytes ?? 25 * 1_048_576;
  const holdings = new PortalHoldings();
  const ledger = new ReceiptLedger();
  const memory = new DeliveryMemory(ledger);
  const requests: InspectedPortalRequest[] = [];
  const fetched: FetchedFile[] = [];
  const app = Fastify({ logger: false, bodyLimit: 8 * 1_048_576 });
  const control = installReceiverControls(app, ledger);

  const refuse = (message: string) => ({ outcome: 'refused', type: 'json' as const, body: { error_code: '1', message } });
  const success = (outcome: string) => ({ outcome, type: 'json' as const, body: { error_code: '0', message: 'Đồng bộ thành công' } });
  const recorder = (operation: string, key: DeliveryKeyParts | null, body: unknown) => (outcome: string, answer: string) =>
    keepRequest(requests, { at: new Date().toISOString(), operation, key: key?.key ?? null, outcome, answer, body });

  /** Why a file link is not downloadable, or null when it is. */
  async function download(dossierCode: string, link: { field: string; id: string; url: string }): Promise<string | null> {
    let status: number | null = null;
    let mediaType: string | null = null;
    let size = 0;
    let reason: string | null = null;
    try {
      const url = new URL(link.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('không phải địa chỉ http(s)');
      const response = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'follow' });
      status = response.status;
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        reason = `HTTP ${response.status}`;
      } else {
        const chunks: Uint8Array[] = [];
        for await (const chunk of response.body) {
          size += chunk.byteLength;
          if (size > maxFileBytes) break;
          chunks.push(chunk);
        }
        if (size > maxFileBytes) reason = `lớn quá ${maxFileBytes} byte`;
        else {
          mediaType = sniffMediaType(Buffer.concat(chunks));
          if (!mediaType) reason = 'không phải tệp PDF hoặc ảnh';
        }
      }
    } catch (error) {
      reason = error instanceof TypeError && /Invalid URL/i.test(String(error.message)) ? 'đường dẫn không hợp lệ' : `không tải được (${(error as Error).name === 'TimeoutError' ? 'hết thời gian chờ' : 'lỗi kết nối'})`;
    }
    fetched.push({ at: new Date().toISOString(), dossierCode, ...link, ok: reason === null, status, mediaType, size, reason });
    return reason;
  }

  async function pushDossiers(operation: 'themmoi' | 'capnhat', body: unknown, key: DeliveryKeyParts | null) {
    if (!Array.isArray(body) || body.length === 0) return refuse('Dữ liệu phải là một mảng HoSoDongBoDVC không rỗng');
    for (const [index, item] of body.entries()) {
      const problem = dossierProblem(item, rules);
      if (problem) return refuse(`[${index}]: ${problem}`);
    }
    const items = body as Json[];
    if (key && items.some((item) => item.MaHoSo !== key.dossierCode)) return refuse('MaHoSo không khớp với hồ sơ của Idempotency-Key');
    const repeat = key !== null && memory.isRepeat(key, operation, items);
    const status = Number(items.at(-1)!.TrangThaiHoSo);
    if (operation === 'themmoi') {
      const heldAlready = items.find((item) => holdings.has(item.MaHoSo as string));
      if (heldAlready) {
        if (repeat) memory.repeated(key!, { status, operation });
        return { outcome: repeat ? 'duplicate' : 'refused', type: 'json' as const, body: { error_code: '-3', message: 'Hồ sơ đã tồn tại' } };
      }
    } else {
      const missing = items.find((item) => !holdings.has(item.MaHoSo as string));
      if (missing) return refuse('Hồ sơ chưa tồn tại, gửi qua themmoi');
    }
    if (repeat) {
      memory.repeated(key!, { status, operation });
      return success('duplicate');
    }
    for (const item of items) {
      for (const link of fileLinksOf(item)) {
        const reason = await download(item.MaHoSo as string, link);
        if (reason) return refuse(`Không tải được tệp ${link.id} (${link.field}): ${reason}`);
      }
    }
    for (const item of items) holdings.push(item, key);
    if (key) memory.acted(key, operation, items, { status, operation });
    return success('acted');
  }

  for (const operation of ['themmoi', 'capnhat'] as const) {
    app.post(`/hoso/${operation}`, async (request, reply) => {
      const key = requestKey(request);
      const delivery = key === 'invalid' ? null : key;
      return underFaults(control, operation, request, reply, '{"error_code":"0","message":', recorder(operation, delivery, request.body), async () => {
        if (key === 'invalid') return refuse('Idempotency-Key không phải khóa của một lần gửi (portal/<MaHoSo>/<thứ tự>/<lý do>)');
        return pushDossiers(operation, request.body, key);
      });
    });
  }

  app.post('/tientrinh', async (request, reply) => {
    const key = requestKey(request);
    const delivery = key === 'invalid' ? null : key;
    const text = (outcome: string, body: string) => ({ outcome, type: 'text' as const, body });
    return underFaults(control, 'tientrinh', request, reply, 'Cập nhật th', recorder('tientrinh', delivery, request.body), async () => {
      if (key === 'invalid') return text('refused', 'Lỗi: Idempotency-Key không phải khóa của một lần gửi');
      const rows = request.body;
      if (!Array.isArray(rows) || rows.length === 0) return text('refused', 'Lỗi: dữ liệu phải là một mảng QuaTrinhXuLyDongBoDVC không rỗng');
      if (rows.length > PROGRESS_CHUNK_LIMIT) return text('refused', `Lỗi: tối đa ${PROGRESS_CHUNK_LIMIT} bản ghi mỗi lần gửi, nhận ${rows.length}`);
      for (const [index, row] of rows.entries()) {
        const problem = progressProblem(row, rules);
        if (problem) return text('refused', `Lỗi: [${index}]: ${problem}`);
      }
      const typed = rows as Json[];
      if (key && typed.some((row) => row.MaHoSo !== key.dossierCode)) return text('refused', 'Lỗi: MaHoSo không khớp với hồ sơ của Idempotency-Key');
      const unknown = typed.find((row) => !holdings.has(row.MaHoSo as string));
      if (unknown) return text('refused', 'Lỗi: hồ sơ chưa được đồng bộ');
      const status = holdings.get(typed[0]!.MaHoSo as string)!.status;
      if (key && memory.isRepeat(key, 'tientrinh', typed)) {
        memory.repeated(key, { status, operation: 'tientrinh' });
        return text('duplicate', 'Cập nhật thành công');
      }
      holdings.progress(typed);
      if (key) memory.acted(key, 'tientrinh', typed, { status, operation: 'tientrinh' });
      return text('acted', 'Cập nhật thành công');
    });
  });

  app.get('/__inspect', async () => ({
    requests,
    fetched,
    dossiers: holdings.list().map(({ code, status, history, progress }) => ({ code, status, history, progress: progress.length })),
  }));

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    ...receiverHandle(url, app, ledger, control),
    dossier: (code) => holdings.get(code),
    hold: (payload) => void holdings.push(payload, null),
    fetched: () => [...fetched],
    expireSessions: () => undefined,
  };
}
