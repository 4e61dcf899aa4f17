// A dossier's events as a notice reads them, one history per trigger: the reception, then what
// leads to the triggering event (last). Only the fields the notices read are real; the pinned
// procedure is the least the type needs.
import type { Applicant } from '../../domain/dossier/commands.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import type { NoticeTrigger } from '../../domain/outbox/deliveries.js';

export const NOTICE_CENTRE = '000.01.01.H99';
export const NOTICE_DOSSIER = '000.01.01.H99-261202-0001';

const signature = { valid: true } as never;

export function received(applicant: Partial<Applicant> = {}, centreName = 'Bộ phận Một cửa UBND xã Hòa Bình'): DossierEvent {
  return {
    type: 'DossierReceived',
    schemaVersion: 1,
    data: {
      dossierCode: NOTICE_DOSSIER,
      agencyCode: NOTICE_CENTRE,
      procedureCode: '2.000720',
      channel: 'counter',
      applicant: { kind: 'citizen', fullName: 'Trần Thị Bình', identityNumber: '038190001234', email: 'binh@example.vn', phone: '0912 345 678', ...applicant },
      receivedAt: '2026-12-02T01:30:00Z',
      centre: { name: centreName, place: 'Hòa Bình' },
      procedureName: 'Đăng ký khai sinh',
    },
  };
}

export function accepted(appointment = '2026-12-09T10:00:00Z'): DossierEvent {
  return {
    type: 'DossierAccepted',
    schemaVersion: 1,
    data: {
      at: '2026-12-02T01:45:00Z',
      procedure: { name: 'Đăng ký khai sinh' },
      agencies: [{ code: NOTICE_CENTRE, name: 'Bộ phận Một cửa UBND xã Hòa Bình' }, { code: '000.02.01.H99', name: 'Phòng Tư pháp huyện Hòa Bình' }],
      calendarVersion: '2025.1',
      components: [],
      appointment,
    } as never,
  };
}

const documentIssued = (kind: 'form-04' | 'lateness-apology', sha256: string): DossierEvent => ({
  type: 'DocumentIssued',
  schemaVersion: 1,
  data: {
    at: '2026-12-08T03:00:00Z',
    kind,
    documentId: `doc-${kind}`,
    number: `Số: 07/${kind === 'form-04' ? 'PXL' : 'XLQH'}`,
    forVersion: 3,
    issuerAgencyCode: '000.02.01.H99',
    issuedAt: '2026-12-08T03:00:00Z',
    file: { sha256, size: 1000, mediaType: 'application/pdf' },
    signature,
  },
});

/** The events of a dossier up to an event that triggers `trigger`. */
export function historyFor(trigger: NoticeTrigger, applicant: Partial<Applicant> = {}): DossierEvent[] {
  const start = [received(applicant)];
  const processing = [...start, accepted()];
  switch (trigger) {
    case 'received':
      return start;
    case 'accepted':
      return processing;
    case 'supplement-requested':
      return [
        ...start,
        {
          type: 'SupplementRequestedAtReception',
          schemaVersion: 1,
          data: {
            at: '2026-12-02T01:40:00Z',
            missing: [
              { description: 'Giấy chứng sinh', reason: 'Bản chụp không rõ' },
              { description: 'Tờ khai đăng ký khai sinh', reason: 'Thiếu chữ ký của người đi khai' },
            ],
          },
        },
      ];
    case 'refused':
      return [...start, { type: 'DossierRefusedAtReception', schemaVersion: 1, data: { at: '2026-12-02T01:40:00Z', reasons: ['Không thuộc thẩm quyền giải quyết của xã'], legalBasis: 'Luật Hộ tịch 2014, Điều 13' } }];
    case 'financial-obligation':
      return [...processing, { type: 'FinancialObligationRequested', schemaVersion: 1, data: { at: '2026-12-03T02:00:00Z', stepId: 'tax', noticeNumber: 'TB-2026-001', amountVnd: 1_250_000 } }];
    case 'payment-requested':
      return [
        ...processing,
        {
          type: 'PaymentRequested',
          schemaVersion: 1,
          data: { at: '2026-12-02T02:00:00Z', reference: 'dvc0000101H992612020001v3', purpose: 'fees', amountVnd: 100_000, items: [{ name: 'Lệ phí đăng ký hộ kinh doanh', amountVnd: 100_000, kind: 'charge' }] },
        },
      ];
    case 'apology':
      return [
        ...processing,
        { type: 'ApologyIssued', schemaVersion: 1, data: { at: '2026-12-08T03:00:00Z', agencyCode: '000.02.01.H99', reason: 'Cần xác minh thêm thông tin', originalDue: '2026-12-09T10:00:00Z', newAppointment: '2026-12-16T10:00:00Z' } },
        documentIssued('form-04', 'a'.repeat(64)),
      ];
    case 'result-ready':
      return [...processing, resultIssued('2026-12-09T03:00:00Z')];
    case 'result-ready-early':
      return [...processing, resultIssued('2026-12-05T03:00:00Z')];
    case 'result-returned':
      return [...processing, resultIssued('2026-12-09T03:00:00Z'), { type: 'ResultReturned', schemaVersion: 1, data: { at: '2026-12-09T04:00:00Z', method: 'post', early: false, applicantNotifiedInAdvance: true } }];
  }
}

function resultIssued(at: string): DossierEvent {
  return {
    type: 'ResultIssued',
    schemaVersion: 1,
    data: { at, resultCode: `${NOTICE_DOSSIER}-KQ1`, document: { reference: 'r', sha256: 'b'.repeat(64) }, dossierRule: 'on-time', decision766: 'on-time' } as never,
  };
}

export const documentLink = (dossierCode: string, sha256: string) => `https://motcua.example.vn/tai-lieu/${encodeURIComponent(dossierCode)}/${sha256}`;
