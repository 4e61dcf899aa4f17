import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFRawStream, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { NATIONAL_MOTTO, type DocumentModel } from '../../domain/documents/document-model.js';
import { renderDocument } from '../../documents/pdf/render-document.js';

const EVERY_TONE = 'ằắẳẵặ ầấẩẫậ ềếểễệ ồốổỗộ ờớởỡợ ừứửữự ỳýỷỹỵ đĐ';
const DOSSIER = '000.01.01.H99-260302-0001';

const receipt: DocumentModel = {
  kind: 'form-01',
  paper: 'A5',
  issuer: { superior: 'Ủy ban nhân dân xã Hòa Bình', name: 'Bộ phận Một cửa' },
  number: `Số: 1/TNHS-${DOSSIER}`,
  placeAndDate: 'Hòa Bình, ngày 02 tháng 3 năm 2026',
  qr: `${DOSSIER}|1.001234|001090012345`,
  title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  subtitle: [`Mã hồ sơ: ${DOSSIER}`],
  blocks: [
    { kind: 'paragraph', text: 'Bộ phận Một cửa tiếp nhận hồ sơ của:' },
    { kind: 'fields', rows: [{ label: 'Ông/Bà', value: 'Nguyễn Thị Ánh Tuyết' }, { label: 'Địa chỉ', value: 'Số 12, đường Trần Hưng Đạo, phường Hạnh Phúc, tỉnh Phú Thọ' }] },
    { kind: 'table', columns: [{ header: 'STT', width: 0.1 }, { header: 'Tên giấy tờ', width: 0.6 }, { header: 'Hình thức', width: 0.3 }], rows: [['1', 'Tờ khai đăng ký khai sinh', 'Bản chính']] },
    { kind: 'paragraph', indent: true, align: 'justify', text: `Các thanh điệu: ${EVERY_TONE}. Đoạn văn này đủ dài để được dàn đều hai bên trên khổ giấy A5.` },
    { kind: 'list', numbered: true, items: ['Tờ khai: thiếu chữ ký', 'Giấy chứng sinh: bản chụp không rõ'] },
    { kind: 'space', points: 6 },
  ],
  signatures: [
    { title: 'Người nộp hồ sơ', hint: '(Ký và ghi rõ họ tên)', name: 'Nguyễn Thị Ánh Tuyết' },
    { title: 'Người tiếp nhận hồ sơ', hint: '(Ký và ghi rõ họ tên)' },
  ],
  metadata: { issuedAt: '2026-03-02T01:30:00Z', documentId: `${DOSSIER}/form-01/1`, subject: `Tiếp nhận hồ sơ ${DOSSIER}` },
};

const apology: DocumentModel = {
  ...receipt,
  kind: 'form-04',
  paper: 'A4',
  title: 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ',
  blocks: [{ kind: 'paragraph', align: 'center', text: 'Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết' }],
  signatures: [{ title: 'Thủ trưởng cơ quan', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }],
  recipients: ['Như trên;', 'Lưu: VT.'],
};

const register: DocumentModel = {
  ...receipt,
  kind: 'form-07',
  paper: 'A4',
  title: 'Sổ theo dõi hồ sơ',
  blocks: [
    {
      kind: 'table',
      columns: [{ header: 'STT', width: 0.1 }, { header: 'Mã hồ sơ', width: 0.25 }, { header: 'Người nộp', width: 0.4 }, { header: 'Ghi chú', width: 0.25 }],
      rows: Array.from({ length: 120 }, (_, index) => [String(index + 1), `000.01.01.H99-260302-${String(index + 1).padStart(4, '0')}`, `Trần Văn Hưởng số ${index + 1}`, 'Đúng hạn']),
    },
  ],
  signatures: [{ title: 'Người lập sổ' }],
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const flatten = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ');

/** Text as pdf.js extracts it; pdf.js may detach the buffer it is given, so it gets a copy. */
async function textOf(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true });
  return flatten(text);
}

async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(bytes.slice()));
  return text.map(flatten);
}

/** The page's content stream, inflated. */
function contentOf(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  return streams.map((stream) => (stream instanceof PDFRawStream ? inflateSync(stream.getContents()).toString('latin1') : '')).join('\n');
}

describe('rendering a document model as PDF', () => {
  it('renders the same model to the same bytes, and a changed field to different bytes', async () => {
    const first = await renderDocument(receipt);
    const second = await renderDocument(structuredClone(receipt));
    expect(sha256(second)).toBe(sha256(first));

    const changed = await renderDocument({ ...receipt, placeAndDate: 'Hòa Bình, ngày 03 tháng 3 năm 2026' });
    expect(sha256(changed)).not.toBe(sha256(first));
  });

  it('renders a document the same, with its own text, whatever the process rendered before', async () => {
    // The fonts' decoded tables are shared between documents (documents/pdf/fontkit-adapter.ts),
    // their glyphs are not: a glyph cached with another document's characters would give this
    // one's text the wrong ToUnicode entries, and a shared subset would change its bytes.
    const before = await renderDocument(receipt);
    const other: DocumentModel = { ...apology, title: 'Quyết định phê duyệt: fi fl ffi “ngoặc kép” … ½', blocks: [{ kind: 'paragraph', text: `Yêu cầu bổ sung fi fl ffi — ${EVERY_TONE}` }] };
    expect(await textOf(await renderDocument(other))).toContain(`Yêu cầu bổ sung fi fl ffi — ${EVERY_TONE}`);
    const after = await renderDocument(receipt);
    expect(sha256(after)).toBe(sha256(before));
    expect(await textOf(after)).toContain(`Các thanh điệu: ${EVERY_TONE}.`);
    // Bold capitals after all of that: the register's header and title.
    const registerText = await textOf(await renderDocument(register));
    expect(registerText).toContain('STT Mã hồ sơ Người nộp Ghi chú');
    expect(registerText).toContain('SỔ THEO DÕI HỒ SƠ');
  });

  it('dates the file at the moment of issue and names it with an /ID derived from the model', async () => {
    const loaded = await PDFDocument.load(await renderDocument(receipt), { updateMetadata: false });
    expect(loaded.getCreationDate()?.toISOString()).toBe('2026-03-02T01:30:00.000Z');
    expect(loaded.getModificationDate()?.toISOString()).toBe('2026-03-02T01:30:00.000Z');
    expect(loaded.getTitle()).toBe(`${DOSSIER}/form-01/1`);
    expect(loaded.getProducer()).toBe('motcua');

    const idOf = (document: PDFDocument) => (document.context.trailerInfo.ID as PDFArray).get(0) as PDFHexString;
    const other = await PDFDocument.load(await renderDocument({ ...receipt, qr: `${DOSSIER}|1.001234|001090099999` }), { updateMetadata: false });
    expect(idOf(loaded).asString()).toMatch(/^[0-9a-f]{32}$/);
    expect(idOf(other).asString()).not.toBe(idOf(loaded).asString());

    // Reloading and saving again, as the signer does, keeps the dates and the /ID.
    const resaved = await PDFDocument.load(await loaded.save({ useObjectStreams: false }), { updateMetadata: false });
    expect(idOf(resaved).asString()).toBe(idOf(loaded).asString());
    expect(resaved.getModificationDate()?.toISOString()).toBe('2026-03-02T01:30:00.000Z');
  });

  it('keeps every Vietnamese diacritic in the extracted text', async () => {
    const text = await textOf(await renderDocument(receipt));
    for (const expected of [...NATIONAL_MOTTO, 'ỦY BAN NHÂN DÂN XÃ HÒA BÌNH', 'BỘ PHẬN MỘT CỬA', 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', 'Nguyễn Thị Ánh Tuyết', EVERY_TONE, 'Hòa Bình, ngày 02 tháng 3 năm 2026', 'NGƯỜI TIẾP NHẬN HỒ SƠ', '(Ký và ghi rõ họ tên)']) {
      expect(text).toContain(flatten(expected));
    }
  });

  it('embeds the prepared font programs when the text is in their repertoire, and subsets of its own for text beyond it', async () => {
    // documents/pdf/prepared-fonts.ts: the Vietnamese repertoire is one prepared program per style,
    // the same bytes in every document; a name in another script the font has still prints.
    const fontFiles = async (bytes: Uint8Array) => {
      const document = await PDFDocument.load(bytes, { updateMetadata: false });
      return document.context
        .enumerateIndirectObjects()
        .flatMap(([, object]) => (object instanceof PDFRawStream && object.dict.has(PDFName.of('Length1')) ? [sha256(object.getContents())] : []))
        .sort();
    };
    const receiptFonts = await fontFiles(await renderDocument(receipt));
    const apologyFonts = await fontFiles(await renderDocument(apology));
    expect(receiptFonts.length).toBeGreaterThan(0);
    expect(apologyFonts).toEqual(expect.arrayContaining(receiptFonts));

    const foreign = 'Łukasz Wójcik, Иван Петров';
    const beyond = await renderDocument({ ...receipt, signatures: [{ title: 'Người nộp hồ sơ', name: foreign }] });
    expect(await textOf(beyond)).toContain(foreign);
    expect((await fontFiles(beyond)).some((hash) => receiptFonts.includes(hash))).toBe(false);
  });

  it('normalises decomposed input to the precomposed letters the font draws', async () => {
    const decomposed = 'Nguyễn Thị Ánh Tuyết'.normalize('NFD');
    const text = await textOf(await renderDocument({ ...receipt, signatures: [{ title: 'Người nộp hồ sơ', name: decomposed }] }));
    expect(text).toContain('Nguyễn Thị Ánh Tuyết');
  });

  it('prints A5 forms on A5 and the others on A4, portrait', async () => {
    const a5 = (await PDFDocument.load(await renderDocument(receipt))).getPage(0).getSize();
    const a4 = (await PDFDocument.load(await renderDocument(apology))).getPage(0).getSize();
    expect([Math.round(a5.width), Math.round(a5.height)]).toEqual([420, 595]);
    expect([Math.round(a4.width), Math.round(a4.height)]).toEqual([595, 842]);
  });

  it('puts "Nơi nhận" and its recipients at the bottom', async () => {
    const text = await textOf(await renderDocument(apology));
    expect(text).toContain('Nơi nhận: - Như trên; - Lưu: VT.');
    expect(text).toContain('THỦ TRƯỞNG CƠ QUAN');
  });

  it('continues a long table over several pages, with every row, the header on each page and page numbers', async () => {
    const bytes = await renderDocument(register);
    const pages = await pageTexts(bytes);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page).toContain('STT Mã hồ sơ Người nộp Ghi chú');
    pages.forEach((page, index) => expect(page.trim().endsWith(String(index + 1))).toBe(true));
    const text = pages.join(' ');
    for (let row = 1; row <= 120; row++) expect(text).toContain(`Trần Văn Hưởng số ${row} `);
    // Dossier codes wider than their column break after a separator, not mid-number.
    expect(text).toContain('000.01.01.H99- 260302-0120');
  });

  it('wraps a long title and a word wider than the page without losing a character', async () => {
    const longWord = 'X'.repeat(150);
    const title = 'Quyết định về việc phê duyệt danh mục thủ tục hành chính được thực hiện tiếp nhận hồ sơ trực tuyến toàn trình';
    const text = await textOf(await renderDocument({ ...receipt, title, blocks: [{ kind: 'paragraph', text: `Mã: ${longWord}.` }] }));
    expect(text).toContain(title.toUpperCase());
    expect(text.replace(/ /g, '')).toContain(`Mã:${longWord}.`);
  });

  it('draws the QR code in the top left corner with the modules of the model\'s text', async () => {
    const document = await PDFDocument.load(await renderDocument(apology));
    const page = document.getPage(0);
    const runs = [...contentOf(page).matchAll(/^(\S+) (\S+) (\S+) (\S+) re$/gm)].map((match) => match.slice(1, 5).map(Number) as [number, number, number, number]);
    const module = runs[0]![3];
    const left = Math.min(...runs.map(([x]) => x));
    const top = Math.max(...runs.map(([, y, , height]) => y + height));
    const { modules } = QRCode.create(apology.qr, { errorCorrectionLevel: 'M' });

    const drawn = Array.from({ length: modules.size }, () => Array.from({ length: modules.size }, () => false));
    for (const [x, y, width] of runs) {
      const row = Math.round((top - y) / module) - 1;
      const first = Math.round((x - left) / module);
      for (let col = first; col < first + Math.round(width / module); col++) drawn[row]![col] = true;
    }
    const expected = Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1));
    expect(drawn).toEqual(expected);

    const side = (modules.size * module * 25.4) / 72; // mm, without the quiet zone
    expect(side).toBeGreaterThan(12);
    expect(side).toBeLessThan(22);
    const right = left + modules.size * module;
    expect(right).toBeLessThanOrEqual((30 * 72) / 25.4); // inside the 30 mm left margin, clear of the header
    expect(top).toBeGreaterThan(page.getHeight() - (30 * 72) / 25.4);
  });

  it('refuses a model whose issue time is not a date', async () => {
    await expect(renderDocument({ ...receipt, metadata: { ...receipt.metadata, issuedAt: 'yesterday' } })).rejects.toThrow(RangeError);
  });
});
