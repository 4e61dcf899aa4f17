// Lays a DocumentModel out as PDF in the style of Vietnamese administrative documents (Decree
// 30/2020/ND-CP, Appendix I as a guide): the QR code in the top left corner, the two-column header
// (issuer | national motto), the title, the blocks with automatic page breaks, then the signature
// boxes and the "Nơi nhận" list. The same model always gives the same bytes: nothing here reads
// the clock, the environment or a random source, and the file's dates and /ID come from the model.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import type { DocumentModel } from '../../domain/documents/document-model.js';
import { drawBlock } from './document-blocks.js';
import { drawClosing, numberPages } from './document-closing.js';
import { drawHeader, drawTitle } from './document-head.js';
import { embedFonts, type Fonts } from './fonts.js';
import { embedPreparedFonts, preparedFonts, preparedFontsCover } from './prepared-fonts.js';
import { geometryFor, type Geometry, qrSquare } from './page-geometry.js';
import { drawQrCode } from './qr-code.js';
import { Flow, RecordedPage } from './text-flow.js';

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
  const prepared = await preparedFontsCover(textsOf(model));
  const fonts = prepared ? await preparedFonts(doc) : await embedFonts(doc);
  const { pages, geometry } = fittedLayout(model, fonts);
  for (const page of pages) page.drawOn(doc.addPage([...geometry.size]));
  drawQrCode(doc.getPage(0), model.qr, qrSquare(geometry));
  if (prepared) await embedPreparedFonts(fonts);
  return doc;
}

/** Every string of the model (some are never printed, such as the identifiers: a superset is enough). */
function* textsOf(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* textsOf(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* textsOf(item);
}

interface Layout {
  readonly pages: readonly RecordedPage[];
  readonly geometry: Geometry;
}

/**
 * The layout at the largest of ONE_PAGE_SCALES at which the document fits on one page, else at
 * full size. More than two pages at full size would not fit on one at any of the scales, so such a
 * document is not tried smaller.
 */
function fittedLayout(model: DocumentModel, fonts: Fonts): Layout {
  const full = layOut(model, fonts, geometryFor(model, 1));
  if (full.pages.length === 1 || full.pages.length > 2) return full;
  for (const scale of ONE_PAGE_SCALES.slice(1)) {
    const smaller = layOut(model, fonts, geometryFor(model, scale));
    if (smaller.pages.length === 1) return smaller;
  }
  return full;
}

function layOut(model: DocumentModel, fonts: Fonts, geometry: Geometry): Layout {
  const pages: RecordedPage[] = [];
  const flow = new Flow(() => pages[pages.push(new RecordedPage()) - 1]!, fonts, geometry);
  drawHeader(flow, model);
  drawTitle(flow, model);
  for (const block of model.blocks) drawBlock(flow, block);
  drawClosing(flow, model.signatures, model.recipients ?? []);
  numberPages(flow);
  return { pages, geometry };
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
