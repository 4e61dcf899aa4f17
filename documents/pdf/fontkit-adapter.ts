// pdf-lib's registerFontkit() expects the fontkit 1.x API, where a subset is written through
// `subset.encodeStream()`. The fork that provides it, @pdf-lib/fontkit 1.1.1, corrupts the loca
// table of Noto Serif subsets (glyphs render blank in poppler); fontkit 2.x fixed that but only has
// `subset.encode()`. This adapter gives pdf-lib the 1.x shape on top of fontkit 2.x, through
// fontkit's public API only.
/// <reference path="./fontkit.d.ts" />
import { Readable } from 'node:stream';
import { create, type Font } from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];
type PdfLibFont = ReturnType<PdfLibFontkit['create']>;

/** What pdf-lib reads of a glyph: its id for the subset, its advance to measure, its text for ToUnicode. */
interface GlyphRecord {
  readonly id: number;
  readonly advanceWidth: number;
  readonly codePoints: readonly number[];
}

// Decoding a font's tables (cmap, hmtx, post, glyf, ...) cost more than laying out a document, so
// each font file is parsed once per process and every document's embedding uses that one font. The
// font holds no state of a document: pdf-lib keeps the subset and the glyphs it drew in its own
// embedder, and the glyphs it gets are records made for the text at hand (below), never the glyph
// objects fontkit caches with the characters they were first looked up for.
const parsed = new WeakMap<Uint8Array, Font>();

export const fontkitAdapter: PdfLibFontkit = {
  create(data: Uint8Array): PdfLibFont {
    let font = parsed.get(data);
    if (!font) {
      font = adapt(create(Buffer.from(data)));
      parsed.set(data, font);
    }
    // fontkit 2.x's font has every other member pdf-lib uses (metrics, bbox, flags) unchanged.
    return font as unknown as PdfLibFont;
  },
};

function adapt(font: Font): Font {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
  };
  // pdf-lib lays text out only for its glyphs (to measure and to encode them) and draws each glyph
  // at its own advance: kerning and ligatures from OpenType shaping never reached the page. The
  // renderer passes NFC text, whose precomposed Vietnamese letters each have a glyph in the cmap,
  // so a cmap lookup gives pdf-lib the glyphs it drew before at a fraction of shaping's cost.
  font.layout = (text: string) => ({
    glyphs: Array.from(text, (character): GlyphRecord => {
      const codePoint = character.codePointAt(0)!;
      const { id, advanceWidth } = font.glyphForCodePoint(codePoint);
      return { id, advanceWidth, codePoints: [codePoint] };
    }),
  });
  return font;
}
