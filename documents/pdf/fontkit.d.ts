// fontkit 2.x ships no types. Only what ./fontkit-adapter.ts touches is declared.
declare module 'fontkit' {
  export interface Subset {
    /** The subset as a complete TrueType file. */
    encode(): Uint8Array;
  }
  export interface Glyph {
    readonly id: number;
    /** In font units. */
    readonly advanceWidth: number;
  }
  export interface Font {
    createSubset(): Subset;
    /** The glyph the font's cmap maps a code point to (.notdef when none). */
    glyphForCodePoint(codePoint: number): Glyph;
    layout(text: string): { glyphs: readonly object[] };
  }
  /** Parses a font file (a FontCollection for .ttc/.dfont, which motcua never loads). */
  export function create(buffer: Buffer, postscriptName?: string): Font;
}
