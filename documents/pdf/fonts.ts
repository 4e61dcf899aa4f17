// Noto Serif (OFL-1.1, from @expo-google-fonts/noto-serif): a serif face close to the Times New
// Roman that Decree 30/2020 asks for, with every precomposed Vietnamese letter. The files are read
// once per process; each document embeds subsets of them.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { fontkitAdapter } from './fontkit-adapter.js';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
export type Fonts = Readonly<Record<FontStyle, PDFFont>>;

const FILES: Readonly<Record<FontStyle, string>> = {
  regular: '400Regular/NotoSerif_400Regular.ttf',
  bold: '700Bold/NotoSerif_700Bold.ttf',
  italic: '400Regular_Italic/NotoSerif_400Regular_Italic.ttf',
  boldItalic: '700Bold_Italic/NotoSerif_700Bold_Italic.ttf',
};

// Fixed names with a subset tag (six capitals and "+"), instead of pdf-lib's generated suffix, so
// the names do not depend on how many fonts were embedded before.
export const FONT_NAMES: Readonly<Record<FontStyle, string>> = {
  regular: 'MCNSRG+NotoSerif-Regular',
  bold: 'MCNSBD+NotoSerif-Bold',
  italic: 'MCNSIT+NotoSerif-Italic',
  boldItalic: 'MCNSBI+NotoSerif-BoldItalic',
};

let files: Promise<Readonly<Record<FontStyle, Uint8Array>>> | undefined;

/** The font files' bytes, read on first use. Resolved through the package, so it works from dist/ and any cwd. */
export function loadFontFiles(): Promise<Readonly<Record<FontStyle, Uint8Array>>> {
  files ??= readFontFiles().catch((error: unknown) => {
    files = undefined; // let a later call retry rather than cache the failure
    throw error;
  });
  return files;
}

async function readFontFiles(): Promise<Readonly<Record<FontStyle, Uint8Array>>> {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif/package.json'));
  const read = (style: FontStyle) => readFile(path.join(packageDir, FILES[style]));
  const [regular, bold, italic, boldItalic] = await Promise.all([read('regular'), read('bold'), read('italic'), read('boldItalic')]);
  return { regular, bold, italic, boldItalic };
}

/** Embeds the four styles as subsets: only the glyphs drawn end up in the file. */
export async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  const bytes = await loadFontFiles();
  doc.registerFontkit(fontkitAdapter);
  const embed = (style: FontStyle) => doc.embedFont(bytes[style], { subset: true, customName: FONT_NAMES[style] });
  // One after the other, so the fonts' objects are numbered in the same order every time.
  return { regular: await embed('regular'), bold: await embed('bold'), italic: await embed('italic'), boldItalic: await embed('boldItalic') };
}

const coverage = new WeakMap<PDFFont, ReadonlySet<number>>();
// fontkit computes a font's character set once, and the parsed fonts are shared by every document.
const characterSets = new WeakMap<readonly number[], ReadonlySet<number>>();

/** Records the code points a font can print, for fonts whose pdf-lib character set says otherwise (./prepared-fonts.ts). */
export function registerCoverage(font: PDFFont, codePoints: ReadonlySet<number>): void {
  coverage.set(font, codePoints);
}

/** The code points `font` prints with a glyph of its own. */
export function coverageOf(font: PDFFont): ReadonlySet<number> {
  const registered = coverage.get(font);
  if (registered) return registered;
  const characters = font.getCharacterSet();
  let covered = characterSets.get(characters);
  if (!covered) characterSets.set(characters, (covered = new Set(characters)));
  return covered;
}
