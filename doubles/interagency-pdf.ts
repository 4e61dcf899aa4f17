// The papers the interagency doubles answer with (doubles/land-registry-double.ts, tax-double.ts):
// a one-page PDF with a title and a few lines in Vietnamese, in the Noto Serif the engine's own
// documents embed (documents/pdf/fonts.ts), so the engine's file check (documents/files/pdf-check.ts)
// parses it and a person opening it reads the diacritics. Small: the font is embedded as a subset.
import { PDFDocument } from 'pdf-lib';
import type { AnswerFile } from '../domain/interagency/answer.js';
import { fontkitAdapter } from '../documents/pdf/fontkit-adapter.js';
import { loadFontFiles } from '../documents/pdf/fonts.js';

/** A one-page A4 PDF: the issuing body, the paper's title, then its lines. */
export async function systemPaper(issuer: string, title: string, lines: readonly string[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.registerFontkit(fontkitAdapter);
  const fonts = await loadFontFiles();
  const regular = await document.embedFont(fonts.regular, { subset: true });
  const bold = await document.embedFont(fonts.bold, { subset: true });
  const page = document.addPage([595, 842]);
  page.drawText(issuer.normalize('NFC'), { x: 56, y: 780, size: 11, font: bold });
  page.drawText(title.normalize('NFC'), { x: 56, y: 730, size: 15, font: bold });
  lines.forEach((line, index) => page.drawText(line.normalize('NFC'), { x: 56, y: 690 - index * 20, size: 11, font: regular }));
  page.drawText('Bản do hệ thống thử nghiệm (loopback double) của motcua tạo ra, không có giá trị pháp lý.', { x: 56, y: 60, size: 8, font: regular });
  document.setTitle(title.normalize('NFC'));
  return document.save();
}

/** The paper as an answer carries it: inline, base64. */
export function answerFile(name: string, bytes: Uint8Array): AnswerFile {
  return { name, mediaType: 'application/pdf', contentBase64: Buffer.from(bytes).toString('base64') };
}
