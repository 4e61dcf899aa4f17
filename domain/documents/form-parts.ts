// The parts every dossier document shares: the context it is built in (the request, the state and
// events up to it), the issuing agency's header with the number, place and date and QR code, the
// applicant's fields, and the Vietnamese dates the forms print.
import type { Agency } from '../catalogue/agency.js';
import { formatVietnameseLongDate, formatVietnameseMoment, formatVietnameseShortDate } from '../calendar/vietnam-time.js';
import type { Applicant } from '../dossier/commands.js';
import type { DossierEvent } from '../dossier/events.js';
import type { ReceivedDossier } from '../dossier/state.js';
import type { DocumentRequest } from './documents-called-for.js';
import type { DocumentModel } from './document-model.js';

export interface DossierDocument {
  readonly model: DocumentModel;
  /** The agency that issues and signs it. */
  readonly issuerAgencyCode: string;
  /** The instant it is issued (the event's): its date and its signing time. */
  readonly issuedAt: string;
}

/** What a form is built from: the request, the dossier as it stood at the event, and the events up to it. */
export interface FormContext {
  readonly request: DocumentRequest;
  readonly state: ReceivedDossier;
  readonly events: readonly DossierEvent[];
  readonly applicant: Applicant;
  readonly sequence: number;
}

/** A form: the document an event calls for, built from its context and that event. */
export type FormBuilder = (context: FormContext, trigger: DossierEvent) => DossierDocument;

export const at = (event: DossierEvent): string => (event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at);
export const moment = (iso: string) => formatVietnameseMoment(new Date(iso));
export const day = (iso: string) => formatVietnameseShortDate(new Date(iso));

export function agencyOf(context: FormContext, code: string): Agency {
  const pinned = context.state.accepted?.agencies.find((agency) => agency.code === code);
  if (pinned) return pinned;
  // Before acceptance only the receiving centre is known, as reception pinned it (older events lack
  // that, and the centre is then named by its code).
  const centre = code === context.state.agencyCode ? context.state.centre : undefined;
  return { code, name: centre?.name ?? code, ...(centre?.superior ? { superior: centre.superior } : {}), ...(centre?.place ? { place: centre.place } : {}), kind: 'one-stop-centre', parentCode: null, calendarId: 'vn-civil-service', schedule: { weeklyRestDays: ['saturday', 'sunday'], officeHours: [] } };
}

export function procedureName(context: FormContext): string {
  return context.state.accepted?.procedure.name ?? context.state.procedureName ?? `Thủ tục hành chính mã ${context.state.procedureCode}`;
}

/** The QR code's content (Circular 01/2023): dossier code, procedure code, applicant's identifier. */
function qrOf(context: FormContext): string {
  return [context.state.dossierCode, context.state.procedureCode, context.applicant.identityNumber].join('|');
}

function header(context: FormContext, issuer: Agency, issuedAt: string, suffix: string) {
  return {
    issuer: { ...(issuer.superior ? { superior: issuer.superior } : {}), name: issuer.name },
    // Numbered within the dossier, whose code the document carries under its title.
    number: `Số: ${String(context.sequence).padStart(2, '0')}/${suffix}`,
    placeAndDate: `${issuer.place ? `${issuer.place}, ` : ''}${formatVietnameseLongDate(new Date(issuedAt))}`,
    qr: qrOf(context),
  };
}

/** A form's own parts (its subtitle is the dossier code unless it says otherwise); the header, the QR code and the metadata are common to all (see `issue`). */
type FormParts = Pick<DocumentModel, 'kind' | 'paper' | 'title' | 'subtitle' | 'blocks' | 'signatures' | 'recipients'> & {
  /** The number's suffix (TNHS, YCBS, …). */
  readonly suffix: string;
  /** The PDF's subject line. */
  readonly subject: string;
  readonly number?: string;
};

/** A document issued by `issuer` at `issuedAt`: the common parts (header, QR, metadata) around a form's own. */
export function issue(context: FormContext, issuer: Agency, issuedAt: string, parts: FormParts): DossierDocument {
  const { suffix, subject, number, subtitle, ...own } = parts;
  return {
    issuerAgencyCode: issuer.code,
    issuedAt,
    model: {
      ...header(context, issuer, issuedAt, suffix),
      ...(number ? { number } : {}),
      subtitle: subtitle ?? [`Mã hồ sơ: ${context.state.dossierCode}`],
      ...own,
      metadata: { issuedAt, documentId: context.request.documentId, subject },
    },
  };
}

export function applicantFields(applicant: Applicant): { label: string; value: string }[] {
  return [
    { label: applicant.kind === 'organisation' ? 'Tổ chức' : 'Ông/Bà', value: applicant.fullName },
    ...(applicant.address ? [{ label: 'Địa chỉ', value: applicant.address }] : []),
    ...(applicant.phone ? [{ label: 'Số điện thoại', value: applicant.phone }] : []),
    ...(applicant.email ? [{ label: 'Thư điện tử', value: applicant.email }] : []),
  ];
}
