// The PDF checker's processes are kept between checks; a kept process must not gather a listener
// per check (MaxListenersExceededWarning after ten, seen in `npm run bench -- upload`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, expect, it } from 'vitest';
import { checkPdf } from '../../documents/files/pdf-check.js';

const work = mkdtempSync(path.join(tmpdir(), 'motcua-pdf-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('checks many PDFs in a row on its kept processes without piling up listeners on them', async () => {
  const doc = await PDFDocument.create();
  doc.addPage();
  const file = path.join(work, 'one-page.pdf');
  writeFileSync(file, await doc.save());
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    for (let check = 0; check < 15; check++) expect(await checkPdf(file)).toEqual({ outcome: 'parsed', pages: 1 });
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'))).toEqual([]);
}, 60_000);
