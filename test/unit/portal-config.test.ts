// The portal's configuration section: either API generation, credentials only as secret
// references, and a status map whose overrides carry a version name of their own.
import { describe, expect, it } from 'vitest';
import { portalConfigSchema } from '../../integrations/portal/portal-config.js';

const generationA = {
  generation: 'A',
  adapterUrl: 'https://dvcqg.example.vn/adapter',
  username: 'h99-motcua',
  password: 'env:MOTCUA_PORTAL_PASSWORD',
  dstcode: 'H99',
  madonvi: { default: '000.00.00.H99', byAgency: { '000.01.01.H99': '000.01.01.H99' } },
  provinceIdentifier: 'H99',
};
const generationB = { generation: 'B', base: 'https://lgsp.example.vn/dvcqg', URLThemMoi: '/hoso/themmoi', URLCapNhat: '/hoso/capnhat', URLDongBoTienTrinh: '/tientrinh', provinceIdentifier: 'H99' };

describe('the portal configuration', () => {
  it('takes generation A with its defaults', () => {
    expect(portalConfigSchema.parse(generationA)).toMatchObject({ authEndpoint: '/auth', integrationEndpoint: '/integration', timeoutMs: 60_000, progressChunkSize: 10, statusMap: { version: 'tt22-2019', overrides: {} }, procedureCodes: {}, unitCodes: {} });
  });

  it('takes generation B, with an optional bearer token reference', () => {
    expect(portalConfigSchema.parse({ ...generationB, bearer: 'file:/run/secrets/lgsp-token' })).toMatchObject({ generation: 'B', bearer: 'file:/run/secrets/lgsp-token' });
  });

  it('refuses a password or a token written in the file', () => {
    expect(portalConfigSchema.safeParse({ ...generationA, password: 'hunter2' }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationB, bearer: 'eyJhbGciOi' }).success).toBe(false);
  });

  it('refuses a status map override under the default version name, codes outside 1–10, and unknown statuses', () => {
    expect(portalConfigSchema.safeParse({ ...generationB, statusMap: { overrides: { 'result-ready': 4 } } }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationB, statusMap: { version: 'h99-1', overrides: { 'result-ready': 11 } } }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationB, statusMap: { version: 'h99-1', overrides: { done: 10 } } }).success).toBe(false);
    expect(portalConfigSchema.parse({ ...generationB, statusMap: { version: 'h99-1', overrides: { 'result-ready': 4 } } }).statusMap).toEqual({ version: 'h99-1', overrides: { 'result-ready': 4 } });
  });

  it('refuses more than 10 progress rows a request, an unknown generation, a non-http URL and settings it does not know', () => {
    expect(portalConfigSchema.safeParse({ ...generationB, progressChunkSize: 11 }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationB, generation: 'C' }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationB, base: 'ftp://x' }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationB, URLThemMoi: '/hoso themmoi' }).success).toBe(false);
    expect(portalConfigSchema.safeParse({ ...generationA, secret: 'x' }).success).toBe(false);
  });
});
