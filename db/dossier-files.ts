// A dossier's component files as its log records them (docs/files.md): every ComponentFileAttached
// with who attached it and when, its approval (at attachment or by a later ComponentFileApproved)
// and the file that replaced it. Read from the events themselves: no table of its own. Also the
// procedure whose components a file may name: the version pinned at acceptance, or before it the
// version in force today.
import type { Kysely } from 'kysely';
import type { CatalogueProcedure, Component, ProcedureVersion } from '../domain/catalogue/procedure.js';
import type { FileOrigin, StoredFile } from '../domain/files/file-model.js';
import type { ComponentFileApproved, ComponentFileAttached, DossierAccepted, DossierReceived, FinancialObligationRequested, PaymentRecorded, PaymentRequested } from '../domain/dossier/events.js';
import { cancelledPaymentRequests, paymentRequestOf, settledPaymentRequests, type PaymentRequest } from '../domain/dossier/state.js';
import { procedureInForce } from './catalogue.js';
import type { Database, EventMetadata } from './schema.js';

type Actor = EventMetadata['actor'];

export interface RecordedFile {
  readonly componentId: string;
  readonly file: StoredFile;
  readonly origin: FileOrigin;
  readonly attachedAt: string;
  readonly attachedBy: Actor;
  /** The version of the dossier's stream at which it was attached. */
  readonly attachedInVersion: number;
  readonly approved: boolean;
  readonly approvedAt: string | null;
  readonly approvedBy: Actor | null;
  readonly replaces: string | null;
  /** The digest of the file of the same component that replaced this one; a replaced file no longer counts. */
  readonly replacedBy: string | null;
}

const FILE_EVENTS = ['ComponentFileAttached', 'ComponentFileApproved'] as const;

/** Every file of the dossier, in the order they were attached. */
export async function dossierFiles(db: Kysely<Database>, dossierCode: string): Promise<RecordedFile[]> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload', 'metadata', 'stream_version'])
    .where('stream_id', '=', dossierCode)
    .where('type', 'in', FILE_EVENTS)
    .orderBy('stream_version')
    .execute();
  let files: RecordedFile[] = [];
  const isCurrent = (file: RecordedFile, componentId: string, sha256: string) => file.componentId === componentId && file.file.sha256 === sha256 && file.replacedBy === null;
  for (const row of rows) {
    if (row.type === 'ComponentFileAttached') {
      const data = row.payload as ComponentFileAttached['data'];
      if (data.replaces !== undefined) {
        files = files.map((file) => (isCurrent(file, data.componentId, data.replaces!) ? { ...file, replacedBy: data.file.sha256 } : file));
      }
      files.push({
        componentId: data.componentId,
        file: data.file,
        origin: data.origin,
        attachedAt: data.at,
        attachedBy: row.metadata.actor,
        attachedInVersion: row.stream_version,
        approved: data.approved,
        approvedAt: data.approved ? data.at : null,
        approvedBy: data.approved ? row.metadata.actor : null,
        replaces: data.replaces ?? null,
        replacedBy: null,
      });
    } else {
      const data = row.payload as ComponentFileApproved['data'];
      files = files.map((file) => (isCurrent(file, data.componentId, data.sha256) ? { ...file, approved: true, approvedAt: data.at, approvedBy: row.metadata.actor } : file));
    }
  }
  return files;
}

/** The files of the dossier with this digest (the same bytes may stand for two components), newest first. */
export async function dossierFilesWithDigest(db: Kysely<Database>, dossierCode: string, sha256: string): Promise<RecordedFile[]> {
  return (await dossierFiles(db, dossierCode)).filter((file) => file.file.sha256 === sha256).reverse();
}

/**
 * A file an outside system returned with its answer and the log records (docs/integrations.md#handing-steps-over):
 * a step's result (StepCompleted.resultFile), a tax notice (FinancialObligationRequested.noticeFile),
 * a receipt (PaymentRecorded.receiptFile). Undefined when the dossier's log records none with the digest.
 */
export async function answerFileWithDigest(db: Kysely<Database>, dossierCode: string, sha256: string): Promise<StoredFile | undefined> {
  const rows = await db
    .selectFrom('events')
    .select(['payload'])
    .where('stream_id', '=', dossierCode)
    .where('type', 'in', ['StepCompleted', 'FinancialObligationRequested', 'PaymentRecorded'])
    .orderBy('stream_version')
    .execute();
  for (const { payload } of rows) {
    const data = payload as { resultFile?: StoredFile; noticeFile?: StoredFile; receiptFile?: StoredFile };
    const file = [data.resultFile, data.noticeFile, data.receiptFile].find((candidate) => candidate?.sha256 === sha256);
    if (file) return file;
  }
  return undefined;
}

/** A financial obligation the dossier was asked to meet: the notice (thông báo nộp tiền) as recorded. */
export interface RecordedNotice {
  readonly stepId: string;
  readonly noticeNumber: string;
  readonly amountVnd: number;
  readonly dueDate: string | null;
  readonly requestedAt: string;
  readonly noticeFile: StoredFile | null;
}

/** A payment recorded on the dossier: the receipt (chứng từ nộp tiền). */
export interface RecordedPayment {
  readonly receiptNumber: string;
  readonly amountVnd: number;
  readonly method: PaymentRecorded['data']['method'];
  /** As the receipt states it, else when it was recorded. */
  readonly paidAt: string;
  readonly recordedAt: string;
  readonly receiptFile: StoredFile | null;
  /** The national payment platform's confirmation, for an online payment of a payment request. */
  readonly platformPayment: NonNullable<PaymentRecorded['data']['platformPayment']> | null;
}

/** A payment request (PaymentRequested) with what became of it (domain/dossier/state.ts, PaymentRequest). */
export interface RecordedPaymentRequest {
  readonly reference: string;
  readonly purpose: PaymentRequested['data']['purpose'];
  readonly amountVnd: number;
  readonly items: PaymentRequested['data']['items'][number][];
  readonly noticeNumber: string | null;
  readonly note: string | null;
  readonly requestedAt: string;
  readonly status: PaymentRequest['status'];
  readonly paidAt: string | null;
  readonly transactionId: string | null;
  readonly cancelledAt: string | null;
  readonly refundDue: NonNullable<PaymentRequest['refundDue']> | null;
}

/** The dossier's notices, payment requests and payments, oldest first, from its log (the tax system's files among them). */
export async function dossierObligations(db: Kysely<Database>, dossierCode: string): Promise<{ notices: RecordedNotice[]; requests: RecordedPaymentRequest[]; payments: RecordedPayment[] }> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('stream_id', '=', dossierCode)
    .where('type', 'in', ['FinancialObligationRequested', 'PaymentRequested', 'PaymentRecorded', 'DossierRefusedAtReception', 'ResultReturned', 'WithdrawalDecided'])
    .orderBy('stream_version')
    .execute();
  const notices: RecordedNotice[] = [];
  const payments: RecordedPayment[] = [];
  const asked: PaymentRequested['data'][] = [];
  let requests: readonly PaymentRequest[] = [];
  // The notice a payment settles is the latest one not yet paid, as the dossier's state keeps it.
  let pendingNotice: string | undefined;
  for (const row of rows) {
    if (row.type === 'FinancialObligationRequested') {
      const data = row.payload as FinancialObligationRequested['data'];
      notices.push({ stepId: data.stepId, noticeNumber: data.noticeNumber, amountVnd: data.amountVnd, dueDate: data.dueDate ?? null, requestedAt: data.at, noticeFile: data.noticeFile ?? null });
      pendingNotice = data.noticeNumber;
    } else if (row.type === 'DossierRefusedAtReception' || row.type === 'ResultReturned' || row.type === 'WithdrawalDecided') {
      // The dossier closes: its pending requests are cancelled (domain/dossier/state.ts), a withdrawal only once approved.
      const data = row.payload as { at: string; approved?: boolean };
      if (row.type !== 'WithdrawalDecided' || data.approved) requests = cancelledPaymentRequests(requests, data.at);
    } else if (row.type === 'PaymentRequested') {
      const data = row.payload as PaymentRequested['data'];
      asked.push(data);
      requests = [...requests, paymentRequestOf(data)];
    } else {
      const data = row.payload as PaymentRecorded['data'];
      payments.push({ receiptNumber: data.receiptNumber, amountVnd: data.amountVnd, method: data.method, paidAt: data.paidAt ?? data.at, recordedAt: data.at, receiptFile: data.receiptFile ?? null, platformPayment: data.platformPayment ?? null });
      requests = settledPaymentRequests(requests, data, pendingNotice);
      if (data.resumedClock) pendingNotice = undefined;
    }
  }
  return {
    notices,
    requests: requests.map((request, index) => ({
      reference: request.reference,
      purpose: request.purpose,
      amountVnd: request.amountVnd,
      items: [...asked[index]!.items],
      noticeNumber: request.noticeNumber ?? null,
      note: asked[index]!.note ?? null,
      requestedAt: request.requestedAt,
      status: request.status,
      paidAt: request.paidAt ?? null,
      transactionId: request.transactionId ?? null,
      cancelledAt: request.cancelledAt ?? null,
      refundDue: request.refundDue ?? null,
    })),
    payments,
  };
}

export interface DossierProcedure {
  readonly code: string;
  readonly version: string;
  readonly components: readonly Component[];
  /** Pinned at acceptance, or the version in force today before it. */
  readonly pinned: boolean;
}

/**
 * The procedure version whose components a dossier's files name: the one its acceptance pinned, or
 * before acceptance the one in force on `today`. Undefined for an unknown dossier, or one whose
 * procedure has no version in force today and was never accepted.
 */
export async function dossierProcedure(db: Kysely<Database>, dossierCode: string, today: string): Promise<DossierProcedure | undefined> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('stream_id', '=', dossierCode)
    .where('type', 'in', ['DossierReceived', 'DossierAccepted'])
    .orderBy('stream_version')
    .execute();
  const accepted = rows.find((row) => row.type === 'DossierAccepted');
  if (accepted) {
    const procedure: ProcedureVersion = (accepted.payload as DossierAccepted['data']).procedure;
    return { code: procedure.code, version: procedure.version, components: procedure.components, pinned: true };
  }
  const received = rows.find((row) => row.type === 'DossierReceived');
  if (!received) return undefined;
  const inForce: CatalogueProcedure | undefined = await procedureInForce(db, (received.payload as DossierReceived['data']).procedureCode, today);
  return inForce && { code: inForce.code, version: inForce.version, components: inForce.components, pinned: false };
}
