// Files for the intake's tests, made here rather than checked in: PDFs of n pages, an encrypted PDF
// (pdf-lib cannot encrypt, and qpdf is not a dependency: its trailer is written by hand, as an
// incremental update naming an /Encrypt dictionary), PNG, JPEG, e-forms and hostile variants.
import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';

export async function pdfOf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([200, 200]).drawText(`Trang ${i + 1}`, { x: 20, y: 100, size: 12 });
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}

/** A PDF whose last trailer names an /Encrypt dictionary (RC4 40-bit, revision 2), as qpdf --encrypt would. */
export async function encryptedPdf(): Promise<Buffer> {
  const plain = await pdfOf(1);
  const text = plain.toString('latin1');
  const root = /\/Root (\d+ \d+ R)/.exec(text)![1];
  const size = Number(/\/Size (\d+)/.exec(text)![1]);
  const previous = Number(/startxref\s+(\d+)/.exec(text)![1]);
  const hex32 = 'ab'.repeat(32);
  const object = `${size} 0 obj\n<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${hex32}> /U <${hex32}> /P -3904 >>\nendobj\n`;
  const objectAt = plain.length;
  const xrefAt = objectAt + object.length;
  const update =
    object +
    `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(objectAt).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Prev ${previous} /Encrypt ${size} 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([plain, Buffer.from(update, 'latin1')]);
}

/** A 1×1 PNG, chunks and CRCs as the format wants them. */
export function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}

/** The start of a JFIF JPEG and its end marker: the intake judges a JPEG by its signature. */
export function jpeg(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]), Buffer.alloc(64, 0x11), Buffer.from([0xff, 0xd9])]);
}

export const XML_EFORM = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<ToKhai><HoTen>Nguyễn Văn A</HoTen><SoDinhDanh>001090000001</SoDinhDanh></ToKhai>\n');
export const JSON_EFORM = Buffer.from(JSON.stringify({ toKhai: { hoTen: 'Nguyễn Văn A', soDinhDanh: '001090000001' } }));

/** The "billion laughs": ten levels of entities, each ten of the one below. */
export const BILLION_LAUGHS = Buffer.from(
  `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n<lolz>&lol9;</lolz>\n`,
);

/**
 * A PDF whose only content is an object stream that inflates from a few hundred KiB to `inflatedMiB`
 * of digits: pdf-lib inflates object streams as it loads, so the parse must be bounded.
 */
export function objectStreamBomb(inflatedMiB: number): Buffer {
  const inflated = deflateSync(Buffer.alloc(inflatedMiB * 1024 * 1024, '1'), { level: 9 });
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n', 'latin1')];
  const offsets: number[] = [];
  const push = (chunk: Buffer | string) => parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  const length = () => parts.reduce((sum, part) => sum + part.length, 0);
  offsets.push(length());
  push('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  offsets.push(length());
  push('2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n');
  offsets.push(length());
  push(`3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${inflated.length} >>\nstream\n`);
  push(inflated);
  push('\nendstream\nendobj\n');
  const xref = length();
  push(`xref\n0 4\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
