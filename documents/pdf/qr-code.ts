// The QR code of Circular 01/2023, drawn as filled rectangles: sharp at any zoom or print
// resolution, no image codec, and the same operators for the same text.
import QRCode from 'qrcode';
import type { PDFPage } from 'pdf-lib';
import { number } from './text-flow.js';

/** White modules around the symbol that ISO/IEC 18004 requires for scanning; part of the drawn square. */
export const QUIET_ZONE_MODULES = 4;

/** Draws `text` (error correction level M) in the square whose lower-left corner is (x, y), quiet zone included. */
export function drawQrCode(page: PDFPage, text: string, square: { readonly x: number; readonly y: number; readonly size: number }): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const module = square.size / (count + 2 * QUIET_ZONE_MODULES);
  const left = square.x + QUIET_ZONE_MODULES * module;
  const top = square.y + square.size - QUIET_ZONE_MODULES * module;
  const operators = ['q', '0 g'];
  for (let row = 0; row < count; row++) {
    // One rectangle per horizontal run of dark modules: fewer operators, and no hairline seams
    // between neighbouring modules in viewers that anti-alias each rectangle.
    for (let col = 0; col < count; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      operators.push(`${number(left + start * module)} ${number(top - (row + 1) * module)} ${number((col - start) * module)} ${number(module)} re`);
    }
  }
  operators.push('f', 'Q');
  const { context } = page.doc;
  page.node.addContentStream(context.register(context.flateStream(operators.join('\n'))));
}
