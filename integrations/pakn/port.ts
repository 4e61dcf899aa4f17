// The port to the national PAKN system (hệ thống tiếp nhận, trả lời phản ánh, kiến nghị on the
// national public-service portal; Decision 31/2021/QĐ-TTg art. 43(2)): the items citizens sent there
// for this deployment's units, read by a cursor; each change of an item pushed back (its status as
// the national labels name it, the answer once given); the likes and dislikes of the published
// answers (766 §5.3), read by a cursor too. The engine speaks to it in its own terms; the reference
// adapter (./reference-adapter.ts) speaks a JSON wire designed here, because no public contract of
// that system exists (docs/integrations.md#national-pakn-system). Tests and `npm start` put the
// loopback double (doubles/national-pakn-double.ts) behind the same adapter.

/** Who sent an item on the portal. Personal data: sent to the engine, never logged. */
export interface NationalPaknSubmitter {
  readonly fullName: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: string;
}

/** A file attached on the portal, as it came: its name and bytes (checked by the engine's file rules before use). */
export interface NationalPaknAttachment {
  readonly name: string;
  readonly bytes: Buffer;
}

/** An item a citizen sent on the national portal to one of this deployment's units. */
export interface NationalPaknItem {
  /** MaPAKN: the national system's id of the item. */
  readonly externalId: string;
  /** MaDonVi: the unit it was sent to (an agency code of the catalogue). */
  readonly agencyCode: string;
  readonly submitter: NationalPaknSubmitter;
  readonly title: string;
  readonly content: string;
  /** NgayGui: when the citizen sent it (ISO instant): the clocks start here. */
  readonly sentAt: string;
  /** MaHoSo: the dossier it is about, when the citizen named one. */
  readonly dossierCode?: string;
  /** MaPAKNTruoc: the earlier item (its national id) this one follows up as dissatisfied. */
  readonly followUpOfExternalId?: string;
  readonly attachments: readonly NationalPaknAttachment[];
}

export interface NationalPaknPage {
  readonly items: readonly NationalPaknItem[];
  /** The cursor after this page; null when the system keeps none (the same cursor is asked again). */
  readonly next: string | null;
}

/** The likes and dislikes of an item's published answer, as the system counts them now. */
export interface NationalPaknReaction {
  readonly externalId: string;
  readonly likes: number;
  readonly dislikes: number;
}

export interface NationalPaknReactionPage {
  readonly reactions: readonly NationalPaknReaction[];
  readonly next: string | null;
}

/** One change of an item, pushed to the national system: the item as it stands at `version`. */
export interface NationalPaknStatusPush {
  /** The engine's id of the item (PAKN-<unit>-<YYMMDD>-<NNNN>). */
  readonly feedbackId: string;
  /** The national id, when the item came from there or was already entered; absent: the system creates it. */
  readonly externalId?: string;
  /** The item's stream version this push describes: the system keeps the highest and ignores older ones. */
  readonly version: number;
  /** The unit handling it now. */
  readonly agencyCode: string;
  /** The status as the national system labels it (766 §5.2), e.g. `xử lý ở địa phương`. */
  readonly statusLabel: string;
  /** When the item reached this status (ISO instant). */
  readonly changedAt: string;
  /** What the system needs to create an item entered locally (paper, phone, e-mail, in person, the engine's form). */
  readonly item: {
    readonly channel: string;
    readonly title: string;
    readonly content: string;
    readonly sentAt: string;
    readonly submitter: NationalPaknSubmitter;
    readonly category?: string;
    readonly dossierCode?: string;
  };
  /** The reason of a refusal or a transfer, or the question asked of the citizen. */
  readonly note?: string;
  /** The answer, once given: its text, who signed it, when, and whether it may be published. */
  readonly answer?: { readonly text: string; readonly signer: string; readonly answeredAt: string; readonly publish: boolean; readonly documentUrl?: string };
}

/** The national system did not answer usefully: down, slow, refused the request, or answered what is not its contract. */
export class NationalPaknUnavailable extends Error {
  override readonly name = 'NationalPaknUnavailable';
  constructor(
    message: string,
    /** `timeout`, `http` (a status outside 2xx), `refused` (error_code not "0"), `malformed` (not the contract), `network`. */
    readonly reason: 'timeout' | 'http' | 'refused' | 'malformed' | 'network',
  ) {
    super(message);
  }
}

export interface NationalPakn {
  /** New items sent to this deployment's units, after the cursor; throws NationalPaknUnavailable. */
  pullItems(after: string | null): Promise<NationalPaknPage>;
  /** Likes and dislikes that changed after the cursor; throws NationalPaknUnavailable. */
  pullReactions(after: string | null): Promise<NationalPaknReactionPage>;
  /** Pushes an item's status (creating it there when it has no national id yet); answers its national id. */
  pushStatus(push: NationalPaknStatusPush): Promise<{ readonly externalId: string }>;
}
