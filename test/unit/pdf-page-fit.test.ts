// Circular 01/2018/TT-VPCP's forms are one page each: a typical dossier's forms must not spill onto
// a second page (the receipt once left its signatures alone there).
import { PDFDocument } from 'pdf-lib';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../../domain/documents/document-model.js';
import { renderDocument } from '../../documents/pdf/render-document.js';
import { registerExtract, typicalDocuments } from '../support/typical-documents.js';

const documents = typicalDocuments();
const pagesOf = async (bytes: Uint8Array) => (await PDFDocument.load(bytes)).getPages();

describe('fitting a form on its page', () => {
  it.each(DOCUMENT_KINDS.filter((kind) => kind !== 'form-07'))('prints %s of a typical dossier on one page of its paper', async (kind) => {
    const pages = await pagesOf(await renderDocument(documents[kind]));
    expect(pages).toHaveLength(1);
    const { width, height } = pages[0]!.getSize();
    expect([Math.round(width), Math.round(height)]).toEqual(documents[kind].paper === 'A5' ? [420, 595] : [595, 842]);
  });

  it('prints the register (form 07) landscape, a short extract on one page, its arrows as "->"', async () => {
    const bytes = await renderDocument(registerExtract(3));
    const pages = await pagesOf(bytes);
    expect(pages).toHaveLength(1);
    expect([Math.round(pages[0]!.getWidth()), Math.round(pages[0]!.getHeight())]).toEqual([842, 595]);
    const { text } = await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true });
    expect(text.replace(/\s+/g, ' ')).toContain('09:00 -> 20/03/2026');
  });

  it('breaks a document far longer than a page over several pages, as before', async () => {
    const pages = await pagesOf(await renderDocument(registerExtract(40)));
    expect(pages.length).toBeGreaterThan(3);
  });
});
