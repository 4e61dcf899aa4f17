// Lays a DocumentModel out as PDF in the style of Vietnamese administrative documents (Decree
// 30/2020/ND-CP, Appendix I as a guide): the QR code in the top left corner, the two-column header
// (issuer | national motto), the title, the blocks with automatic page breaks, then the signature
// boxes and the "Nơi nhận" list. The same model always gives the same bytes: nothing here reads
// the clock, the environment or a random source, and the file's dates and /ID come from the model.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { grayscale, PageSizes, PDFDocument, PDFHexString, type PDFFont, type PDFPage } from 'pdf-lib';
import { NATIONAL_MOTTO, type Block, type DocumentModel, type PaperSize, type SignatureBox } from '../../domain/documents/document-model.js';
import { embedFonts, type Fonts } from './fonts.js';
import { drawQrCode } from './qr-code.js';

/**
 * The type sizes tried, largest first, to fit a document on one page: the forms of Circular
 * 01/2018/TT-VPCP are one page each, and a form a few lines too long is better set a little smaller
 * than with its signatures alone on a second page.
 */
const ONE_PAGE_SCALES = [1, 0.94, 0.88, 0.82] as const;

/** Renders the model as a PDF with a classic cross-reference table (no object streams), ready for a signature placeholder. */
export async function renderDocument(model: DocumentModel): Promise<Uint8Array> {
  return (await composeDocument(model)).save({ useObjectStreams: false });
}

/**
 * The model laid out as an unsaved pdf-lib document: what `signPdf` takes to add its placeholder
 * before the one save, instead of parsing the saved bytes again.
 */
export async function composeDocument(model: DocumentModel): Promise<PDFDocument> {
  const issuedAt = new Date(model.metadata.issuedAt);
  if (Number.isNaN(issuedAt.getTime())) throw new RangeError(`${model.metadata.documentId}: issuedAt "${model.metadata.issuedAt}" is not a date`);
  // updateMetadata: false keeps pdf-lib from stamping its own producer and the current time.
  const doc = await PDFDocument.create({ updateMetadata: false });
  describeDocument(doc, model, issuedAt);
  const fonts = await embedFonts(doc);
  const geometry = geometryFor(model, oneScale(model, fonts));
  const flow = layOut(model, fonts, geometry, () => doc.addPage([...geometry.size]));
  drawQrCode(doc.getPage(0), model.qr, qrSquare(geometry));
  numberPages(flow);
  return doc;
}

/** A page that draws nothing, for laying a document out only to count its pages. */
const BLANK_PAGE: Canvas = { drawText() {}, drawLine() {}, drawRectangle() {} };

/**
 * The largest of ONE_PAGE_SCALES at which the document fits on one page, else 1. Trial layouts
 * draw on blank pages, so they cost only the wrapping. More than two pages at full size would not
 * fit on one at any of the scales: such a document keeps full size at once.
 */
function oneScale(model: DocumentModel, fonts: Fonts): number {
  const pagesAt = (scale: number) => layOut(model, fonts, geometryFor(model, scale), () => BLANK_PAGE).pages.length;
  const atFullSize = pagesAt(1);
  if (atFullSize === 1 || atFullSize > 2) return 1;
  return ONE_PAGE_SCALES.slice(1).find((scale) => pagesAt(scale) === 1) ?? 1;
}

function layOut(model: DocumentModel, fonts: Fonts, geometry: Geometry, newPage: () => Canvas): Flow {
  const flow = new Flow(newPage, fonts, geometry);
  drawHeader(flow, model);
  drawTitle(flow, model);
  for (const block of model.blocks) drawBlock(flow, block);
  drawClosing(flow, model.signatures, model.recipients ?? []);
  return flow;
}

function describeDocument(doc: PDFDocument, model: DocumentModel, issuedAt: Date): void {
  doc.setTitle(model.metadata.documentId);
  doc.setSubject(model.metadata.subject);
  doc.setProducer('motcua');
  doc.setCreator('motcua');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(issuedAt);
  doc.setModificationDate(issuedAt);
  // pdf-lib writes no /ID; a hash of the canonical model names this document and nothing else.
  const id = createHash('sha256').update(canonicalize(model)!).digest('hex').slice(0, 32);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}

// ---------------------------------------------------------------------------------------------
// Page geometry

const MM = 72 / 25.4;

interface Geometry {
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
function geometryFor(model: DocumentModel, scale: number): Geometry {
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

/** Line pitch as a multiple of the font size; the baseline sits one size below the line's top. */
const LINE_HEIGHT = 1.3;
const RULE_THICKNESS = 0.6;
const GRID_THICKNESS = 0.4;
/** The issuer's column of the header; the motto, wider in every font, gets the rest. */
const ISSUER_COLUMN_SHARE = 0.4;

/**
 * The QR code sits in the corner of the top and left margins (Circular 01/2023: top left), as far
 * from the paper's edges as from the text, so it never overlaps the header. Its quiet zone is
 * white, which keeps the modules clear of the text edge.
 */
function qrSquare(geometry: Geometry): { x: number; y: number; size: number } {
  const inset = geometry.margin.left - geometry.qrSize;
  return { x: inset, y: geometry.size[1] - inset - geometry.qrSize, size: geometry.qrSize };
}

/** What the layout draws on: a PDF page, or a blank one when it only counts pages. */
type Canvas = Pick<PDFPage, 'drawText' | 'drawLine' | 'drawRectangle'>;

/** The pages, and where the next line goes on the current one. */
class Flow {
  readonly pages: Canvas[] = [];
  readonly fonts: Fonts;
  readonly geometry: Geometry;
  readonly text: Column;
  page: Canvas;
  /** Top of the free space on the current page. */
  y: number;

  constructor(
    private readonly newPage: () => Canvas,
    fonts: Fonts,
    geometry: Geometry,
  ) {
    this.fonts = fonts;
    this.geometry = geometry;
    const { left, right } = geometry.margin;
    this.text = { x: left, width: geometry.size[0] - left - right };
    this.page = this.addPage();
    this.y = this.top;
  }

  private addPage(): Canvas {
    const page = this.newPage();
    this.pages.push(page);
    return page;
  }

  get top(): number {
    return this.geometry.size[1] - this.geometry.margin.top;
  }

  /**
   * Starts a new page unless `height` fits above the bottom margin, and says whether it did. A
   * fresh page is never left, so something taller than a page overflows instead of paging forever.
   */
  ensure(height: number): boolean {
    if (this.y - height >= this.geometry.margin.bottom || this.y === this.top) return false;
    this.page = this.addPage();
    this.y = this.top;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Text

interface TextStyle {
  readonly font: PDFFont;
  readonly size: number;
}

interface Column {
  readonly x: number;
  readonly width: number;
}

type Align = 'left' | 'center' | 'justify';

/**
 * Advance widths at size 1 per character, per font. pdf-lib draws each glyph at its own advance (no
 * kerning), so a text's width is the sum of its characters'; wrapping measures every candidate
 * line, and asking pdf-lib each time was most of the layout's cost.
 */
const advances = new WeakMap<PDFFont, Map<string, number>>();

function measure(text: string, style: TextStyle): number {
  let known = advances.get(style.font);
  if (!known) advances.set(style.font, (known = new Map()));
  let width = 0;
  for (const character of text) {
    let advance = known.get(character);
    if (advance === undefined) known.set(character, (advance = style.font.widthOfTextAtSize(character, 1)));
    width += advance;
  }
  return width * style.size;
}

/** What is printed for a character the font has no glyph for; any other such character prints as "?". */
const STAND_INS: Readonly<Record<string, string>> = { '→': '->', '←': '<-', '≤': '<=', '≥': '>=' };
const coverage = new WeakMap<readonly number[], ReadonlySet<number>>();
const WHITE_SPACE = /\s/;

/**
 * The text as the font can print it: NFC, whose precomposed letters the font maps, and stand-ins
 * for the few characters it lacks (the register's arrows), rather than the empty box of .notdef.
 */
function printable(text: string, font: PDFFont): string {
  // fontkit computes a font's character set once; the fonts are shared by every document.
  const characters = font.getCharacterSet();
  let covered = coverage.get(characters);
  if (!covered) coverage.set(characters, (covered = new Set(characters)));
  let result = '';
  for (const character of text.normalize('NFC')) result += covered.has(character.codePointAt(0)!) || WHITE_SPACE.test(character) ? character : (STAND_INS[character] ?? '?');
  return result;
}

const lineHeight = (style: TextStyle): number => style.size * LINE_HEIGHT;
const upper = (text: string): string => text.toUpperCase();

/** White space other than the no-break spaces (U+00A0, U+202F), which keep "Số 01" together. */
const BREAKING_SPACE = /[^\S\u00a0\u202f]+/;
const WORD_BREAK_AFTER = new Set(['-', '/', '.', ',', ';', ':']);

/**
 * Breaks `text` into lines no wider than `firstWidth` (the first line) and `restWidth` (the others),
 * measured with the font itself. Lines break at spaces (runs of white space count as one); a word
 * wider than a line, such as a dossier code, breaks after punctuation (- / . , ; :) where it can,
 * else between characters. Text is made printable first (NFC, stand-ins for missing glyphs).
 */
function wrap(text: string, style: TextStyle, firstWidth: number, restWidth = firstWidth): string[] {
  const lines: string[] = [];
  const available = () => (lines.length === 0 ? firstWidth : restWidth);
  const fits = (candidate: string) => measure(candidate, style) <= available();
  let line = '';
  for (const word of printable(text, style.font).split(BREAKING_SPACE).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (line && measure(word, style) <= restWidth) {
      lines.push(line);
      line = word;
      continue;
    }
    let rest = word;
    while (!fits(line ? `${line} ${rest}` : rest)) {
      const head = line ? `${line} ` : '';
      // On a line that already has words, only a break at punctuation is worth staying for.
      const cut = fittingPrefix(rest, available() - measure(head, style), style, !line);
      if (cut > 0) {
        lines.push(head + rest.slice(0, cut));
        rest = rest.slice(cut);
      } else {
        lines.push(line);
      }
      line = '';
    }
    line = line ? `${line} ${rest}` : rest;
  }
  lines.push(line);
  return lines;
}

/**
 * How many UTF-16 units of `word` fit in `width`: up to the last break character that fits, else
 * (when `anywhere`) as many characters as fit, at least one so wrapping always progresses.
 */
function fittingPrefix(word: string, width: number, style: TextStyle, anywhere: boolean): number {
  let length = 0;
  let lastBreak = 0;
  for (const char of word) {
    if (measure(word.slice(0, length + char.length), style) > width) break;
    length += char.length;
    if (WORD_BREAK_AFTER.has(char)) lastBreak = length;
  }
  if (lastBreak > 0) return lastBreak;
  return anywhere ? length || [...word][0]!.length : 0;
}

/** Draws one line with its baseline at `baseline`. Justified lines spread the gaps between words. */
function drawLine(page: Canvas, text: string, style: TextStyle, column: Column, baseline: number, align: Align): void {
  const words = text.split(' ');
  if (align === 'justify' && words.length > 1) {
    const extra = (column.width - measure(text, style)) / (words.length - 1);
    let x = column.x;
    words.forEach((word, index) => {
      // Each piece keeps its space, so text extraction still sees separate words.
      const piece = index < words.length - 1 ? `${word} ` : word;
      page.drawText(piece, { x, y: baseline, font: style.font, size: style.size });
      x += measure(piece, style) + extra;
    });
    return;
  }
  const offset = align === 'center' ? (column.width - measure(text, style)) / 2 : 0;
  page.drawText(text, { x: column.x + offset, y: baseline, font: style.font, size: style.size });
}

/** Draws lines from `top` down without page breaks (header, signature boxes); returns the new top. */
function drawLinesAt(page: Canvas, lines: readonly string[], style: TextStyle, column: Column, top: number, align: Align): number {
  lines.forEach((line, index) => drawLine(page, line, style, column, top - style.size - index * lineHeight(style), align));
  return top - lines.length * lineHeight(style);
}

/**
 * Draws lines into the flow, breaking pages between lines. `columnOf` places each line (first-line
 * and hanging indents); the last line of a justified paragraph stays flush left.
 */
function flowLines(flow: Flow, lines: readonly string[], style: TextStyle, align: Align, columnOf: (index: number) => Column = () => flow.text): void {
  lines.forEach((line, index) => {
    flow.ensure(lineHeight(style));
    const lineAlign = align === 'justify' && index === lines.length - 1 ? 'left' : align;
    drawLine(flow.page, line, style, columnOf(index), flow.y - style.size, lineAlign);
    flow.y -= lineHeight(style);
  });
}

function drawRule(page: Canvas, centre: number, y: number, length: number): void {
  page.drawLine({ start: { x: centre - length / 2, y }, end: { x: centre + length / 2, y }, thickness: RULE_THICKNESS, color: grayscale(0) });
}

const widest = (lines: readonly string[], style: TextStyle): number => Math.max(0, ...lines.map((line) => measure(line, style)));
const centreOf = (column: Column): number => column.x + column.width / 2;

/** The largest size up to `preferred` at which `text` fits on one line of `width`. */
function fittedSize(text: string, font: PDFFont, preferred: number, width: number): number {
  return Math.min(preferred, (preferred * width) / font.widthOfTextAtSize(text, preferred));
}

// ---------------------------------------------------------------------------------------------
// Header and title

/**
 * Left: the superior agency, the issuer in bold under a short rule, the number. Right: the motto,
 * a rule as long as its second line, the place and date in italics. The number and the place and
 * date share a baseline, as in Decree 30's templates.
 */
function drawHeader(flow: Flow, model: DocumentModel): void {
  const { fonts, geometry, page } = flow;
  const { sizes } = geometry;
  const issuerWidth = flow.text.width * ISSUER_COLUMN_SHARE;
  const left: Column = { x: flow.text.x, width: issuerWidth };
  const right: Column = { x: flow.text.x + issuerWidth, width: flow.text.width - issuerWidth };
  const ruleGap = sizes.header * 0.45;

  let leftY = flow.y;
  if (model.issuer.superior) {
    const style = { font: fonts.regular, size: sizes.header };
    leftY = drawLinesAt(page, wrap(upper(model.issuer.superior), style, left.width), style, left, leftY, 'center');
  }
  const issuerStyle = { font: fonts.bold, size: sizes.header };
  const issuerLines = wrap(upper(model.issuer.name), issuerStyle, left.width);
  leftY = drawLinesAt(page, issuerLines, issuerStyle, left, leftY, 'center');
  // Decree 30: a rule a third to a half as long as the issuer's name, and one as long as the motto.
  drawRule(page, centreOf(left), leftY - ruleGap / 3, widest(issuerLines, issuerStyle) * 0.4);

  const [national, motto] = NATIONAL_MOTTO.map((line) => line.normalize('NFC'));
  const nationalStyle = { font: fonts.bold, size: fittedSize(national!, fonts.bold, sizes.header, right.width) };
  const mottoStyle = { font: fonts.bold, size: fittedSize(motto!, fonts.bold, sizes.motto, right.width) };
  let rightY = drawLinesAt(page, [national!], nationalStyle, right, flow.y, 'center');
  rightY = drawLinesAt(page, [motto!], mottoStyle, right, rightY, 'center');
  drawRule(page, centreOf(right), rightY - ruleGap / 3, measure(motto!, mottoStyle));

  const metaTop = Math.min(leftY, rightY) - 1.5 * ruleGap;
  const numberStyle = { font: fonts.regular, size: sizes.meta };
  const placeStyle = { font: fonts.italic, size: sizes.meta };
  leftY = drawLinesAt(page, wrap(model.number, numberStyle, left.width), numberStyle, left, metaTop, 'center');
  rightY = drawLinesAt(page, wrap(model.placeAndDate, placeStyle, right.width), placeStyle, right, metaTop, 'center');
  flow.y = Math.min(leftY, rightY);
}

function drawTitle(flow: Flow, model: DocumentModel): void {
  const { fonts, geometry } = flow;
  flow.y -= geometry.sizes.body;
  const titleStyle = { font: fonts.bold, size: geometry.sizes.title };
  flowLines(flow, wrap(upper(model.title), titleStyle, flow.text.width), titleStyle, 'center');
  const subtitleStyle = { font: fonts.regular, size: geometry.sizes.body };
  for (const line of model.subtitle ?? []) flowLines(flow, wrap(line, subtitleStyle, flow.text.width), subtitleStyle, 'center');
  flow.y -= geometry.sizes.body * 0.6;
}

// ---------------------------------------------------------------------------------------------
// Blocks

function drawBlock(flow: Flow, block: Block): void {
  switch (block.kind) {
    case 'paragraph':
      drawParagraph(flow, block);
      break;
    case 'fields':
      drawFields(flow, block.rows);
      break;
    case 'list':
      drawList(flow, block.items, block.numbered);
      break;
    case 'table':
      drawTable(flow, block.columns, block.rows);
      break;
    case 'space':
      flow.y -= block.points;
      return;
  }
  flow.y -= flow.geometry.sizes.body * 0.35;
}

function drawParagraph(flow: Flow, block: Extract<Block, { kind: 'paragraph' }>): void {
  const { fonts, geometry } = flow;
  const font = block.bold ? (block.italic ? fonts.boldItalic : fonts.bold) : block.italic ? fonts.italic : fonts.regular;
  const style = { font, size: geometry.sizes.body };
  const indent = block.indent ? geometry.indent : 0;
  const text = flow.text;
  const lines = wrap(block.text, style, text.width - indent, text.width);
  flowLines(flow, lines, style, block.align ?? 'left', (index) => (index === 0 ? { x: text.x + indent, width: text.width - indent } : text));
}

/** "Label: value"; the value's further lines hang under its start, or at mid-width after a long label. */
function drawFields(flow: Flow, rows: readonly { readonly label: string; readonly value: string }[]): void {
  const style = { font: flow.fonts.regular, size: flow.geometry.sizes.body };
  const text = flow.text;
  for (const { label, value } of rows) {
    const hang = Math.min(measure(`${label.normalize('NFC')}: `, style), text.width / 2);
    const lines = wrap(`${label}: ${value}`, style, text.width, text.width - hang);
    flowLines(flow, lines, style, 'left', (index) => (index === 0 ? text : { x: text.x + hang, width: text.width - hang }));
  }
}

function drawList(flow: Flow, items: readonly string[], numbered: boolean): void {
  const style = { font: flow.fonts.regular, size: flow.geometry.sizes.body };
  const text = flow.text;
  const marker = (index: number) => (numbered ? `${index + 1}.` : '-');
  const markerWidth = measure(`${marker(items.length - 1)} `, style);
  const body: Column = { x: text.x + markerWidth, width: text.width - markerWidth };
  items.forEach((item, index) => {
    // The marker's line is the item's first line, so both land on the same page.
    flow.ensure(lineHeight(style));
    drawLine(flow.page, marker(index), style, text, flow.y - style.size, 'left');
    flowLines(flow, wrap(item, style, body.width), style, 'left', () => body);
  });
}

interface TableRow {
  readonly cells: readonly (readonly string[])[];
  readonly style: TextStyle;
  readonly align: Align;
  readonly height: number;
}

/** A ruled grid; rows grow to their tallest cell and never split, and the header row repeats on each page. */
function drawTable(flow: Flow, columns: Extract<Block, { kind: 'table' }>['columns'], rows: readonly (readonly string[])[]): void {
  const { fonts, geometry } = flow;
  const size = geometry.sizes.table;
  const padding = size * 0.3;
  // Widths are meant to add up to 1; dividing by their sum keeps the grid inside the margins anyway.
  const total = columns.reduce((sum, column) => sum + column.width, 0);
  let x = flow.text.x;
  const cells: Column[] = columns.map((column) => {
    const cell = { x, width: (column.width / total) * flow.text.width };
    x += cell.width;
    return cell;
  });
  const layoutRow = (texts: readonly string[], style: TextStyle, align: Align): TableRow => {
    const lines = cells.map((cell, index) => wrap(texts[index] ?? '', style, cell.width - 2 * padding));
    const height = Math.max(...lines.map((cell) => cell.length)) * lineHeight(style) + 2 * padding;
    return { cells: lines, style, align, height };
  };
  const header = layoutRow(
    columns.map((column) => column.header),
    { font: fonts.bold, size },
    'center',
  );
  const body = rows.map((row) => layoutRow(row, { font: fonts.regular, size }, 'left'));

  flow.ensure(header.height + (body[0]?.height ?? 0));
  drawTableRow(flow, cells, header, padding);
  for (const row of body) {
    if (flow.ensure(row.height)) drawTableRow(flow, cells, header, padding);
    drawTableRow(flow, cells, row, padding);
  }
}

function drawTableRow(flow: Flow, cells: readonly Column[], row: TableRow, padding: number): void {
  const bottom = flow.y - row.height;
  cells.forEach((cell, index) => {
    flow.page.drawRectangle({ x: cell.x, y: bottom, width: cell.width, height: row.height, borderWidth: GRID_THICKNESS, borderColor: grayscale(0) });
    const inner = { x: cell.x + padding, width: cell.width - 2 * padding };
    drawLinesAt(flow.page, row.cells[index]!, row.style, inner, flow.y - padding, row.align);
  });
  flow.y = bottom;
}

// ---------------------------------------------------------------------------------------------
// Signatures, recipients and page numbers

/** Lines of one style, one after the other; a number is vertical space. */
type Stack = readonly ({ readonly lines: readonly string[]; readonly style: TextStyle } | number)[];

interface Placed {
  readonly column: Column;
  readonly stack: Stack;
  readonly align: Align;
}

const stackHeight = (stack: Stack): number => stack.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : part.lines.length * lineHeight(part.style)), 0);

function drawStack(page: Canvas, stack: Stack, column: Column, top: number, align: Align): void {
  let y = top;
  for (const part of stack) y = typeof part === 'number' ? y - part : drawLinesAt(page, part.lines, part.style, column, y, align);
}

/**
 * The signature boxes share the width evenly, at least two slots so that a single signer stands on
 * the right as in Vietnamese documents; boxes take the rightmost slots. "Nơi nhận" goes in the
 * first slot when it is free, beside the signatures, else above them.
 */
function drawClosing(flow: Flow, signatures: readonly SignatureBox[], recipients: readonly string[]): void {
  if (signatures.length === 0 && recipients.length === 0) return;
  const slots = Math.max(2, signatures.length);
  const slotWidth = flow.text.width / slots;
  const slot = (index: number): Column => ({ x: flow.text.x + index * slotWidth, width: slotWidth });
  const boxes: Placed[] = signatures.map((signature, index) => ({ column: slot(slots - signatures.length + index), stack: signatureStack(flow, signature, slotWidth), align: 'center' }));
  const beside = signatures.length < slots;

  flow.y -= flow.geometry.sizes.body * 0.6;
  if (recipients.length > 0) {
    const list: Placed = { column: slot(0), stack: recipientsStack(flow, recipients, slotWidth), align: 'left' };
    if (beside) boxes.unshift(list);
    else drawRow(flow, [list]);
  }
  drawRow(flow, boxes);
}

/** Draws stacks side by side from the flow's top, all on one page. */
function drawRow(flow: Flow, items: readonly Placed[]): void {
  const height = Math.max(0, ...items.map((item) => stackHeight(item.stack)));
  flow.ensure(height);
  for (const item of items) drawStack(flow.page, item.stack, item.column, flow.y, item.align);
  flow.y -= height + flow.geometry.sizes.body * 0.6;
}

function signatureStack(flow: Flow, signature: SignatureBox, width: number): Stack {
  const { fonts, geometry } = flow;
  const bold = { font: fonts.bold, size: geometry.sizes.body };
  const italic = { font: fonts.italic, size: geometry.sizes.body };
  return [
    { lines: wrap(upper(signature.title), bold, width), style: bold },
    ...(signature.hint ? [{ lines: wrap(signature.hint, italic, width), style: italic }] : []),
    geometry.signatureGap,
    ...(signature.name ? [{ lines: wrap(signature.name, bold, width), style: bold }] : []),
  ];
}

/** Decree 30: "Nơi nhận:" in bold italics, the recipients one a line after a dash, a size smaller. */
function recipientsStack(flow: Flow, recipients: readonly string[], width: number): Stack {
  const { fonts, geometry } = flow;
  const label = { font: fonts.boldItalic, size: geometry.sizes.header };
  const item = { font: fonts.regular, size: geometry.sizes.small };
  return [
    { lines: ['Nơi nhận:'.normalize('NFC')], style: label },
    { lines: recipients.flatMap((recipient) => wrap(`- ${recipient}`, item, width)), style: item },
  ];
}

function numberPages(flow: Flow): void {
  const { pages } = flow;
  if (pages.length < 2) return;
  const style = { font: flow.fonts.regular, size: flow.geometry.sizes.small };
  const baseline = (flow.geometry.margin.bottom - style.size) / 2;
  pages.forEach((page, index) => drawLine(page, String(index + 1), style, flow.text, baseline, 'center'));
}
