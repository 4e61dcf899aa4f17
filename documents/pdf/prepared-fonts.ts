// Fonts prepared once per process: for each style, the glyphs of a fixed repertoire (the Vietnamese
// alphabet, ASCII, Latin-1 and the usual punctuation) as one TrueType subset, encoded, deflated and
// mapped to Unicode once, then written into every document as ready bytes. Building and deflating a
// subset of the glyphs a document drew cost more CPU than laying the whole document out; a prepared
// subset costs a copy. The price is size: a style embeds its whole repertoire (about 300 glyphs,
// some 15 KB deflated) rather than the glyphs drawn. A document whose text needs a character the
// font has outside the repertoire keeps the per-document subsets (./fonts.ts's `embedFonts`).
import { CustomFontEmbedder, PDFContext, PDFFont, PDFHexString, PDFString, type PDFDocument, type PDFRef } from 'pdf-lib';
import { fontkitAdapter } from './fontkit-adapter.js';
import { FONT_NAMES, type Fonts, type FontStyle, loadFontFiles, registerCoverage } from './fonts.js';

/** The code points every prepared style holds, as inclusive ranges; the font's own gaps are skipped. */
const REPERTOIRE: readonly (readonly [number, number])[] = [
  [0x20, 0x7e], // ASCII
  [0xa0, 0xff], // Latin-1: no-break space, «», °, and the vowels Vietnamese shares with it (à á â ã è é ê ì í ò ó ô õ ù ú ý)
  [0x102, 0x103], // Ă ă
  [0x110, 0x111], // Đ đ
  [0x128, 0x129], // Ĩ ĩ
  [0x168, 0x169], // Ũ ũ
  [0x1a0, 0x1a1], // Ơ ơ
  [0x1af, 0x1b0], // Ư ư
  [0x1ea0, 0x1ef9], // the other Vietnamese letters with tone marks
  [0x2010, 0x2027], // dashes, quotation marks, bullet, ellipsis
  [0x202f, 0x202f], // narrow no-break space
  [0x2030, 0x203a], // per mille, primes, single guillemets
  [0x20ab, 0x20ac], // ₫ €
  [0x2116, 0x2116], // №
];

const inRepertoire = (codePoint: number): boolean => REPERTOIRE.some(([first, last]) => codePoint >= first && codePoint <= last);

type PdfLibFont = ReturnType<typeof fontkitAdapter.create>;

/** One style, ready to be written into any document. */
interface PreparedStyle {
  readonly font: PdfLibFont;
  /** Code point → CID (the glyph's index in the subset; CIDToGIDMap is Identity). */
  readonly cids: ReadonlyMap<number, number>;
  /** Code point → advance width in thousandths of the font size. */
  readonly advances: ReadonlyMap<number, number>;
  readonly covered: ReadonlySet<number>;
  readonly fontFile: Uint8Array;
  readonly fontFileLength: number;
  readonly toUnicode: Uint8Array;
  /** The CIDFont's /W array: the first CID, then the widths of every CID from it on. */
  readonly widths: readonly [number, readonly number[]];
}

let prepared: Promise<Readonly<Record<FontStyle, PreparedStyle>>> | undefined;

function preparedStyles(): Promise<Readonly<Record<FontStyle, PreparedStyle>>> {
  prepared ??= loadFontFiles()
    .then((files) => ({ regular: prepare(files.regular), bold: prepare(files.bold), italic: prepare(files.italic), boldItalic: prepare(files.boldItalic) }))
    .catch((error: unknown) => {
      prepared = undefined; // a later document retries rather than inherit the failure
      throw error;
    });
  return prepared;
}

function prepare(file: Uint8Array): PreparedStyle {
  const font = fontkitAdapter.create(file);
  const unitsToThousandths = 1000 / font.unitsPerEm;
  const subset = font.createSubset();
  const cids = new Map<number, number>();
  const advances = new Map<number, number>();
  // One code point per CID for ToUnicode: the first that maps to the glyph (U+0020 for a space shared with U+00A0).
  const unicodeOf = new Map<number, number>();
  const widthOf = new Map<number, number>();
  for (const codePoint of new Set(font.characterSet)) {
    if (!inRepertoire(codePoint)) continue;
    const glyph = font.glyphForCodePoint(codePoint);
    if (glyph.id === 0) continue;
    const cid = subset.includeGlyph(glyph);
    cids.set(codePoint, cid);
    advances.set(codePoint, glyph.advanceWidth * unitsToThousandths);
    if (!unicodeOf.has(cid) || codePoint < unicodeOf.get(cid)!) unicodeOf.set(cid, codePoint);
    widthOf.set(cid, glyph.advanceWidth * unitsToThousandths);
  }
  // CIDs are given in order from 1 (0 is .notdef), so the widths run without a gap.
  const lastCid = Math.max(...widthOf.keys());
  const widths = Array.from({ length: lastCid }, (_, index) => widthOf.get(index + 1) ?? 0);
  const program = (subset as unknown as { encode(): Uint8Array }).encode();
  // pdf-lib's own deflate (pako, pinned by the lockfile), so the bytes do not change with Node's zlib.
  const scratch = PDFContext.create();
  const deflate = (bytes: Uint8Array | string) => scratch.flateStream(bytes).getContents();
  return {
    font,
    cids,
    advances,
    covered: new Set(cids.keys()),
    fontFile: deflate(program),
    fontFileLength: program.length,
    toUnicode: deflate(toUnicodeCMap(unicodeOf)),
    widths: [1, widths],
  };
}

const hex4 = (value: number) => value.toString(16).padStart(4, '0');
const utf16Hex = (codePoint: number) =>
  codePoint > 0xffff ? hex4(0xd800 + ((codePoint - 0x10000) >> 10)) + hex4(0xdc00 + ((codePoint - 0x10000) & 0x3ff)) : hex4(codePoint);

/** A ToUnicode CMap (Adobe Technical Note 5411) mapping each CID to its character, for copying and search. */
function toUnicodeCMap(unicodeOf: ReadonlyMap<number, number>): string {
  const entries = [...unicodeOf].sort(([a], [b]) => a - b);
  const blocks: string[] = [];
  // At most 100 entries per bfchar block.
  for (let start = 0; start < entries.length; start += 100) {
    const block = entries.slice(start, start + 100);
    blocks.push(`${block.length} beginbfchar\n${block.map(([cid, codePoint]) => `<${hex4(cid)}> <${utf16Hex(codePoint)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000><ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/**
 * Whether every character of `texts` the fonts can print is in every style's repertoire, so the
 * prepared styles print the document exactly as per-document subsets would.
 */
export async function preparedFontsCover(texts: Iterable<string>): Promise<boolean> {
  beyondRepertoire ??= preparedStyles().then((styles) => {
    const all = Object.values(styles);
    return new Set(all.flatMap((style) => style.font.characterSet).filter((codePoint) => !all.every((style) => style.covered.has(codePoint))));
  }).catch((error: unknown) => {
    beyondRepertoire = undefined;
    throw error;
  });
  const beyond = await beyondRepertoire;
  for (const text of texts) {
    // ASCII is always covered; most strings are skipped without normalising them.
    if (/^[\x20-\x7e]*$/.test(text)) continue;
    for (const character of text.normalize('NFC')) if (beyond.has(character.codePointAt(0)!)) return false;
  }
  return true;
}

/** Code points a font prints that a prepared style lacks: text with one needs per-document subsets. */
let beyondRepertoire: Promise<ReadonlySet<number>> | undefined;

/**
 * The four styles for a document. pdf-lib draws text with them like any font; they are written into
 * the document by `embedPreparedFonts` once the drawing is done, each only if it was used.
 */
export async function preparedFonts(doc: PDFDocument): Promise<Fonts> {
  const styles = await preparedStyles();
  const fontFor = (style: FontStyle) => {
    const embedder = new PreparedFontEmbedder(styles[style], FONT_NAMES[style]);
    const font = PDFFont.of(doc.context.nextRef(), doc, embedder);
    embedders.set(font, embedder);
    registerCoverage(font, styles[style].covered);
    return font;
  };
  // One after the other, so the fonts' objects are numbered in the same order every time.
  return { regular: fontFor('regular'), bold: fontFor('bold'), italic: fontFor('italic'), boldItalic: fontFor('boldItalic') };
}

/** Writes the prepared styles the pages use (pdf-lib only writes the fonts it embedded itself). */
export async function embedPreparedFonts(fonts: Fonts): Promise<void> {
  for (const font of [fonts.regular, fonts.bold, fonts.italic, fonts.boldItalic]) {
    if (embedders.get(font)?.used) await font.embed();
  }
}

const embedders = new WeakMap<PDFFont, PreparedFontEmbedder>();

/**
 * pdf-lib's embedder for a font file, given a prepared style instead: text is encoded from the
 * code point → CID map, and embedding writes the prepared streams. PDFFont only accepts a subclass.
 */
class PreparedFontEmbedder extends CustomFontEmbedder {
  used = false;

  constructor(
    private readonly style: PreparedStyle,
    customName: string,
  ) {
    super(style.font as unknown as CustomFontEmbedder['font'], new Uint8Array(0), customName);
  }

  override encodeText(text: string): PDFHexString {
    this.used = true;
    let hex = '';
    for (const character of text) hex += hex4(this.style.cids.get(character.codePointAt(0)!) ?? 0);
    return PDFHexString.of(hex);
  }

  override widthOfTextAtSize(text: string, size: number): number {
    let width = 0;
    for (const character of text) width += this.style.advances.get(character.codePointAt(0)!) ?? 0;
    return (width * size) / 1000;
  }

  override async embedIntoContext(context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
    const { style } = this;
    const { font } = style;
    const name = this.customName!;
    const scale = 1000 / font.unitsPerEm;
    const fontFile = context.register(context.stream(style.fontFile, { Filter: 'FlateDecode', Length1: style.fontFileLength }));
    const { minX, minY, maxX, maxY } = font.bbox;
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: name,
        Flags: fontFlags(font),
        FontBBox: [minX * scale, minY * scale, maxX * scale, maxY * scale],
        ItalicAngle: font.italicAngle,
        Ascent: font.ascent * scale,
        Descent: font.descent * scale,
        CapHeight: (font.capHeight || font.ascent) * scale,
        XHeight: (font.xHeight || 0) * scale,
        StemV: 0,
        FontFile2: fontFile,
      }),
    );
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        CIDToGIDMap: 'Identity',
        BaseFont: name,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        W: [style.widths[0], [...style.widths[1]]],
      }),
    );
    const toUnicode = context.register(context.stream(style.toUnicode, { Filter: 'FlateDecode' }));
    const fontDict = context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: name, Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: toUnicode });
    if (!ref) return context.register(fontDict);
    context.assign(ref, fontDict);
    return ref;
  }
}

/** The font descriptor's /Flags (PDF 32000-1, 9.8.2) as pdf-lib derives them for an embedded font. */
function fontFlags(font: PdfLibFont): number {
  const tables = font as unknown as { 'OS/2'?: { sFamilyClass: number }; post: { isFixedPitch: boolean }; head: { macStyle: { italic: boolean } } };
  const familyClass = tables['OS/2']?.sFamilyClass ?? 0;
  let flags = 1 << 2; // symbolic: the glyphs are addressed by CID, not a standard encoding
  if (tables.post.isFixedPitch) flags |= 1 << 0;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (tables.head.macStyle.italic) flags |= 1 << 6;
  return flags;
}
