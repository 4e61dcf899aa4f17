// pdfmake (0.3, on pdfkit) laying out a DocumentModel as documents/pdf/render-document.ts does, as
// closely as its document definitions allow: the candidate in docs/decisions/0004-pdf-rendering.md.
// Not a dependency: `npm install --no-save pdfmake` makes it available to `npm run bench -- pdf`.
import path from 'node:path';
import { NATIONAL_MOTTO, type Block, type DocumentModel } from '../domain/documents/document-model.js';

interface Pdfmake {
  setFonts(fonts: object): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (file: string) => boolean): void;
  createPdf(definition: object): { getBuffer(): Promise<Buffer> };
}

const MM = 72 / 25.4;
// The renderer's paper table (margins left, top, right, bottom), so both lay out on the same page.
const PAPER = {
  A4: { margins: [30 * MM, 20 * MM, 15 * MM, 20 * MM], qr: 20 * MM, indent: 10 * MM, gap: 56, sizes: { header: 12, motto: 13, meta: 13, title: 14, body: 13, table: 12, small: 11 } },
  A5: { margins: [25 * MM, 15 * MM, 10 * MM, 15 * MM], qr: 18 * MM, indent: 7 * MM, gap: 48, sizes: { header: 9, motto: 10, meta: 10.5, title: 12, body: 11, table: 9.5, small: 9 } },
} as const;

/** A renderer on pdfmake when the package is installed, else null. */
export function pdfmakeRenderer(require: NodeRequire): ((model: DocumentModel) => Promise<Uint8Array>) | null {
  let pdfmake: Pdfmake;
  try {
    pdfmake = require('pdfmake') as Pdfmake;
  } catch {
    return null;
  }
  const fontDir = path.dirname(require.resolve('@expo-google-fonts/noto-serif/package.json'));
  pdfmake.setFonts({
    NotoSerif: {
      normal: path.join(fontDir, '400Regular/NotoSerif_400Regular.ttf'),
      bold: path.join(fontDir, '700Bold/NotoSerif_700Bold.ttf'),
      italics: path.join(fontDir, '400Regular_Italic/NotoSerif_400Regular_Italic.ttf'),
      bolditalics: path.join(fontDir, '700Bold_Italic/NotoSerif_700Bold_Italic.ttf'),
    },
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file) => file.startsWith(fontDir));
  return async (model) => new Uint8Array(await pdfmake.createPdf(definitionOf(model)).getBuffer());
}

function definitionOf(model: DocumentModel): object {
  const paper = PAPER[model.paper];
  const { sizes } = paper;
  const after = [0, 0, 0, sizes.body * 0.35];
  const block = (b: Block): object => {
    switch (b.kind) {
      case 'paragraph':
        return { text: b.text.normalize('NFC'), bold: b.bold, italics: b.italic, alignment: b.align ?? 'left', leadingIndent: b.indent ? paper.indent : 0, margin: after };
      case 'fields':
        return { stack: b.rows.map((row) => ({ text: `${row.label}: ${row.value}` })), margin: after };
      case 'list':
        return { [b.numbered ? 'ol' : 'ul']: [...b.items], margin: after };
      case 'table':
        return {
          table: { headerRows: 1, dontBreakRows: true, widths: b.columns.map((column) => `${column.width * 100}%`), body: [b.columns.map((column) => ({ text: column.header, bold: true, alignment: 'center' })), ...b.rows.map((row) => [...row])] },
          fontSize: sizes.table,
          margin: after,
        };
      case 'space':
        return { text: '', margin: [0, b.points, 0, 0] };
    }
  };
  const slots = Math.max(2, model.signatures.length);
  const closing: object[] = Array.from({ length: slots - model.signatures.length }, () => ({ text: '' }));
  if (model.recipients?.length && closing.length > 0) {
    closing[0] = { stack: [{ text: 'Nơi nhận:', bold: true, italics: true, fontSize: sizes.header }, ...model.recipients.map((recipient) => ({ text: `- ${recipient}`, fontSize: sizes.small }))] };
  }
  for (const box of model.signatures) {
    closing.push({ alignment: 'center', stack: [{ text: box.title.toUpperCase(), bold: true }, ...(box.hint ? [{ text: box.hint, italics: true }] : []), { text: '', margin: [0, paper.gap, 0, 0] }, ...(box.name ? [{ text: box.name, bold: true }] : [])] });
  }
  const issuedAt = new Date(model.metadata.issuedAt);
  return {
    pageSize: model.paper,
    pageMargins: paper.margins,
    info: { title: model.metadata.documentId, subject: model.metadata.subject, producer: 'motcua', creator: 'motcua', creationDate: issuedAt, modDate: issuedAt },
    defaultStyle: { font: 'NotoSerif', fontSize: sizes.body },
    footer: (page: number, count: number) => (count > 1 ? { text: String(page), alignment: 'center', fontSize: sizes.small } : null),
    content: [
      { qr: model.qr, fit: paper.qr, eccLevel: 'M', absolutePosition: { x: paper.margins[0] - paper.qr, y: paper.margins[0] - paper.qr } },
      {
        columns: [
          { width: '40%', alignment: 'center', stack: [...(model.issuer.superior ? [{ text: model.issuer.superior.toUpperCase(), fontSize: sizes.header }] : []), { text: model.issuer.name.toUpperCase(), bold: true, fontSize: sizes.header }, { text: model.number, fontSize: sizes.meta, margin: [0, 6, 0, 0] }] },
          { width: '*', alignment: 'center', stack: [{ text: NATIONAL_MOTTO[0], bold: true, fontSize: sizes.header }, { text: NATIONAL_MOTTO[1], bold: true, fontSize: sizes.motto, decoration: 'underline' }, { text: model.placeAndDate, italics: true, fontSize: sizes.meta, margin: [0, 6, 0, 0] }] },
        ],
      },
      { text: model.title.toUpperCase(), bold: true, fontSize: sizes.title, alignment: 'center', margin: [0, sizes.body, 0, 0] },
      ...(model.subtitle ?? []).map((line) => ({ text: line, alignment: 'center' })),
      { text: '', margin: [0, sizes.body * 0.6, 0, 0] },
      ...model.blocks.map(block),
      { columns: closing, unbreakable: true, margin: [0, sizes.body * 0.6, 0, 0] },
    ],
  };
}
