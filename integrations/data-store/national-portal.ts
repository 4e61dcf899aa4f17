// The adapter of the national portal's e-data store (Kho), after the contract its public client
// code shows (docs/integrations/data-store.md; Thanh Hóa's KhoSoHoaDVCQGService):
//   POST <base>/GetKetQuaGiayTo {SoDinhDanhChuSoHuu, HoTenNguoiYeuCau, KenhThucHien, SoDinhDanhNguoiYeuCau,
//        MaThuTuc, DanhSachDanhMucKetQua[{MaKetQua, SoKyHieu}]}
//     → {errorCode, message, signature, result: {DanhSachGiayToKetQua[{MaKetQua, TenGiayTo, SoKyHieu,
//        CoQuanChuQuan, DanhSachTepDinhKem[{TenTep, DuongDan}]}]}}
//   POST <base>/GetGiayToByUrl {CoQuanChuQuan, DuongDan} → the file's bytes
// Success is errorCode "0" (also 0); anything else is the store's refusal. Every call has a deadline.
import { z } from 'zod';
import { type DataStore, type DataStorePaper, DataStoreUnavailable } from './port.js';

export interface NationalPortalDataStoreSettings {
  /** MOTCUA_DATA_STORE_URL: the base the operation names are appended to. */
  readonly baseUrl: string;
  /** MOTCUA_DATA_STORE_TOKEN: sent as a bearer token when set. */
  readonly token?: string;
  /** MOTCUA_DATA_STORE_TIMEOUT_MS. */
  readonly timeoutMs: number;
}

const text = z.string().max(4000);
const replySchema = z.object({
  errorCode: z.union([z.string(), z.number()]).transform(String),
  message: z.string().nullish(),
  signature: z.string().nullish(),
  result: z
    .object({
      DanhSachGiayToKetQua: z
        .array(
          z.object({
            MaKetQua: text,
            TenGiayTo: text.nullish(),
            SoKyHieu: text.nullish(),
            CoQuanChuQuan: text,
            DanhSachTepDinhKem: z.array(z.object({ TenTep: text.nullish(), DuongDan: text })).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

const SUCCESS = new Set(['0', '00']);

export function nationalPortalDataStore(settings: NationalPortalDataStoreSettings): DataStore {
  const base = settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`;
  const call = async (operation: string, body: unknown): Promise<Response> => {
    try {
      const response = await fetch(new URL(operation, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/octet-stream, */*', ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new DataStoreUnavailable(`the e-data store answered ${operation} with HTTP ${response.status}`, 'http');
      }
      return response;
    } catch (error) {
      if (error instanceof DataStoreUnavailable) throw error;
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new DataStoreUnavailable(`the e-data store did not answer ${operation} within ${settings.timeoutMs} ms`, 'timeout');
      throw new DataStoreUnavailable(`the e-data store could not be reached for ${operation}`, 'network');
    }
  };
  /** The body as JSON, within the deadline; what the contract does not allow is `malformed`. */
  const json = async (operation: string, response: Response): Promise<unknown> => {
    try {
      return await response.json();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new DataStoreUnavailable(`the e-data store did not finish answering ${operation} within ${settings.timeoutMs} ms`, 'timeout');
      throw new DataStoreUnavailable(`the e-data store answered ${operation} with a body that is not JSON`, 'malformed');
    }
  };
  return {
    async papers(query) {
      const operation = 'GetKetQuaGiayTo';
      const response = await call(operation, {
        SoDinhDanhChuSoHuu: query.ownerIdentityNumber,
        HoTenNguoiYeuCau: query.requesterName,
        KenhThucHien: query.channel === 'counter' ? '1' : '2',
        SoDinhDanhNguoiYeuCau: query.requesterIdentityNumber,
        MaThuTuc: query.procedureCode,
        DanhSachDanhMucKetQua: query.documentCodes.map((entry) => ({ MaKetQua: entry.code, SoKyHieu: entry.number ?? '' })),
      });
      const parsed = replySchema.safeParse(await json(operation, response));
      if (!parsed.success) throw new DataStoreUnavailable(`the e-data store's answer to ${operation} is not its contract (${parsed.error.issues[0]?.path.join('.') ?? ''})`, 'malformed');
      // The store's message may quote the request (names, numbers): only its code is repeated.
      if (!SUCCESS.has(parsed.data.errorCode)) throw new DataStoreUnavailable(`the e-data store refused ${operation} with errorCode ${JSON.stringify(parsed.data.errorCode.slice(0, 20))}`, 'refused');
      return (parsed.data.result?.DanhSachGiayToKetQua ?? []).map(
        (paper): DataStorePaper => ({
          documentCode: paper.MaKetQua,
          documentName: paper.TenGiayTo ?? paper.MaKetQua,
          documentNumber: paper.SoKyHieu || null,
          keeper: paper.CoQuanChuQuan,
          files: (paper.DanhSachTepDinhKem ?? []).map((file) => ({ name: file.TenTep || 'tep-dinh-kem', path: file.DuongDan })),
        }),
      );
    },

    async file(ref, maxBytes) {
      const operation = 'GetGiayToByUrl';
      const response = await call(operation, { CoQuanChuQuan: ref.keeper, DuongDan: ref.path });
      const contentType = response.headers.get('content-type');
      // A JSON answer is the store's refusal ({errorCode, message}), not a paper.
      if (contentType?.startsWith('application/json')) {
        const body = await json(operation, response);
        const code = typeof body === 'object' && body !== null && 'errorCode' in body ? String((body as { errorCode: unknown }).errorCode).slice(0, 20) : '?';
        throw new DataStoreUnavailable(`the e-data store refused ${operation} with errorCode ${JSON.stringify(code)}`, SUCCESS.has(code) ? 'malformed' : 'refused');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body ?? []) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            await response.body?.cancel().catch(() => undefined);
            throw new DataStoreUnavailable(`the e-data store's file is larger than ${maxBytes} bytes`, 'malformed');
          }
          chunks.push(Buffer.from(chunk));
        }
      } catch (error) {
        if (error instanceof DataStoreUnavailable) throw error;
        const name = (error as { name?: string }).name;
        if (name === 'TimeoutError' || name === 'AbortError') throw new DataStoreUnavailable(`the e-data store did not finish sending the file within ${settings.timeoutMs} ms`, 'timeout');
        throw new DataStoreUnavailable('the e-data store broke off sending the file', 'network');
      }
      return { bytes: Buffer.concat(chunks), contentType };
    },
  };
}

/** The store the environment names (MOTCUA_DATA_STORE_URL and its settings), or none. */
export function dataStoreFromEnvironment(env: { readonly MOTCUA_DATA_STORE_URL?: string | undefined; readonly MOTCUA_DATA_STORE_TOKEN?: string | undefined; readonly MOTCUA_DATA_STORE_TIMEOUT_MS: number }): DataStore | undefined {
  if (!env.MOTCUA_DATA_STORE_URL) return undefined;
  return nationalPortalDataStore({ baseUrl: env.MOTCUA_DATA_STORE_URL, timeoutMs: env.MOTCUA_DATA_STORE_TIMEOUT_MS, ...(env.MOTCUA_DATA_STORE_TOKEN ? { token: env.MOTCUA_DATA_STORE_TOKEN } : {}) });
}
