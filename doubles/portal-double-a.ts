// A loopback double of the national portal's generation-A adapter (docs/integrations/national-portal.md#the-portals-doubles,
// docs/integrations.md#how-each-generation-sends-a-delivery): a Fastify app on 127.0.0.1 that holds dossiers in memory and enforces the contract
// as the engine must meet it.
//   POST /auth {username, password} with header `dstcode` → {session, error_code: 0}; sessions
//     last `sessionTtlMs` (30 min by default; `expireSessions()` ends them all for a test).
//   POST /integration {session, madonvi, service, ...}, header `dstcode`, dispatching on `service`:
//     TraCuuHoSo {mahoso} → {error_code:"0", result:[the dossier it holds]} (empty when none);
//     DongBoHoSoMC {isUpdating:"True"|"False", data:[dossier…]} → {error_code:"0", message};
//       "False" for a dossier it holds → {error_code:"-3", message:"Hồ sơ … đã tồn tại"};
//       "True" for one it does not hold → {error_code:"-1"};
//     CapNhatTienDoHoSoMC {data:[progress row…]} → {error_code:"0"}, rows of dossiers it holds.
//   Every refusal is {error_code:"-1", message naming the field}, with HTTP 200 as the adapter
//   answers (OCPS reads error_code, not the HTTP status). An unknown or expired session answers
//   {error_code:"-1", message:"Phiên làm việc không hợp lệ hoặc đã hết hạn"} [guess: the real code
//   is not public]; the adapter must log in again.
// Idempotency: the engine's adapter sends each delivery's key in `Idempotency-Key`
// (`portal/<dossierCode>/<sequence>/<trigger>`); the first request of a key puts a receipt in the
// ledger (GET /__receipts, detail {status, operation}); the same key, operation and content again is
// counted as a duplicate and not acted on, and answered as the portal would answer it now (a
// create of a dossier it holds: "đã tồn tại"; an update or progress: success).
// For tests: GET /__inspect (requests, held dossiers and their status history), POST /__faults
// (doubles/receiver-double.ts; `operation` is the `service` name, or `auth`).
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { installReceiverControls, receiverHandle, ReceiptLedger } from './receiver-double.js';
import {
  type DeliveryKeyParts,
  DeliveryMemory,
  dossierProblem,
  type InspectedPortalRequest,
  keepRequest,
  PortalHoldings,
  type PortalDouble,
  progressProblem,
  requestKey,
  underFaults,
} from './portal-double-contract.js';

export interface PortalDoubleAOptions {
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  /** The `dstcode` header every call must carry. */
  readonly dstcode?: string;
  /** When set, `madonvi` must be it; otherwise any non-empty unit code. */
  readonly madonvi?: string;
  /** Every MaHoSo starts with it (the unit's identifier, QCVN 102:2016; domain/dossier/dossier-code.ts). */
  readonly unitIdentifier: string;
  readonly sessionTtlMs?: number;
}

export const PORTAL_A_DEFAULTS = { username: 'motcua', password: 'motcua-portal-a', dstcode: 'DVCQG' } as const;

const SESSION_INVALID = 'Phiên làm việc không hợp lệ hoặc đã hết hạn';

type Json = Record<string, unknown>;

export async function startPortalDoubleA(options: PortalDoubleAOptions): Promise<PortalDouble> {
  const username = options.username ?? PORTAL_A_DEFAULTS.username;
  const password = options.password ?? PORTAL_A_DEFAULTS.password;
  const dstcode = options.dstcode ?? PORTAL_A_DEFAULTS.dstcode;
  const ttl = options.sessionTtlMs ?? 30 * 60_000;
  const rules = { unitIdentifier: options.unitIdentifier };
  const sessions = new Map<string, number>();
  const holdings = new PortalHoldings();
  const ledger = new ReceiptLedger();
  const memory = new DeliveryMemory(ledger);
  const requests: InspectedPortalRequest[] = [];
  const app = Fastify({ logger: false, bodyLimit: 8 * 1_048_576 });
  const control = installReceiverControls(app, ledger);

  const refuse = (message: string) => ({ outcome: 'refused', type: 'json' as const, body: { error_code: '-1', message } });
  const ok = (outcome: string, body: Json) => ({ outcome, type: 'json' as const, body: { error_code: '0', ...body } });

  app.post('/auth', async (request, reply) => {
    const body = (request.body ?? {}) as Json;
    const record = (outcome: string, answer: string) => keepRequest(requests, { at: new Date().toISOString(), operation: 'auth', key: null, outcome, answer, body: { username: body.username } });
    return underFaults(control, 'auth', request, reply, '{"session":', record, async () => {
      if (request.headers.dstcode !== dstcode) return refuse('Thiếu hoặc sai header dstcode');
      if (body.username !== username || body.password !== password) return refuse('Sai tên đăng nhập hoặc mật khẩu');
      const session = randomBytes(24).toString('base64url');
      sessions.set(session, Date.now() + ttl);
      // The one answer whose error_code is a number (docs/integrations.md#the-portals-answers).
      return { outcome: 'acted', type: 'json', body: { session, error_code: 0 } };
    });
  });

  app.post('/integration', async (request, reply) => {
    const body = (request.body ?? {}) as Json;
    const service = typeof body.service === 'string' ? body.service : '';
    const key = requestKey(request);
    const { session: _session, ...shown } = body;
    const record = (outcome: string, answer: string) =>
      keepRequest(requests, { at: new Date().toISOString(), operation: service || '(none)', key: key === null || key === 'invalid' ? null : key.key, outcome, answer, body: shown });
    return underFaults(control, service, request, reply, '{"error_code":"0","result":[', record, async () => {
      if (request.headers.dstcode !== dstcode) return refuse('Thiếu hoặc sai header dstcode');
      const expires = typeof body.session === 'string' ? sessions.get(body.session) : undefined;
      if (expires === undefined || expires <= Date.now()) return refuse(SESSION_INVALID);
      if (typeof body.madonvi !== 'string' || body.madonvi.trim() === '') return refuse('Thiếu tham số madonvi');
      if (options.madonvi !== undefined && body.madonvi !== options.madonvi) return refuse('madonvi không đúng với tài khoản tích hợp');
      if (key === 'invalid') return refuse('Idempotency-Key không phải khóa của một lần gửi (portal/<MaHoSo>/<thứ tự>/<lý do>)');
      switch (service) {
        case 'TraCuuHoSo': {
          if (typeof body.mahoso !== 'string' || body.mahoso === '') return refuse('Thiếu tham số mahoso');
          const held = holdings.get(body.mahoso);
          return ok('acted', { result: held ? [{ ...held.payload, TrangThaiHoSo: String(held.status) }] : [] });
        }
        case 'DongBoHoSoMC':
          return syncDossiers(body, key);
        case 'CapNhatTienDoHoSoMC':
          return syncProgress(body, key);
        default:
          return refuse(service ? `Không hỗ trợ service ${service}` : 'Thiếu tham số service');
      }
    });
  });

  type Answer = { readonly outcome: string; readonly type: 'json'; readonly body: Json };

  function syncDossiers(body: Json, key: DeliveryKeyParts | null): Answer {
    if (body.isUpdating !== 'True' && body.isUpdating !== 'False') return refuse('isUpdating phải là "True" hoặc "False"');
    if (!Array.isArray(body.data) || body.data.length === 0) return refuse('Thiếu tham số data');
    for (const [index, item] of body.data.entries()) {
      const problem = dossierProblem(item, rules);
      if (problem) return refuse(`data[${index}]: ${problem}`);
    }
    const items = body.data as Json[];
    if (key && items.some((item) => item.MaHoSo !== key.dossierCode)) return refuse('MaHoSo không khớp với hồ sơ của Idempotency-Key');
    const updating = body.isUpdating === 'True';
    const repeat = key !== null && memory.isRepeat(key, 'DongBoHoSoMC', body.data);
    if (!updating) {
      const heldAlready = items.find((item) => holdings.has(item.MaHoSo as string));
      if (heldAlready) {
        if (repeat) memory.repeated(key!, { status: Number(heldAlready.TrangThaiHoSo), operation: 'DongBoHoSoMC' });
        return { outcome: repeat ? 'duplicate' : 'refused', type: 'json', body: { error_code: '-3', message: `Hồ sơ ${String(heldAlready.MaHoSo)} đã tồn tại` } };
      }
    } else {
      const missing = items.find((item) => !holdings.has(item.MaHoSo as string));
      if (missing) return refuse(`Hồ sơ ${String(missing.MaHoSo)} chưa tồn tại, gửi với isUpdating "False"`);
    }
    const status = Number(items.at(-1)!.TrangThaiHoSo);
    if (repeat) {
      memory.repeated(key!, { status, operation: 'DongBoHoSoMC' });
      return ok('duplicate', { message: 'Đồng bộ thành công' });
    }
    for (const item of items) holdings.push(item, key);
    if (key) memory.acted(key, 'DongBoHoSoMC', body.data, { status, operation: 'DongBoHoSoMC' });
    return ok('acted', { message: 'Đồng bộ thành công' });
  }

  function syncProgress(body: Json, key: DeliveryKeyParts | null): Answer {
    if (!Array.isArray(body.data) || body.data.length === 0) return refuse('Thiếu tham số data');
    for (const [index, row] of body.data.entries()) {
      const problem = progressProblem(row, rules);
      if (problem) return refuse(`data[${index}]: ${problem}`);
    }
    const rows = body.data as Json[];
    if (key && rows.some((row) => row.MaHoSo !== key.dossierCode)) return refuse('MaHoSo không khớp với hồ sơ của Idempotency-Key');
    const unknown = rows.find((row) => !holdings.has(row.MaHoSo as string));
    if (unknown) return refuse(`Hồ sơ ${String(unknown.MaHoSo)} chưa được đồng bộ`);
    const status = holdings.get(rows[0]!.MaHoSo as string)!.status;
    if (key && memory.isRepeat(key, 'CapNhatTienDoHoSoMC', rows)) {
      memory.repeated(key, { status, operation: 'CapNhatTienDoHoSoMC' });
      return ok('duplicate', { message: 'Cập nhật thành công' });
    }
    holdings.progress(rows);
    if (key) memory.acted(key, 'CapNhatTienDoHoSoMC', rows, { status, operation: 'CapNhatTienDoHoSoMC' });
    return ok('acted', { message: 'Cập nhật thành công' });
  }

  app.get('/__inspect', async () => ({
    requests,
    sessions: [...sessions.values()].filter((expires) => expires > Date.now()).length,
    dossiers: holdings.list().map(({ code, status, history, progress }) => ({ code, status, history, progress: progress.length })),
  }));

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    ...receiverHandle(url, app, ledger, control),
    dossier: (code) => holdings.get(code),
    hold: (payload) => void holdings.push(payload, null),
    expireSessions: () => sessions.clear(),
  };
}
