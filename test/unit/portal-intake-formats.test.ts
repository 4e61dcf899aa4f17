// The intake's pure parts: component names matched loosely but never guessed, the canonical digest
// that tells a resend from another submission, and the paths refusals name.
import { describe, expect, it } from 'vitest';
import { matchComponentName, normalisedName } from '../../api/intake/component-names.js';
import { dvcqgThFormat, DVCQG_TH_EXAMPLE } from '../../api/intake/dvcqg-th-format.js';
import { canonicalJson, submissionDigest } from '../../api/intake/intake.js';
import { NATIVE_EXAMPLE, nativeFormat } from '../../api/intake/native-format.js';
import { portalPath } from '../../api/intake/portal-format.js';
import type { ComponentFile } from '../../domain/dossier/file-commands.js';

const COMPONENTS = [
  { id: 'declaration', name: 'Tờ khai đăng ký khai sinh' },
  { id: 'birth-certificate', name: 'Giấy chứng sinh' },
  { id: 'identity', name: 'Giấy tờ tùy thân của người đi đăng ký' },
];

describe('matching a component by its name', () => {
  it('takes the exact name, then the name ignoring case, diacritics, đ, punctuation and spacing', () => {
    expect(matchComponentName('Giấy chứng sinh', COMPONENTS)).toEqual({ ok: true, componentId: 'birth-certificate' });
    expect(matchComponentName('  GIAY CHUNG SINH.', COMPONENTS)).toEqual({ ok: true, componentId: 'birth-certificate' });
    expect(matchComponentName('giấy tờ tuỳ thân của người đi đăng ký', COMPONENTS)).toEqual({ ok: true, componentId: 'identity' });
    // Decomposed (NFD) input reads as the composed name.
    expect(matchComponentName('Tờ khai đăng ký khai sinh'.normalize('NFD'), COMPONENTS)).toEqual({ ok: true, componentId: 'declaration' });
    expect(normalisedName('Đăng ký')).toBe('dang ky');
  });

  it('refuses a name that matches none, or several', () => {
    expect(matchComponentName('Giấy chứng tử', COMPONENTS)).toMatchObject({ ok: false, reason: 'none' });
    expect(matchComponentName('Giay chung sinh', [...COMPONENTS, { id: 'copy', name: 'Giấy chứng sinh (bản sao)' }])).toEqual({ ok: true, componentId: 'birth-certificate' });
    expect(matchComponentName('giay chung sinh', [...COMPONENTS, { id: 'twin', name: 'GIẤY CHỨNG SINH' }])).toMatchObject({ ok: false, reason: 'several' });
  });
});

describe('the canonical digest of a submission', () => {
  const files = (...digests: string[]): ComponentFile[] => digests.map((sha256) => ({ componentId: 'declaration', file: { sha256, size: 1, mediaType: 'application/pdf' }, origin: { kind: 'portal', portal: 'dvcqg' } }));
  const native = nativeFormat({ multipart: false });

  it('is the same for the same fields and bytes, whatever the order of keys or the encoding of the files', () => {
    const submission = native.adapt(native.bodySchema.parse(NATIVE_EXAMPLE));
    const reordered = native.adapt(native.bodySchema.parse(Object.fromEntries(Object.entries(NATIVE_EXAMPLE).reverse())));
    expect(submissionDigest('native', submission, files('a'.repeat(64)))).toBe(submissionDigest('native', reordered, files('a'.repeat(64))));
    const multipart = nativeFormat({ multipart: true });
    const parts = multipart.adapt(multipart.bodySchema.parse({ ...NATIVE_EXAMPLE, components: [{ componentId: 'declaration', files: [{ name: 'to-khai.pdf' }] }] }));
    expect(submissionDigest('native', parts, files('a'.repeat(64)))).toBe(submissionDigest('native', submission, files('a'.repeat(64))));
  });

  it('changes with a field or a file', () => {
    const submission = native.adapt(native.bodySchema.parse(NATIVE_EXAMPLE));
    const renamed = native.adapt(native.bodySchema.parse({ ...NATIVE_EXAMPLE, applicant: { ...NATIVE_EXAMPLE.applicant, fullName: 'Nguyễn Thị Hòa' } }));
    const digest = submissionDigest('native', submission, files('a'.repeat(64)));
    expect(submissionDigest('native', renamed, files('a'.repeat(64)))).not.toBe(digest);
    expect(submissionDigest('native', submission, files('b'.repeat(64)))).not.toBe(digest);
  });

  it('writes JSON one way: keys sorted, undefined dropped', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: undefined, c: 'x' }] })).toBe('{"a":[true,null,{"c":"x"}],"b":1}');
  });
});

describe('the DongBoTaoMoiHoSo adapter', () => {
  it('maps the TH fields to the engine’s, the portal time to an instant, and "" to absent', () => {
    const body = dvcqgThFormat.bodySchema.parse({ ...DVCQG_TH_EXAMPLE, EmailChuHoSo: '', LoaiDoiTuong: '2', KenhThucHien: 2 });
    const submission = dvcqgThFormat.adapt(body);
    expect(submission).toMatchObject({
      portalDossierId: DVCQG_TH_EXAMPLE.MaHoSo,
      submittedAt: '2026-12-03T08:15:00+07:00',
      agencyCode: DVCQG_TH_EXAMPLE.DonVi,
      procedureCode: '1.001193',
      channel: 'online',
      applicant: { kind: 'organisation', fullName: 'Nguyễn Thị Hoa', identityNumber: '001190012345', phone: '0912345678' },
      components: [{ ref: { kind: 'name', name: 'Tờ khai đăng ký khai sinh' }, field: 'ThanhPhanHoSo[0].TenThanhPhan', files: [{ field: 'ThanhPhanHoSo[0].TepDinhKem[0].Base64', name: 'to-khai.pdf' }] }],
    });
    expect(submission.applicant.email).toBeUndefined();
    expect(dvcqgThFormat.adapt(dvcqgThFormat.bodySchema.parse({ ...DVCQG_TH_EXAMPLE, KenhThucHien: '1' })).channel).toBe('counter');
    expect(dvcqgThFormat.adapt(dvcqgThFormat.bodySchema.parse({ ...DVCQG_TH_EXAMPLE, KenhThucHien: '7' })).channel).toBe('counter');
  });

  it('names a refused field by its path in the portal’s body', () => {
    expect(portalPath(['ThanhPhanHoSo', 1, 'TepDinhKem', 0, 'Base64'])).toBe('ThanhPhanHoSo[1].TepDinhKem[0].Base64');
    expect(portalPath(['components', 0, 'componentId'], 'submission')).toBe('submission.components[0].componentId');
    expect(portalPath([])).toBe('(body)');
  });
});
