// A loopback double of the national PAKN system (docs/integrations.md#national-pakn-system): a Fastify
// app on 127.0.0.1 holding in memory the items citizens "sent on DVCQG" (added by the test, or by
// `npm start` for a trial), serving them by cursor, recording the engine's status pushes and serving
// likes and dislikes the test sets. It enforces the wire of integrations/pakn/wire.ts as the engine
// must meet it: a bearer token on every call, `soLuong` within 1..50, a push that is the schema
// (strings only, dates yyyyMMddHHmmss, a known MaPAKN when one is named); a push for an older version
// than one held is answered but changes nothing.
// Faults (POST /__faults with any of the fields; DELETE /__faults clears them):
//   down       every call answers HTTP 503;
//   slowMs     every call waits this long first;
//   malformed  pages are cut short (not JSON);
//   duplicate  every page of items serves its items twice (the engine must receive each once).
// For the tests: GET /__inspect (requests, pushes, items), POST /__items (add an item), PUT /__reactions.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PAKN_PAGE_SIZE, type WireItem, type WireReaction, type WireStatusPush, wireItemSchema, wireStatusPushSchema } from '../integrations/pakn/wire.js';

export interface NationalPaknFaults {
  readonly down: boolean;
  readonly slowMs: number;
  readonly malformed: boolean;
  readonly duplicate: boolean;
}
export const NO_PAKN_FAULTS: NationalPaknFaults = Object.freeze({ down: false, slowMs: 0, malformed: false, duplicate: false });

const faultsSchema = z.object({ down: z.boolean(), slowMs: z.number().int().min(0).max(600_000), malformed: z.boolean(), duplicate: z.boolean() }).partial().strict();

export interface ReceivedPush {
  readonly body: WireStatusPush;
  /** Whether the double took it (false: an older version than one it holds). */
  readonly applied: boolean;
}

export interface NationalPaknDouble {
  readonly url: string;
  readonly token: string;
  readonly app: FastifyInstance;
  /** A citizen sends an item on the portal: it is served to the engine after the items before it. Answers its MaPAKN. */
  send(item: Omit<WireItem, 'MaPAKN'> & { readonly MaPAKN?: string }): string;
  /** Sets an item's likes and dislikes: served after the reactions before it. */
  react(reaction: WireReaction): void;
  /** The pushes received, in order. */
  pushes(): readonly ReceivedPush[];
  /** The latest status the double holds of each item, by MaPAKN. */
  statuses(): ReadonlyMap<string, WireStatusPush>;
  /** Calls by path, in order (no bodies: they hold personal data). */
  requests(): readonly { readonly method: string; readonly path: string; readonly authorized: boolean }[];
  faults(next: Partial<NationalPaknFaults>): NationalPaknFaults;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startNationalPaknDouble(options: { readonly token?: string; readonly port?: number; readonly faults?: Partial<NationalPaknFaults> } = {}): Promise<NationalPaknDouble> {
  const token = options.token ?? `pakn-${randomBytes(12).toString('hex')}`;
  let faults: NationalPaknFaults = { ...NO_PAKN_FAULTS, ...options.faults };
  const items: WireItem[] = [];
  const reactions: WireReaction[] = [];
  const pushed: ReceivedPush[] = [];
  const held = new Map<string, WireStatusPush>();
  /** The engine's id → the national id given on its first push. */
  const created = new Map<string, string>();
  const received: { method: string; path: string; authorized: boolean }[] = [];
  let serial = 0;
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__')) return;
    const authorized = request.headers.authorization === `Bearer ${token}`;
    received.push({ method: request.method, path: request.url.split('?')[0]!, authorized });
    if (faults.slowMs > 0) await sleep(faults.slowMs);
    if (faults.down) return reply.code(503).send({ error_code: '503', message: 'Hệ thống đang bảo trì' });
    if (!authorized) return reply.code(401).send({ error_code: '401', message: 'Chưa xác thực' });
  });

  /** A cursor is the index after the last row served, written as the double's own opaque text. */
  const pageOf = <T>(rows: readonly T[], query: unknown): { rows: T[]; next: string | null } | { problem: string } => {
    const parsed = z.object({ sau: z.string().regex(/^c\d{1,9}$/).optional(), soLuong: z.coerce.number().int().min(1).max(PAKN_PAGE_SIZE) }).safeParse(query);
    if (!parsed.success) return { problem: `Tham số không hợp lệ: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}` };
    const start = parsed.data.sau ? Number(parsed.data.sau.slice(1)) : 0;
    const slice = rows.slice(start, start + parsed.data.soLuong);
    return { rows: slice, next: `c${start + slice.length}` };
  };

  app.get('/pakn/moi', async (request, reply) => {
    const page = pageOf(items, request.query);
    if ('problem' in page) return reply.code(400).send({ error_code: '-1', message: page.problem });
    if (faults.malformed) return reply.header('content-type', 'application/json').send('{"error_code":"0","DanhSach":[');
    return { error_code: '0', message: 'Thành công', DanhSach: faults.duplicate ? [...page.rows, ...page.rows] : page.rows, TiepTheo: page.next };
  });

  app.get('/pakn/danhgia', async (request, reply) => {
    const page = pageOf(reactions, request.query);
    if ('problem' in page) return reply.code(400).send({ error_code: '-1', message: page.problem });
    if (faults.malformed) return reply.header('content-type', 'application/json').send('{"error_code":"0","DanhSach":[');
    return { error_code: '0', message: 'Thành công', DanhSach: page.rows, TiepTheo: page.next };
  });

  app.post('/pakn/capnhat', async (request, reply) => {
    const parsed = wireStatusPushSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(200).send({ error_code: '-1', message: `Dữ liệu không hợp lệ: ${issue.path.join('.') || '(gốc)'} ${issue.message}` });
    }
    const push = parsed.data;
    let externalId = push.MaPAKN ?? created.get(push.MaPAKNDonVi);
    if (push.MaPAKN && !items.some((item) => item.MaPAKN === push.MaPAKN) && ![...created.values()].includes(push.MaPAKN)) {
      return { error_code: '-2', message: `Không tìm thấy PAKN ${push.MaPAKN}` };
    }
    if (!externalId) {
      serial += 1;
      externalId = `QG-${String(serial).padStart(8, '0')}`;
      created.set(push.MaPAKNDonVi, externalId);
    }
    const before = held.get(externalId);
    const applied = !before || Number(before.PhienBan) < Number(push.PhienBan);
    if (applied) held.set(externalId, { ...push, MaPAKN: externalId });
    pushed.push({ body: push, applied });
    return { error_code: '0', message: applied ? 'Cập nhật thành công' : 'Đã có phiên bản mới hơn', MaPAKN: externalId };
  });

  const handle: NationalPaknDouble = {
    url: '',
    token,
    app,
    send(item) {
      serial += 1;
      const full = wireItemSchema.parse({ ...item, MaPAKN: item.MaPAKN ?? `QG-${String(serial).padStart(8, '0')}` });
      items.push(full as WireItem);
      return full.MaPAKN;
    },
    react: (reaction) => void reactions.push(reaction),
    pushes: () => [...pushed],
    statuses: () => new Map(held),
    requests: () => [...received],
    faults(next) {
      faults = { ...faults, ...next };
      return faults;
    },
    async close() {
      await app.close();
    },
  };

  app.get('/__inspect', async () => ({ requests: received, pushes: pushed.map(({ body, applied }) => ({ applied, MaPAKN: body.MaPAKN, MaPAKNDonVi: body.MaPAKNDonVi, PhienBan: body.PhienBan, TrangThai: body.TrangThai })), items: items.map(({ MaPAKN, MaDonVi, NgayGui }) => ({ MaPAKN, MaDonVi, NgayGui })) }));
  app.post('/__items', async (request, reply) => {
    const parsed = wireItemSchema.omit({ MaPAKN: true }).extend({ MaPAKN: z.string().min(1).max(200).optional() }).safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.slice(0, 5) });
    return { MaPAKN: handle.send(parsed.data) };
  });
  app.put('/__reactions', async (request, reply) => {
    const parsed = z.object({ MaPAKN: z.string().min(1), SoLuotThich: z.number().int().min(0), SoLuotKhongThich: z.number().int().min(0) }).safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.slice(0, 5) });
    handle.react(parsed.data);
    return { ok: true };
  });
  app.post('/__faults', async (request, reply) => {
    const parsed = faultsSchema.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.slice(0, 5) });
    return { faults: handle.faults(parsed.data as Partial<NationalPaknFaults>) };
  });
  app.delete('/__faults', async () => ({ faults: handle.faults(NO_PAKN_FAULTS) }));

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return Object.assign(handle, { url });
}
