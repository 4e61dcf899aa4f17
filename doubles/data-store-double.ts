// A loopback double of the national portal's e-data store (docs/integrations/data-store.md): a
// Fastify app on 127.0.0.1 that holds papers in memory, seeded by the test (or by `npm start` for
// a trial), and enforces the contract as the engine must meet it:
//   POST /GetKetQuaGiayTo: every field present and of its type, KenhThucHien "1" or "2",
//     DanhSachDanhMucKetQua an array of {MaKetQua, SoKyHieu?}; answers {errorCode:"0", message,
//     signature, result:{DanhSachGiayToKetQua:[…]}}, or errorCode "-1" naming the field at fault.
//   POST /GetGiayToByUrl {CoQuanChuQuan, DuongDan}: the file's bytes, or errorCode "-1" / "404".
//   With a token configured, a request without `Authorization: Bearer <token>` gets HTTP 401.
// For the tests: GET /__inspect (the requests received, in order), POST /__faults (fail on demand:
// HTTP 5xx, no answer until the client gives up, malformed JSON; for a number of calls or until
// cleared with {"mode":"none"}).
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

export interface SeededFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

export interface SeededPaper {
  /** SoDinhDanhChuSoHuu: whose paper it is. */
  readonly owner: string;
  readonly documentCode: string;
  readonly documentName: string;
  readonly documentNumber?: string;
  readonly keeper: string;
  readonly files: readonly SeededFile[];
}

export type FaultMode = 'none' | '5xx' | 'timeout' | 'malformed';

export interface Fault {
  readonly mode: FaultMode;
  /** Only this operation fails; both by default. */
  readonly operation?: 'GetKetQuaGiayTo' | 'GetGiayToByUrl';
  /** Fails this many calls, then answers again; every call until cleared by default. */
  readonly times?: number;
  readonly status?: number;
}

export interface InspectedRequest {
  readonly operation: string;
  readonly body: unknown;
  readonly authorized: boolean;
}

export interface DataStoreDouble {
  readonly url: string;
  readonly app: FastifyInstance;
  seed(...papers: SeededPaper[]): void;
  fail(fault: Fault): void;
  requests(): readonly InspectedRequest[];
  close(): Promise<void>;
}

const REQUIRED_TEXT = ['SoDinhDanhChuSoHuu', 'HoTenNguoiYeuCau', 'KenhThucHien', 'SoDinhDanhNguoiYeuCau', 'MaThuTuc'] as const;

/** A field missing or of the wrong type, as the store's own message would put it (Vietnamese). */
function queryProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'Dữ liệu yêu cầu không hợp lệ';
  const record = body as Record<string, unknown>;
  for (const field of REQUIRED_TEXT) {
    if (typeof record[field] !== 'string' || (record[field] as string).trim() === '') return `Thiếu tham số ${field}`;
  }
  if (record.KenhThucHien !== '1' && record.KenhThucHien !== '2') return 'KenhThucHien phải là "1" hoặc "2"';
  const list = record.DanhSachDanhMucKetQua;
  if (!Array.isArray(list)) return 'Thiếu tham số DanhSachDanhMucKetQua';
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null || typeof (entry as Record<string, unknown>).MaKetQua !== 'string') return 'DanhSachDanhMucKetQua: thiếu MaKetQua';
    const number = (entry as Record<string, unknown>).SoKyHieu;
    if (number !== undefined && number !== null && typeof number !== 'string') return 'DanhSachDanhMucKetQua: SoKyHieu phải là chuỗi';
  }
  return null;
}

export async function startDataStoreDouble(options: { readonly token?: string; readonly seed?: readonly SeededPaper[]; readonly port?: number } = {}): Promise<DataStoreDouble> {
  const papers: SeededPaper[] = [...(options.seed ?? [])];
  const received: InspectedRequest[] = [];
  let fault: (Fault & { left: number }) | null = null;
  const hanging = new Set<() => void>();
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });

  /** The fault this call suffers, if any (and one fewer left). */
  const faultFor = (operation: string): Fault | null => {
    if (!fault || fault.mode === 'none' || (fault.operation && fault.operation !== operation)) return null;
    const current = fault;
    current.left -= 1;
    if (current.left <= 0) fault = null;
    return current;
  };

  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/__')) return;
    const authorized = !options.token || request.headers.authorization === `Bearer ${options.token}`;
    received.push({ operation: request.url.replace(/^\//, '').split('?')[0]!, body: request.body, authorized });
    if (!authorized) return reply.code(401).send({ errorCode: '401', message: 'Chưa xác thực' });
    const active = faultFor(request.url.slice(1));
    if (!active) return;
    if (active.mode === '5xx') return reply.code(active.status ?? 503).send({ errorCode: '503', message: 'Hệ thống đang bận' });
    if (active.mode === 'malformed') return reply.code(200).header('content-type', 'application/json').send('{"errorCode":"0","result":{"DanhSachGiayToKetQua":[');
    // No answer at all: the client's deadline ends the call (or the double's close does).
    await new Promise<void>((resolve) => hanging.add(resolve));
    return reply.code(504).send({ errorCode: '504', message: 'timeout' });
  });

  app.post('/GetKetQuaGiayTo', async (request) => {
    const problem = queryProblem(request.body);
    if (problem) return { errorCode: '-1', message: problem, signature: null, result: null };
    const body = request.body as { SoDinhDanhChuSoHuu: string; DanhSachDanhMucKetQua: { MaKetQua: string; SoKyHieu?: string | null }[] };
    const wanted = body.DanhSachDanhMucKetQua;
    const found = papers.filter(
      (paper) =>
        paper.owner === body.SoDinhDanhChuSoHuu &&
        (wanted.length === 0 || wanted.some((entry) => entry.MaKetQua === paper.documentCode && (!entry.SoKyHieu || entry.SoKyHieu === paper.documentNumber))),
    );
    const result = {
      DanhSachGiayToKetQua: found.map((paper) => ({
        MaKetQua: paper.documentCode,
        TenGiayTo: paper.documentName,
        SoKyHieu: paper.documentNumber ?? '',
        CoQuanChuQuan: paper.keeper,
        DanhSachTepDinhKem: paper.files.map((file) => ({ TenTep: file.name, DuongDan: file.path })),
      })),
    };
    return { errorCode: '0', message: 'Thành công', signature: createHash('sha256').update(JSON.stringify(result)).digest('base64'), result };
  });

  app.post('/GetGiayToByUrl', async (request, reply) => {
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body.CoQuanChuQuan !== 'string' || !body.CoQuanChuQuan || typeof body.DuongDan !== 'string' || !body.DuongDan) {
      return { errorCode: '-1', message: 'Thiếu tham số CoQuanChuQuan hoặc DuongDan' };
    }
    for (const paper of papers) {
      if (paper.keeper !== body.CoQuanChuQuan) continue;
      const file = paper.files.find((candidate) => candidate.path === body.DuongDan);
      if (file) return reply.header('content-type', file.contentType).send(Buffer.from(file.bytes));
    }
    return { errorCode: '404', message: 'Không tìm thấy giấy tờ' };
  });

  app.get('/__inspect', async () => ({ requests: received, papers: papers.map(({ files, ...paper }) => ({ ...paper, files: files.map(({ bytes, ...file }) => ({ ...file, size: bytes.byteLength })) })) }));
  app.post('/__faults', async (request) => {
    const body = (request.body ?? {}) as Fault;
    fault = body.mode === 'none' ? null : { ...body, left: body.times ?? Number.POSITIVE_INFINITY };
    if (!fault) for (const release of hanging) release();
    return { fault };
  });

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    url,
    app,
    seed: (...more) => void papers.push(...more),
    fail: (next) => {
      fault = next.mode === 'none' ? null : { ...next, left: next.times ?? Number.POSITIVE_INFINITY };
    },
    requests: () => [...received],
    async close() {
      for (const release of hanging) release();
      await app.close();
    },
  };
}
