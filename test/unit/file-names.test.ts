// A dossier file's name on its way in (one clean line for the event) and out (a content-disposition
// header nothing of the name can break), with hostile names.
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, fileNameOf } from '../../api/file-names.js';

/** What a client reads back from `filename*` (RFC 8187). */
const encodedName = (header: string) => decodeURIComponent(header.split("filename*=UTF-8''")[1]!);

describe('the name kept in the event', () => {
  it('is one line without controls, at most 255 UTF-16 units, or none at all', () => {
    expect(fileNameOf('Đơn đề nghị.pdf')).toBe('Đơn đề nghị.pdf');
    expect(fileNameOf(' a\r\nb\u0000c\u009f.pdf ')).toBe('abc.pdf');
    expect(fileNameOf('x\ud800y.pdf')).toBe('xy.pdf');
    expect(fileNameOf('😀'.repeat(200))!.length).toBeLessThanOrEqual(255);
    expect(fileNameOf('😀'.repeat(200))).toMatch(/^(😀)+$/u);
    expect(fileNameOf('')).toBeUndefined();
    expect(fileNameOf('\r\n\t')).toBeUndefined();
    expect(fileNameOf(undefined)).toBeUndefined();
  });
});

describe('the name given back in content-disposition', () => {
  it('is encoded, with an ASCII fallback, and never carries a raw quote, line break or path', () => {
    const header = attachmentDisposition('Tờ khai "số 1".pdf', 'application-0123456789ab', 'application/pdf');
    expect(header).toBe(`attachment; filename="To_khai_so_1_.pdf"; filename*=UTF-8''T%E1%BB%9D%20khai%20%22s%E1%BB%91%201%22.pdf`);
    expect(encodedName(header)).toBe('Tờ khai "số 1".pdf');
    for (const hostile of ['a"\r\nSet-Cookie: x=1\r\n.pdf', '../../etc/passwd', 'C:\\Windows\\system32\\x.pdf', "o'brien (1);*.pdf", 'x\ud800.pdf', 'Đ'.repeat(300)]) {
      const value = attachmentDisposition(hostile, 'stem', 'application/pdf');
      expect(value, hostile).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"(; filename\*=UTF-8''[A-Za-z0-9%._~!-]+)?$/);
      expect(value).not.toMatch(/[\r\n]/);
    }
    expect(encodedName(attachmentDisposition('../../etc/passwd', 'stem', 'application/pdf'))).toBe('passwd');
  });

  it('falls back to the component and digest when the sender gave no name', () => {
    expect(attachmentDisposition(undefined, 'site-plan-9f2c00000000', 'image/png')).toBe('attachment; filename="site-plan-9f2c00000000.png"');
    expect(attachmentDisposition('  ', 'x', 'application/json')).toBe('attachment; filename="x.json"');
  });
});
