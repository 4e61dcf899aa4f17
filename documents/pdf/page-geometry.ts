// The page a document is laid out on: its paper (Decree 30/2020/ND-CP's margins and type sizes as
// a guide), landscape for a wide table, the type set at a scale to fit one page, and where the QR
// code goes.
import { PageSizes } from 'pdf-lib';
import type { DocumentModel, PaperSize } from '../../domain/documents/document-model.js';

const MM = 72 / 25.4;

export interface Geometry {
  readonly size: readonly [number, number];
  readonly margin: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
  /** Side of the QR code's square, quiet zone included. */
  readonly qrSize: number;
  /** Font sizes in points. `meta` is the number and the place and date. */
  readonly sizes: { readonly header: number; readonly motto: number; readonly meta: number; readonly title: number; readonly body: number; readonly table: number; readonly small: number };
  /** First-line indent of paragraphs (Decree 30: 1 to 1.27 cm on A4). */
  readonly indent: number;
  /** Room left for the handwritten signature and the seal. */
  readonly signatureGap: number;
}

type Sizes = Geometry['sizes'];

// A4 follows Decree 30's margins (mm) and sizes (pt) (Noto Serif is wider than Times New Roman, so
// the lower ends). A5 scales them down, but keeps a left margin wide enough to hold the QR code.
const PAPER: Readonly<Record<PaperSize, { size: readonly [number, number]; marginMm: Geometry['margin']; qrMm: number; indentMm: number; signatureGap: number; sizes: Sizes }>> = {
  A4: { size: PageSizes.A4, marginMm: { top: 20, bottom: 20, left: 30, right: 15 }, qrMm: 20, indentMm: 10, signatureGap: 56, sizes: { header: 12, motto: 13, meta: 13, title: 14, body: 13, table: 12, small: 11 } },
  A5: { size: PageSizes.A5, marginMm: { top: 15, bottom: 15, left: 25, right: 10 }, qrMm: 18, indentMm: 7, signatureGap: 48, sizes: { header: 9, motto: 10, meta: 10.5, title: 12, body: 11, table: 9.5, small: 9 } },
};

/** A table of more columns than this turns the page to landscape, as the register (form 07) is printed. */
const PORTRAIT_MAX_COLUMNS = 6;

/**
 * The page and the type for a model: its paper, landscape for a wide table, the type set at
 * `scale` (the margins and the QR code keep their size).
 */
export function geometryFor(model: DocumentModel, scale: number): Geometry {
  const paper = PAPER[model.paper];
  const wide = model.blocks.some((block) => block.kind === 'table' && block.columns.length > PORTRAIT_MAX_COLUMNS);
  const [width, height] = paper.size;
  const { top, bottom, left, right } = paper.marginMm;
  const sizes = Object.fromEntries(Object.entries(paper.sizes).map(([name, points]) => [name, points * scale])) as unknown as Sizes;
  return {
    size: wide ? [height, width] : [width, height],
    margin: { top: top * MM, bottom: bottom * MM, left: left * MM, right: right * MM },
    qrSize: paper.qrMm * MM,
    sizes,
    indent: paper.indentMm * MM * scale,
    signatureGap: paper.signatureGap * scale,
  };
}

/**
 * The QR code sits in the corner of the top and left margins (Circular 01/2023: top left), as far
 * from the paper's edges as from the text, so it never overlaps the header. Its quiet zone is
 * white, which keeps the modules clear of the text edge.
 */
export function qrSquare(geometry: Geometry): { x: number; y: number; size: number } {
  const inset = geometry.margin.left - geometry.qrSize;
  return { x: inset, y: geometry.size[1] - inset - geometry.qrSize, size: geometry.qrSize };
}
