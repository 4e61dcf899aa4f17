// An official document as content, before any layout: what the one-stop forms (Circular 03/2025,
// Appendix I: forms 01–07) and a result certificate say, built from a dossier's events by pure
// functions (./dossier-documents.ts, one file a form in ./forms/). documents/pdf/ lays a model out
// as PDF, the same bytes for the same model.

/** The forms of Circular 03/2025/TT-VPCP, the result document of a procedure, and the apology for lateness (no form number of its own). */
export const DOCUMENT_KINDS = ['form-01', 'form-02', 'form-03', 'form-04', 'form-05', 'form-06', 'form-07', 'result', 'lateness-apology'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * The documents issued outside a dossier: the signed answer to a feedback item (PAKN,
 * ./forms/feedback-answer.ts). Kept out of DOCUMENT_KINDS, which names what a dossier's events call for.
 */
export type FeedbackDocumentKind = 'feedback-answer';

/** Forms 01–05 are printed on A5, the control slip, the register and results on A4. */
export type PaperSize = 'A4' | 'A5';

export type Block =
  /** A paragraph, wrapped to the text width. */
  | { readonly kind: 'paragraph'; readonly text: string; readonly bold?: boolean; readonly italic?: boolean; readonly align?: 'left' | 'center' | 'justify'; readonly indent?: boolean }
  /** "Label: value" lines, the value wrapped under itself. */
  | { readonly kind: 'fields'; readonly rows: readonly { readonly label: string; readonly value: string }[] }
  /** A list, numbered 1., 2., … or with dashes. */
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly numbered: boolean }
  /** A ruled table; widths are fractions of the text width and add up to 1. Cells wrap. */
  | { readonly kind: 'table'; readonly columns: readonly { readonly header: string; readonly width: number }[]; readonly rows: readonly (readonly string[])[] }
  /** Vertical space, in points. */
  | { readonly kind: 'space'; readonly points: number };

/** A signature box: its title (e.g. NGƯỜI TIẾP NHẬN), the hint under it, and the signer's name when known. */
export interface SignatureBox {
  readonly title: string;
  readonly hint?: string;
  readonly name?: string;
}

export interface DocumentModel {
  readonly kind: DocumentKind | FeedbackDocumentKind;
  readonly paper: PaperSize;
  /** The issuing agency's header, top left: its superior in capitals, then its own name in bold capitals. */
  readonly issuer: { readonly superior?: string; readonly name: string };
  /** Document number, under the issuer (e.g. "Số: 000.01.01.H99-260302-0001/TN"). */
  readonly number: string;
  /** Place and date, Vietnamese style, under the national motto (e.g. "Hòa Bình, ngày 02 tháng 3 năm 2026"). */
  readonly placeAndDate: string;
  /** The QR code printed at the top left (Circular 01/2023): dossier code, procedure code, applicant id. */
  readonly qr: string;
  /** The title in capitals, centred, bold. */
  readonly title: string;
  /** Lines under the title, centred (e.g. "Mã hồ sơ: …"). */
  readonly subtitle?: readonly string[];
  readonly blocks: readonly Block[];
  /** Signature boxes along the bottom, left to right. */
  readonly signatures: readonly SignatureBox[];
  /** "Nơi nhận:" list at the bottom left, when the document has one. */
  readonly recipients?: readonly string[];
  /** Fixed metadata, so the same model gives the same bytes. */
  readonly metadata: {
    /** The instant the document was issued (the event's time): the PDF's dates. */
    readonly issuedAt: string;
    /** A stable identifier (dossier code, kind and sequence): the PDF's title and /ID seed. */
    readonly documentId: string;
    readonly subject: string;
  };
}

/** The national motto that heads every official document. */
export const NATIONAL_MOTTO = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'] as const;
