// One rule for the text the engine accepts (domain/text.ts), the same in every schema.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { agencySchema } from '../../domain/catalogue/agency.js';
import { freeText, isStorableText, lineText, nameText, wellFormed } from '../../domain/text.js';

describe('storable text', () => {
  it('refuses NUL, other control characters, DEL and lone surrogates on one line', () => {
    for (const bad of ['a\u0000b', 'a\u0007', '\u001Bx', 'x\u007F', 'x\u0085', '\ud800', 'x\udfffy', 'a\nb', 'a\tb']) expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    for (const good of ['', 'Nguyễn Văn An', 'Số 5, thôn Đông', '😀 emoji pairs are fine', '000.00.31.H38-250701-0005']) expect(isStorableText(good), good).toBe(true);
  });

  it('keeps tab and line breaks in free text over several lines, and nothing else', () => {
    expect(freeText({ max: 100, multiline: true }).safeParse('dòng 1\r\n\tdòng 2').success).toBe(true);
    expect(freeText({ max: 100, multiline: true }).safeParse('dòng 1\u0000').success).toBe(false);
    expect(freeText({ max: 100 }).safeParse('dòng 1\ndòng 2').success).toBe(false);
    expect(lineText(10).safeParse('x'.repeat(11)).success).toBe(false);
  });

  it('takes names as people and organisations write them, and nothing that is not a name', () => {
    for (const name of ['Nguyễn Thị Ánh-Dương', "O'Brien", 'Công ty TNHH "An Phát" & Co.', 'Hợp tác xã số 7 (Nghệ An)']) expect(nameText(300).safeParse(name).success, name).toBe(true);
    for (const name of ['<script>', '-dash first', 'a;b', 'Nguyễn\u0000']) expect(nameText(300).safeParse(name).success, name).toBe(false);
  });

  it('says what is wrong and what to do', () => {
    const result = freeText({ max: 100 }).safeParse('a\u0000');
    expect(result.error?.issues[0]?.message).toMatch(/control characters such as NUL \(U\+0000\).*remove them/);
  });

  it('shows as a pattern in the JSON schema, so the OpenAPI document carries it', () => {
    expect(z.toJSONSchema(lineText(50))).toMatchObject({ type: 'string', pattern: expect.any(String) });
  });

  it('serves the catalogue’s schemas too', () => {
    expect(agencySchema.safeParse({ code: '000.00.31.H38', name: 'Bộ phận Một cửa\u0000', kind: 'one-stop-centre' }).success).toBe(false);
  });

  it('makes echoed text well-formed', () => {
    expect(wellFormed('a\ud800b\udc00')).toBe('a\uFFFDb\uFFFD');
    expect(wellFormed('😀')).toBe('😀');
  });
});
