// What both portal adapters share: the sync built from the delivery's events, the HTTP call with
// its deadline, the attempt's record with personal fields masked and no credentials, and the
// verdict turned into the outbox's result. The answers themselves are read in ./portal-answers.ts.
import type { Logger } from 'pino';
import { callSignal } from '../outbox/attempt-signal.js';
import type { DeliveryContext, DeliveryResult, Exchange } from '../outbox/delivery-channel.js';
import { MASKED, maskEmail, maskedFileLink, maskName, maskPhone, recordedResponse, sha256Hex } from '../outbox/mask.js';
import { dossierPayload, type PortalDossierPayload } from '../../domain/portal-sync/dossier-payload.js';
import { progressRows, type PortalProgressRow } from '../../domain/portal-sync/progress-rows.js';
import { portalStatusMap, type PortalStatusMap } from '../../domain/portal-sync/status-map.js';
import type { PortalConfig } from './portal-config.js';
import type { PortalReply, PortalVerdict } from './portal-answers.js';

export interface PortalChannelDeps {
  /** A link the portal can download a dossier's file from (signed, expiring: api/routes/portal-files.ts). */
  readonly fileLink: (dossierCode: string, sha256: string) => string;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Generation B has no look-up known from public code: the reconciliation's, when the deployment has one. */
  readonly lookUp?: (dossierCode: string) => Promise<PortalLookUp>;
  /** Where secret references are resolved (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
}

/** What the portal holds for a dossier: its status code there (null when it holds none), and its raw answer (may hold personal data: never log it). */
export interface PortalLookUp {
  readonly status: number | null;
  readonly raw: unknown;
}

/** The portal as the nightly reconciliation asks it (TraCuuHoSo). */
export interface PortalClient {
  lookUp(dossierCode: string): Promise<PortalLookUp>;
}

/** The portal did not answer a look-up usefully (the reconciliation tries again the next night). */
export class PortalUnavailable extends Error {
  override readonly name = 'PortalUnavailable';
}

/** What one delivery sends: the dossier and the progress rows of the events it tells of. */
export interface PortalSync {
  readonly dossierCode: string;
  /** The receiving agency (the dossier code's first segment, as reception recorded it). */
  readonly agencyCode: string;
  readonly payload: PortalDossierPayload;
  readonly rows: readonly PortalProgressRow[];
  readonly statusMap: PortalStatusMap;
}

/**
 * The sync a delivery calls for, or why it cannot be made: a status sync sends the dossier and its
 * own event's progress row, a resync the dossier and every row. A dossier code without the
 * province's identifier is refused here (the portal would not take it; TH rewrites the code, we do not).
 */
export function buildSync(context: DeliveryContext, config: PortalConfig, fileLink: PortalChannelDeps['fileLink']): PortalSync | { readonly refused: string } {
  const statusMap = portalStatusMap(config.statusMap);
  const payload = dossierPayload(context.events, { statusMap, procedureCodes: config.procedureCodes, resultDocumentCodes: config.resultDocumentCodes, fileLink });
  if (!payload) return { refused: `the events of ${context.dossierCode} up to ${context.sequence} hold no reception: nothing to sync` };
  const firstSegment = payload.MaHoSo.split('-')[0] ?? '';
  if (!firstSegment.includes(config.provinceIdentifier)) {
    return { refused: `dossier code ${payload.MaHoSo} does not start with a unit identifier of province ${config.provinceIdentifier} (portal.provinceIdentifier); the portal takes only its province's codes` };
  }
  const only = context.trigger === 'resync' ? undefined : (version: number) => version === context.sequence;
  const rows = progressRows(context.events, statusMap, only).map((entry) => entry.row);
  const received = context.events[0]!.event;
  return { dossierCode: payload.MaHoSo, agencyCode: received.type === 'DossierReceived' ? received.data.agencyCode : firstSegment, payload, rows, statusMap };
}

/** The payload as an attempt records it: the applicant's data masked, file names and signed links' signatures hidden. */
export function maskedPayload(payload: PortalDossierPayload): unknown {
  return {
    ...payload,
    ChuHoSo: payload.ChuHoSo && maskName(payload.ChuHoSo),
    SoGiayToChuHoSo: MASKED,
    Email: payload.Email && maskEmail(payload.Email),
    SoDienThoai: payload.SoDienThoai && maskPhone(payload.SoDienThoai),
    DinhDanhCHS: payload.DinhDanhCHS.map((identity) => ({ ...identity, SoDinhDanh: MASKED })),
    TaiLieuNop: payload.TaiLieuNop.map((file) => ({ ...file, TenTepDinhKem: MASKED, DuongDanTaiTepTin: maskedFileLink(file.DuongDanTaiTepTin) })),
    DanhSachHoSoBoSung: payload.DanhSachHoSoBoSung.map((cycle) => ({ ...cycle, ThongTinTiepNhan: cycle.ThongTinTiepNhan && MASKED })),
    DanhSachGiayToKetQua: payload.DanhSachGiayToKetQua.map((result) => ({ ...result, DuongDanTepTinKetQua: maskedFileLink(result.DuongDanTepTinKetQua) })),
  };
}


/** The calls of one attempt, as its record keeps them. */
export class AttemptRecord {
  readonly #calls: { readonly operation: string; readonly body?: unknown }[] = [];
  readonly #answers: string[] = [];

  constructor(
    readonly generation: 'A' | 'B',
    readonly sync: PortalSync | undefined,
  ) {}

  call(operation: string, maskedBody?: unknown): void {
    this.#calls.push({ operation, ...(maskedBody === undefined ? {} : { body: maskedBody }) });
  }

  /** `recordBody`: false records the status only; a function, what it keeps of the body. */
  answer(operation: string, answer: PortalReply | { readonly transport: string }, recordBody: boolean | ((text: string) => string) = true): void {
    const body = 'transport' in answer || recordBody === false ? '' : ` ${recordBody === true ? answer.text : recordBody(answer.text)}`;
    this.#answers.push('transport' in answer ? `${operation}: ${answer.transport}` : `${operation}: HTTP ${answer.status}${body}`);
  }

  /**
   * The record: the calls' masked bodies, and the SHA-256 of the dossier and rows sent (re-derivable
   * from the events and the status map's version; the session each call carried is not part of it).
   */
  exchange(): Exchange {
    const derived = this.sync ? JSON.stringify({ dossier: this.sync.payload, progress: this.sync.rows }) : '';
    return {
      request: { generation: this.generation, statusMap: this.sync?.statusMap.version, calls: this.#calls },
      requestSha256: sha256Hex(derived),
      response: recordedResponse(this.#answers.join('\n')),
    };
  }
}

/**
 * TraCuuHoSo's answer as an attempt records it: the portal answers the whole dossier it holds (the
 * applicant's name, identity number, phone, e-mail), so of each record only MaHoSo and
 * TrangThaiHoSo are kept; an answer that is not the expected JSON is kept as it is (an error page).
 */
export function lookUpAnswerAsRecorded(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return text;
  // The records are under `result` (or `data`, as readLookUpAnswer also reads them).
  const kept = Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([name, value]) => {
      if (name !== 'result' && name !== 'data') return [name, value];
      if (!Array.isArray(value)) return [name, value === null ? null : MASKED];
      return [name, value.map((entry) => (typeof entry === 'object' && entry !== null ? { MaHoSo: (entry as Record<string, unknown>).MaHoSo, TrangThaiHoSo: (entry as Record<string, unknown>).TrangThaiHoSo } : MASKED))];
    }),
  );
  return JSON.stringify(kept);
}

/** A POST with a JSON body and a deadline; a transport failure is said, never thrown. */
export async function postJson(url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<PortalReply | { readonly transport: string }> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain, */*', ...headers }, body, signal: callSignal(timeoutMs) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { transport: `no answer within ${timeoutMs} ms` };
    return { transport: 'the portal could not be reached' };
  }
}

/** The outbox's result of a verdict that ends the attempt. */
export function resultOf(verdict: PortalVerdict, record: AttemptRecord): DeliveryResult {
  const exchange = record.exchange();
  switch (verdict.kind) {
    case 'delivered':
      return { outcome: 'delivered', exchange };
    case 'retryable':
      return { outcome: 'failed', retryable: true, reason: verdict.reason, exchange };
    case 'refused':
      return { outcome: 'failed', retryable: false, reason: verdict.reason, exchange };
    case 'already-exists':
      return { outcome: 'failed', retryable: true, reason: `the portal answered "already exists" where it was not expected${verdict.message ? `: ${verdict.message}` : ''}`, exchange };
    case 'session-expired':
      return { outcome: 'failed', retryable: true, reason: 'the portal did not accept the session, even a new one', exchange };
  }
}

/** A transport failure as a verdict. */
export function transportVerdict(operation: string, failure: { readonly transport: string }): PortalVerdict {
  return { kind: 'retryable', reason: `${operation}: ${failure.transport}` };
}
