// The e-data store adapter (integrations/data-store/national-portal.ts) against its loopback double
// (doubles/data-store-double.ts): the contract's fields, errorCode semantics, the bearer token, and
// each fault the double makes on demand turned into DataStoreUnavailable within the deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataStoreDouble, startDataStoreDouble } from '../../doubles/data-store-double.js';
import { nationalPortalDataStore } from '../../integrations/data-store/national-portal.js';
import { DataStoreUnavailable } from '../../integrations/data-store/port.js';

let double: DataStoreDouble;
const pdf = Buffer.from('%PDF-1.4\n% test\n');
const query = { ownerIdentityNumber: '001090012345', requesterName: 'Nguyễn Văn An', requesterIdentityNumber: '001090012345', channel: 'counter' as const, procedureCode: '1.004227', documentCodes: [{ code: 'KQ.CCCD' }] };

beforeAll(async () => {
  double = await startDataStoreDouble({
    token: 'gateway-token',
    seed: [{ owner: '001090012345', documentCode: 'KQ.CCCD', documentName: 'Căn cước', documentNumber: '001090012345', keeper: 'Bộ Công an', files: [{ name: 'cccd.pdf', path: 'kho/1.pdf', bytes: pdf, contentType: 'application/pdf' }] }],
  });
});
afterAll(() => double.close());

const store = (token = 'gateway-token') => nationalPortalDataStore({ baseUrl: double.url, token, timeoutMs: 500 });

async function unavailable(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DataStoreUnavailable);
  return (error as DataStoreUnavailable).reason;
}

describe('the e-data store adapter and its double', () => {
  it('lists the owner’s papers and fetches a file', async () => {
    expect(await store().papers(query)).toEqual([{ documentCode: 'KQ.CCCD', documentName: 'Căn cước', documentNumber: '001090012345', keeper: 'Bộ Công an', files: [{ name: 'cccd.pdf', path: 'kho/1.pdf' }] }]);
    expect(await store().papers({ ...query, ownerIdentityNumber: '079000000001' })).toEqual([]);
    const file = await store().file({ keeper: 'Bộ Công an', path: 'kho/1.pdf' }, 1000);
    expect(file.bytes.equals(pdf)).toBe(true);
    expect(await unavailable(store().file({ keeper: 'Bộ Công an', path: 'kho/1.pdf' }, 4))).toBe('malformed');
    expect(await unavailable(store().file({ keeper: 'Bộ Công an', path: 'kho/none.pdf' }, 1000))).toBe('refused');
  });

  it('enforces the contract: fields, channel and token', async () => {
    expect(await unavailable(store().papers({ ...query, requesterName: '' }))).toBe('refused');
    expect(await unavailable(store('wrong').papers(query))).toBe('http');
    const response = await fetch(`${double.url}/GetKetQuaGiayTo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gateway-token' }, body: JSON.stringify({ ...{ SoDinhDanhChuSoHuu: '1', HoTenNguoiYeuCau: 'A', SoDinhDanhNguoiYeuCau: '1', MaThuTuc: 'x', DanhSachDanhMucKetQua: [] }, KenhThucHien: '3' }) });
    expect(await response.json()).toMatchObject({ errorCode: '-1' });
  });

  it('turns each fault into DataStoreUnavailable', async () => {
    for (const [mode, reason] of [['5xx', 'http'], ['timeout', 'timeout'], ['malformed', 'malformed']] as const) {
      double.fail({ mode, times: 1 });
      expect(await unavailable(store().papers(query)), mode).toBe(reason);
      expect(await store().papers(query), `${mode} cleared`).toHaveLength(1);
    }
    const inspected = (await (await fetch(`${double.url}/__inspect`)).json()) as { requests: { operation: string; authorized: boolean }[] };
    expect(inspected.requests.some((request) => request.operation === 'GetKetQuaGiayTo' && !request.authorized)).toBe(true);
  });
});
