// What `npm start` puts in the loopback e-data store for a trial (docs/local-stack.md): a paper for
// the sample applicant of the API's examples (Nguyễn Văn An, 001090012345), under the kind of paper
// (MaKetQua) a procedure names in its components' dataStoreCodes to have the store asked.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { SeededPaper } from './data-store-double.js';

/** The kind of paper the trial's seed holds; a procedure's component lists it in dataStoreCodes. */
export const TRIAL_DOCUMENT_CODE = 'KQ.CCCD';

export async function trialPdf(title: string): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText(title, { x: 72, y: 760, size: 14, font: await document.embedFont(StandardFonts.Helvetica) });
  // Fixed dates: the same seed gives the same bytes, hence the same digest, on every start.
  document.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  document.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  return document.save();
}

export async function trialSeed(): Promise<SeededPaper[]> {
  return [
    {
      owner: '001090012345',
      documentCode: TRIAL_DOCUMENT_CODE,
      documentName: 'Căn cước công dân',
      documentNumber: '001090012345',
      keeper: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội (thử nghiệm)',
      files: [{ name: 'can-cuoc-cong-dan.pdf', path: 'kho/001090012345/cccd.pdf', bytes: await trialPdf('Can cuoc cong dan - ban thu nghiem (motcua npm start)'), contentType: 'application/pdf' }],
    },
  ];
}
