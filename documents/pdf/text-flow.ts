// Text on the pages: measuring and wrapping it with the embedded fonts, drawing lines of it, and the
// flow that breaks pages when the next line would cross the bottom margin.
import type { PDFFont, PDFPage } from 'pdf-lib';
import { coverageOf, type Fonts } from './fonts.js';
import type { Geometry } from './page-geometry.js';

/** Line pitch as a multiple of the font size; the baseline sits one size below the line's top. */
const LINE_HEIGHT = 1.3;
const RULE_THICKNESS = 0.6;

/** What the layout draws on; everything is black, text filled, lines and borders stroked. */
export interface Canvas {
  drawText(text: string, options: { readonly x: number; readonly y: number; readonly font: PDFFont; readonly size: number }): void;
  drawLine(options: { readonly start: Point; readonly end: Point; readonly thickness: number }): void;
  drawRectangle(options: { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly borderWidth: number }): void;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

type Drawing =
  | { readonly kind: 'text'; readonly text: string; readonly x: number; readonly y: number; readonly font: PDFFont; readonly size: number }
  | { readonly kind: 'line'; readonly start: Point; readonly end: Point; readonly thickness: number }
  | { readonly kind: 'rectangle'; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly borderWidth: number };

/**
 * A page laid out but not yet drawn: it keeps the drawings, and `drawOn` writes them as the PDF
 * page's content. A layout that turns out too long for one page is dropped at the cost of its
 * wrapping only.
 *
 * The content is written as operators directly, the text of a page in as few text objects as the
 * lines and borders between them allow: pdf-lib's drawText wraps every line in its own graphics
 * state and text object (nine operators, each an object), which made the page's content three
 * times longer and cost more to build and to compress than the layout itself.
 */
export class RecordedPage implements Canvas {
  readonly #drawings: Drawing[] = [];

  drawText(text: string, options: { readonly x: number; readonly y: number; readonly font: PDFFont; readonly size: number }): void {
    this.#drawings.push({ kind: 'text', text, ...options });
  }

  drawLine(options: { readonly start: Point; readonly end: Point; readonly thickness: number }): void {
    this.#drawings.push({ kind: 'line', ...options });
  }

  drawRectangle(options: { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly borderWidth: number }): void {
    this.#drawings.push({ kind: 'rectangle', ...options });
  }

  drawOn(page: PDFPage): void {
    const fontNames = new Map<PDFFont, string>();
    const nameOf = (font: PDFFont) => {
      let name = fontNames.get(font);
      if (name === undefined) fontNames.set(font, (name = page.node.newFontDictionary(font.name, font.ref).toString()));
      return name;
    };
    // Black is the initial fill and stroke colour; the state is saved so that later content (the QR code) starts clean.
    const content = ['q'];
    let inText = false;
    let textState = '';
    let lineWidth = NaN;
    for (const drawing of this.#drawings) {
      if (drawing.kind === 'text') {
        if (!inText) content.push('BT');
        inText = true;
        const state = `${nameOf(drawing.font)} ${number(drawing.size)} Tf`;
        if (state !== textState) content.push((textState = state));
        content.push(`1 0 0 1 ${number(drawing.x)} ${number(drawing.y)} Tm`, `${drawing.font.encodeText(drawing.text).toString()} Tj`);
        continue;
      }
      if (inText) content.push('ET');
      inText = false;
      const width = drawing.kind === 'line' ? drawing.thickness : drawing.borderWidth;
      if (width !== lineWidth) content.push(`${number((lineWidth = width))} w`);
      if (drawing.kind === 'line') content.push(`${number(drawing.start.x)} ${number(drawing.start.y)} m ${number(drawing.end.x)} ${number(drawing.end.y)} l S`);
      else content.push(`${number(drawing.x)} ${number(drawing.y)} ${number(drawing.width)} ${number(drawing.height)} re S`);
    }
    if (inText) content.push('ET');
    content.push('Q');
    const { context } = page.doc;
    page.node.addContentStream(context.register(context.flateStream(content.join('\n'))));
  }
}

/** A coordinate or size for the content stream: at most three decimals (a thousandth of a point), never an exponent. */
export function number(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** The pages, and where the next line goes on the current one. */
export class Flow {
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

export interface TextStyle {
  readonly font: PDFFont;
  readonly size: number;
}

export interface Column {
  readonly x: number;
  readonly width: number;
}

export type Align = 'left' | 'center' | 'justify';

/**
 * Advance widths at size 1 per character, per font. pdf-lib draws each glyph at its own advance (no
 * kerning), so a text's width is the sum of its characters'; wrapping measures every candidate
 * line, and asking pdf-lib each time was most of the layout's cost.
 */
const advances = new WeakMap<PDFFont, Map<string, number>>();

export function measure(text: string, style: TextStyle): number {
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
const WHITE_SPACE = /\s/;

/**
 * The text as the font can print it: NFC, whose precomposed letters the font maps, and stand-ins
 * for the few characters it lacks (the register's arrows), rather than the empty box of .notdef.
 */
function printable(text: string, font: PDFFont): string {
  const covered = coverageOf(font);
  let result = '';
  for (const character of text.normalize('NFC')) result += covered.has(character.codePointAt(0)!) || WHITE_SPACE.test(character) ? character : (STAND_INS[character] ?? '?');
  return result;
}

export const lineHeight = (style: TextStyle): number => style.size * LINE_HEIGHT;
export const upper = (text: string): string => text.toUpperCase();

/** White space other than the no-break spaces (U+00A0, U+202F), which keep "Số 01" together. */
const BREAKING_SPACE = /[^\S\u00a0\u202f]+/;
const WORD_BREAK_AFTER = new Set(['-', '/', '.', ',', ';', ':']);

/**
 * Breaks `text` into lines no wider than `firstWidth` (the first line) and `restWidth` (the others),
 * measured with the font itself. Lines break at spaces (runs of white space count as one); a word
 * wider than a line, such as a dossier code, breaks after punctuation (- / . , ; :) where it can,
 * else between characters. Text is made printable first (NFC, stand-ins for missing glyphs).
 */
export function wrap(text: string, style: TextStyle, firstWidth: number, restWidth = firstWidth): string[] {
  const lines: string[] = [];
  const available = () => (lines.length === 0 ? firstWidth : restWidth);
  const fits = (candidate: string) => measure(candidate, style) <= available();
  // The line's width is carried along (a line is as wide as its characters' advances), rather
  // than measuring the whole line again for each word.
  const space = measure(' ', style);
  let line = '';
  let lineWidth = 0;
  for (const word of printable(text, style.font).split(BREAKING_SPACE).filter(Boolean)) {
    const wordWidth = measure(word, style);
    const joinedWidth = line ? lineWidth + space + wordWidth : wordWidth;
    if (joinedWidth <= available()) {
      line = line ? `${line} ${word}` : word;
      lineWidth = joinedWidth;
      continue;
    }
    if (line && wordWidth <= restWidth) {
      lines.push(line);
      line = word;
      lineWidth = wordWidth;
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
    lineWidth = measure(line, style);
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
export function drawLine(page: Canvas, text: string, style: TextStyle, column: Column, baseline: number, align: Align): void {
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
export function drawLinesAt(page: Canvas, lines: readonly string[], style: TextStyle, column: Column, top: number, align: Align): number {
  lines.forEach((line, index) => drawLine(page, line, style, column, top - style.size - index * lineHeight(style), align));
  return top - lines.length * lineHeight(style);
}

/**
 * Draws lines into the flow, breaking pages between lines. `columnOf` places each line (first-line
 * and hanging indents); the last line of a justified paragraph stays flush left.
 */
export function flowLines(flow: Flow, lines: readonly string[], style: TextStyle, align: Align, columnOf: (index: number) => Column = () => flow.text): void {
  lines.forEach((line, index) => {
    flow.ensure(lineHeight(style));
    const lineAlign = align === 'justify' && index === lines.length - 1 ? 'left' : align;
    drawLine(flow.page, line, style, columnOf(index), flow.y - style.size, lineAlign);
    flow.y -= lineHeight(style);
  });
}

export function drawRule(page: Canvas, centre: number, y: number, length: number): void {
  page.drawLine({ start: { x: centre - length / 2, y }, end: { x: centre + length / 2, y }, thickness: RULE_THICKNESS });
}

export const widest = (lines: readonly string[], style: TextStyle): number => Math.max(0, ...lines.map((line) => measure(line, style)));
export const centreOf = (column: Column): number => column.x + column.width / 2;

/** The largest size up to `preferred` at which `text` fits on one line of `width`. */
export function fittedSize(text: string, font: PDFFont, preferred: number, width: number): number {
  return Math.min(preferred, (preferred * width) / font.widthOfTextAtSize(text, preferred));
}
