// Form 07, the dossier register (sổ theo dõi hồ sơ), as a document: the entries of a receiving unit
// for a period, one table row each, on A4. Built from the register's rows (db/reports/), which come
// from the events and the inline read models.
import type { Agency } from '../catalogue/agency.js';
import { formatVietnameseDateTime, formatVietnameseLongDate, formatVietnameseShortDate } from '../calendar/vietnam-time.js';
import { statusLabel, type DossierStatus } from '../dossier/state.js';
import type { DocumentModel } from './document-model.js';

export interface RegisterRow {
  readonly number: number;
  readonly dossierCode: string;
  readonly procedureName: string | null;
  readonly procedureCode: string;
  readonly applicant: { readonly fullName: string; readonly address: string | null; readonly phone: string | null };
  readonly leadAgencyCode: string | null;
  readonly receivedAt: string;
  readonly appointmentAt: string | null;
  readonly transfers: readonly { readonly agencyCode: string; readonly sentAt: string; readonly returnedAt: string | null }[];
  readonly resultReturnedAt: string | null;
  readonly status: DossierStatus;
}

export function registerDocument(
  unit: Pick<Agency, 'code' | 'name' | 'superior' | 'place'>,
  period: { readonly from: string; readonly to: string },
  rows: readonly RegisterRow[],
  issuedAt: string,
): DocumentModel {
  const when = (iso: string | null) => (iso === null ? '' : formatVietnameseDateTime(new Date(iso)));
  return {
    kind: 'form-07',
    paper: 'A4',
    issuer: { ...(unit.superior ? { superior: unit.superior } : {}), name: unit.name },
    number: `Từ ${formatVietnameseShortDate(new Date(`${period.from}T00:00:00+07:00`))} đến ${formatVietnameseShortDate(new Date(`${period.to}T00:00:00+07:00`))}`,
    placeAndDate: `${unit.place ? `${unit.place}, ` : ''}${formatVietnameseLongDate(new Date(issuedAt))}`,
    qr: `${unit.code}|${period.from}|${period.to}`,
    title: 'SỔ THEO DÕI HỒ SƠ',
    subtitle: [`(Trích sổ: ${rows.length} hồ sơ)`],
    blocks: [
      {
        kind: 'table',
        columns: [
          { header: 'STT', width: 0.05 },
          { header: 'Mã hồ sơ', width: 0.13 },
          { header: 'Tên TTHC', width: 0.13 },
          { header: 'Tổ chức, cá nhân; địa chỉ, số điện thoại', width: 0.17 },
          { header: 'Cơ quan chủ trì giải quyết', width: 0.09 },
          { header: 'Nhận hồ sơ; hẹn trả kết quả', width: 0.12 },
          { header: 'Chuyển cơ quan giải quyết; nhận kết quả', width: 0.13 },
          { header: 'Trả kết quả', width: 0.08 },
          { header: 'Ghi chú', width: 0.1 },
        ],
        rows: rows.map((row) => [
          String(row.number),
          row.dossierCode,
          row.procedureName ?? row.procedureCode,
          [row.applicant.fullName, row.applicant.address, row.applicant.phone].filter(Boolean).join('; '),
          row.leadAgencyCode ?? '',
          `${when(row.receivedAt)}; hẹn ${when(row.appointmentAt) || '—'}`,
          row.transfers.map((transfer) => `${transfer.agencyCode}: ${when(transfer.sentAt)}${transfer.returnedAt ? ` → ${when(transfer.returnedAt)}` : ''}`).join('; '),
          when(row.resultReturnedAt),
          statusLabel(row.status),
        ]),
      },
    ],
    signatures: [{ title: 'NGƯỜI LẬP SỔ', hint: '(Ký và ghi rõ họ tên)' }],
    metadata: { issuedAt, documentId: `${unit.code}/form-07/${period.from}/${period.to}`, subject: `Sổ theo dõi hồ sơ ${unit.code}` },
  };
}
