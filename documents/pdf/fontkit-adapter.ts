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

export const fontkitAdapter: PdfLibFontkit = {
  create(data: Uint8Array): PdfLibFont {
    const font = create(Buffer.from(data));
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
    };
    // fontkit 2.x's font has every other member pdf-lib uses (layout, glyphs, metrics) unchanged.
    return font as unknown as PdfLibFont;
  },
};
