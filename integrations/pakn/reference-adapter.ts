// The reference adapter of the national PAKN system: the JSON wire of ./wire.ts over HTTP(S) with a
// bearer token, each call within a deadline. A page or reply that is not the wire is refused as
// `malformed` (the cursor then stays where it was); `error_code` other than "0" is the system's
// refusal. Personal data in items and pushes is never put in an error message.
import { z } from 'zod';
import { type NationalPakn, type NationalPaknItem, type NationalPaknStatusPush, NationalPaknUnavailable } from './port.js';
import { instantOfPortalTime, PAKN_PAGE_SIZE, portalDateTime, wireItemPageSchema, wirePushReplySchema, wireReactionPageSchema, type WireStatusPush, wireStatusPushSchema } from './wire.js';

export interface NationalPaknSettings {
  /** MOTCUA_PAKN_URL: the base the operations' paths are appended to. */
  readonly baseUrl: string;
  /** MOTCUA_PAKN_TOKEN: the bearer token the national system issued to this engine. */
  readonly token: string;
  /** MOTCUA_PAKN_TIMEOUT_MS: each call's deadline. */
  readonly timeoutMs: number;
}

const SUCCESS = new Set(['0', '00']);

export function referenceNationalPakn(settings: NationalPaknSettings): NationalPakn {
  const base = settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`;

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, base), {
        method,
        headers: { accept: 'application/json', authorization: `Bearer ${settings.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError' || (error as { name?: string }).name === 'AbortError';
      throw new NationalPaknUnavailable(timedOut ? `the national PAKN system did not answer ${method} ${path.split('?')[0]} within ${settings.timeoutMs} ms` : `the national PAKN system could not be reached (${(error as Error).message})`, timedOut ? 'timeout' : 'network');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new NationalPaknUnavailable(`the national PAKN system answered ${method} ${path.split('?')[0]} with HTTP ${response.status}`, 'http');
    }
    try {
      return await response.json();
    } catch {
      throw new NationalPaknUnavailable(`the national PAKN system's answer to ${method} ${path.split('?')[0]} is not JSON`, 'malformed');
    }
  };

  const parsed = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> => {
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new NationalPaknUnavailable(`the national PAKN system's ${what} is not the contract: ${issue.path.join('.') || '(root)'} ${issue.message}`, 'malformed');
    }
    const reply = result.data as { error_code: string; message?: string | null };
    if (!SUCCESS.has(reply.error_code)) throw new NationalPaknUnavailable(`the national PAKN system refused the ${what} (error_code ${reply.error_code}: ${String(reply.message ?? '').slice(0, 200)})`, 'refused');
    return result.data;
  };

  const page = (path: string, after: string | null) => `${path}?${new URLSearchParams({ ...(after ? { sau: after } : {}), soLuong: String(PAKN_PAGE_SIZE) }).toString()}`;

  return {
    async pullItems(after) {
      const reply = parsed(wireItemPageSchema, await call('GET', page('pakn/moi', after)), 'page of new items');
      const items = (reply.DanhSach ?? []).map((item, index): NationalPaknItem => {
        const sentAt = instantOfPortalTime(item.NgayGui);
        if (!sentAt) throw new NationalPaknUnavailable(`the national PAKN system's page of new items is not the contract: DanhSach.${index}.NgayGui is not a date`, 'malformed');
        const attachments = (item.TepDinhKem ?? []).map((file, fileIndex) => {
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(file.NoiDungBase64) || file.NoiDungBase64.length % 4 !== 0) {
            throw new NationalPaknUnavailable(`the national PAKN system's page of new items is not the contract: DanhSach.${index}.TepDinhKem.${fileIndex}.NoiDungBase64 is not base64`, 'malformed');
          }
          return { name: file.TenTep, bytes: Buffer.from(file.NoiDungBase64, 'base64') };
        });
        return {
          externalId: item.MaPAKN,
          agencyCode: item.MaDonVi,
          submitter: { fullName: item.HoTen, ...(item.Email ? { email: item.Email } : {}), ...(item.SoDienThoai ? { phone: item.SoDienThoai } : {}), ...(item.DiaChi ? { address: item.DiaChi } : {}) },
          title: item.TieuDe,
          content: item.NoiDung,
          sentAt,
          ...(item.MaHoSo ? { dossierCode: item.MaHoSo } : {}),
          ...(item.MaPAKNTruoc ? { followUpOfExternalId: item.MaPAKNTruoc } : {}),
          attachments,
        };
      });
      return { items, next: reply.TiepTheo ?? null };
    },
    async pullReactions(after) {
      const reply = parsed(wireReactionPageSchema, await call('GET', page('pakn/danhgia', after)), 'page of reactions');
      return { reactions: (reply.DanhSach ?? []).map((row) => ({ externalId: row.MaPAKN, likes: row.SoLuotThich, dislikes: row.SoLuotKhongThich })), next: reply.TiepTheo ?? null };
    },
    async pushStatus(push) {
      const body = wireStatusPushSchema.parse(statusPushOnWire(push));
      const reply = parsed(wirePushReplySchema, await call('POST', 'pakn/capnhat', body), 'reply to a status push');
      const externalId = reply.MaPAKN ?? push.externalId;
      if (!externalId) throw new NationalPaknUnavailable("the national PAKN system's reply to a status push names no MaPAKN for a new item", 'malformed');
      return { externalId };
    },
  };
}

/** A push as the wire writes it (strings only; instants yyyyMMddHHmmss in Vietnam time). */
export function statusPushOnWire(push: NationalPaknStatusPush): WireStatusPush {
  const { item, answer } = push;
  return {
    ...(push.externalId ? { MaPAKN: push.externalId } : {}),
    MaPAKNDonVi: push.feedbackId,
    PhienBan: String(push.version),
    MaDonVi: push.agencyCode,
    TrangThai: push.statusLabel,
    NgayCapNhat: portalDateTime(push.changedAt),
    KenhTiepNhan: item.channel,
    TieuDe: item.title,
    NoiDung: item.content,
    NgayGui: portalDateTime(item.sentAt),
    HoTen: item.submitter.fullName,
    ...(item.submitter.email ? { Email: item.submitter.email } : {}),
    ...(item.submitter.phone ? { SoDienThoai: item.submitter.phone } : {}),
    ...(item.submitter.address ? { DiaChi: item.submitter.address } : {}),
    ...(item.category ? { LinhVuc: item.category } : {}),
    ...(item.dossierCode ? { MaHoSo: item.dossierCode } : {}),
    ...(push.note ? { GhiChu: push.note } : {}),
    ...(answer ? { NguoiTraLoi: answer.signer, NoiDungTraLoi: answer.text, NgayTraLoi: portalDateTime(answer.answeredAt) } : {}),
    CongKhai: answer?.publish ? '1' : '0',
    ...(answer?.documentUrl ? { DuongDanVanBan: answer.documentUrl } : {}),
  };
}

/** The adapter the environment configures (MOTCUA_PAKN_URL and MOTCUA_PAKN_TOKEN), or undefined: not connected. */
export function nationalPaknFromEnvironment(env: { readonly MOTCUA_PAKN_URL?: string | undefined; readonly MOTCUA_PAKN_TOKEN?: string | undefined; readonly MOTCUA_PAKN_TIMEOUT_MS: number }): NationalPakn | undefined {
  if (!env.MOTCUA_PAKN_URL) return undefined;
  if (!env.MOTCUA_PAKN_TOKEN) throw new Error('MOTCUA_PAKN_URL is set but MOTCUA_PAKN_TOKEN is not: set the bearer token the national PAKN system issued to this engine');
  return referenceNationalPakn({ baseUrl: env.MOTCUA_PAKN_URL, token: env.MOTCUA_PAKN_TOKEN, timeoutMs: env.MOTCUA_PAKN_TIMEOUT_MS });
}
