// The trial's stand-in for a competent body's signing tool, for `npm start` only: a head who has no
// signed decision at hand signs one with the agency's keystore of the data folder's local PKI (the
// one `npm run pki:sign` uses, docs/api.md), so a newcomer can take a dossier to its returned result
// in the console alone (docs/console.md#trial-signing). A real body signs its results with its own
// tools and CA; production never has this.
import { existsSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { embedFonts } from '../documents/pdf/fonts.js';
import { agencyKeystoreFile, loadAgencySigner } from '../documents/signing/keystore.js';
import { ensureLocalPki } from '../documents/signing/local-pki.js';
import { signPdf } from '../documents/signing/pades-signer.js';
import type { TrialSigning } from '../api/routes/trial-signing.js';

/** A one-page sample decision naming the dossier, marked as a trial's. */
export async function sampleDecisionPdf(dossierCode: string, agencyName: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fonts = await embedFonts(pdf);
  const page = pdf.addPage([595.28, 841.89]);
  const lines: [string, number, 'regular' | 'bold' | 'italic'][] = [
    [agencyName.toUpperCase(), 12, 'bold'],
    ['QUYẾT ĐỊNH (MẪU CỦA BẢN CHẠY THỬ)', 16, 'bold'],
    [`Kết quả giải quyết hồ sơ ${dossierCode}`, 12, 'regular'],
    ['Văn bản mẫu do bản chạy thử motcua tạo và ký bằng khóa thử nghiệm; không có giá trị pháp lý.', 10, 'italic'],
  ];
  let y = 780;
  for (const [text, size, style] of lines) {
    page.drawText(text, { x: 56, y, size, font: fonts[style], maxWidth: 480, lineHeight: size * 1.3 });
    y -= size * 3;
  }
  return pdf.save({ useObjectStreams: false });
}

export function trialSigning(db: Kysely<Database>, keystoreDir: string, passphrase: string): TrialSigning {
  return {
    async sign(agencyCode, dossierCode, pdf) {
      const agency = await db.selectFrom('agencies').select(['code', 'name']).where('code', '=', agencyCode).executeTakeFirst();
      const name = agency?.name ?? agencyCode;
      if (!existsSync(agencyKeystoreFile(keystoreDir, agencyCode))) ensureLocalPki({ dir: keystoreDir, agencies: [{ code: agencyCode, name }], passphrase });
      const signer = await loadAgencySigner(keystoreDir, agencyCode, passphrase);
      const document = pdf ?? (await sampleDecisionPdf(dossierCode, name));
      return signPdf(document, signer, { signingTime: new Date(), reason: 'Ket qua giai quyet thu tuc hanh chinh (ban chay thu)', location: 'VN', name: agencyCode });
    },
  };
}
