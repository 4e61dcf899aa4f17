// pdf-lib's registerFontkit() expects the fontkit 1.x API, where a subset is written through
// `subset.encodeStream()`. The fork that provides it, @pdf-lib/fontkit 1.1.1, corrupts the loca
// table of Noto Serif subsets (glyphs render blank in poppler); fontkit 2.x fixed that but only has
// `subset.encode()`. This adapter gives pdf-lib the 1.x shape on top of fontkit 2.x.
/// <reference path="./fontkit.d.ts" />
import { Readable } from 'node:stream';
import { create } from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];
type PdfLibFont = ReturnType<PdfLibFontkit['create']>;

// Decoding a font's tables (glyf, GSUB, GPOS, ...) is most of a document's rendering time. The
// decoded tables are plain data, so each document's font reuses those of the first font made from
// the same bytes, as fontkit itself does for a font's variations. Glyphs are not shared: fontkit
// caches each glyph with the characters it was first laid out for, which would give another
// document's text the wrong ToUnicode entries.
const decodedTables = new WeakMap<Uint8Array, object>();

export const fontkitAdapter: PdfLibFontkit = {
  create(data: Uint8Array): PdfLibFont {
    const font = create(Buffer.from(data)) as ReturnType<typeof create> & { _tables: object };
    const tables = decodedTables.get(data);
    if (tables) font._tables = tables;
    else decodedTables.set(data, font._tables);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
    };
    // fontkit 2.x's font has every other member pdf-lib uses (layout, glyphs, metrics) unchanged.
    return font as unknown as PdfLibFont;
  },
};
