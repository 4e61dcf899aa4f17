// fontkit 2.x ships no types. Only what ./fontkit-adapter.ts touches is declared.
declare module 'fontkit' {
  export interface Subset {
    /** The subset as a complete TrueType file. */
    encode(): Uint8Array;
  }
  export interface Font {
    createSubset(): Subset;
  }
  /** Parses a font file (a FontCollection for .ttc/.dfont, which motcua never loads). */
  export function create(buffer: Buffer, postscriptName?: string): Font;
}
