// The port to a citizen's e-data store (kho dữ liệu điện tử của tổ chức, cá nhân) on the national
// public-service portal (docs/integrations/data-store.md): which papers it holds for an owner, and a
// paper's file. The engine speaks to it in its own terms; the adapter (national-portal.ts) speaks the
// portal's (GetKetQuaGiayTo, GetGiayToByUrl). A test or a trial uses the loopback double
// (doubles/data-store-double.ts) behind the same adapter.

/** Who asks, for whom, for which procedure and which kinds of paper. */
export interface DataStoreQuery {
  /** The owner's identity number (SoDinhDanhChuSoHuu): personal data, sent only to the store. */
  readonly ownerIdentityNumber: string;
  /** Who asks on the owner's behalf (HoTenNguoiYeuCau, SoDinhDanhNguoiYeuCau): the applicant at the counter. */
  readonly requesterName: string;
  readonly requesterIdentityNumber: string;
  /** KenhThucHien: `counter` ("1", an official at the counter) or `online` ("2", the citizen online). */
  readonly channel: 'counter' | 'online';
  /** MaThuTuc: the national procedure code. */
  readonly procedureCode: string;
  /** DanhSachDanhMucKetQua: the kinds of paper (MaKetQua), with a number (SoKyHieu) when one is known. */
  readonly documentCodes: readonly { readonly code: string; readonly number?: string }[];
}

/** A file of a paper the store holds. */
export interface DataStoreFileRef {
  /** TenTep: the file's name (personal data like the bytes). */
  readonly name: string;
  /** DuongDan: the store's path of the file, what GetGiayToByUrl takes. */
  readonly path: string;
}

/** A paper the store holds for the owner (an entry of DanhSachGiayToKetQua). */
export interface DataStorePaper {
  /** MaKetQua. */
  readonly documentCode: string;
  /** TenGiayTo. */
  readonly documentName: string;
  /** SoKyHieu. */
  readonly documentNumber: string | null;
  /** CoQuanChuQuan: the body that keeps the paper, what GetGiayToByUrl takes with the path. */
  readonly keeper: string;
  readonly files: readonly DataStoreFileRef[];
}

/** The store did not answer usefully: down, slow, refused the request, or answered what is not its contract. */
export class DataStoreUnavailable extends Error {
  override readonly name = 'DataStoreUnavailable';
  constructor(
    message: string,
    /** `timeout`, `http` (a status outside 2xx), `refused` (errorCode not "0"), `malformed` (not the contract), `network`. */
    readonly reason: 'timeout' | 'http' | 'refused' | 'malformed' | 'network',
  ) {
    super(message);
  }
}

export interface DataStore {
  /** The papers of these kinds the store holds for the owner; throws DataStoreUnavailable. */
  papers(query: DataStoreQuery): Promise<DataStorePaper[]>;
  /** The bytes of a file, by its keeper and path; throws DataStoreUnavailable. At most `maxBytes` are read. */
  file(ref: { readonly keeper: string; readonly path: string }, maxBytes: number): Promise<{ readonly bytes: Buffer; readonly contentType: string | null }>;
}
