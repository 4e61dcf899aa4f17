// The dossier's progress log as the portal keeps it (CapNhatTienDoHoSoMC's rows, generation B's
// QuaTrinhXuLyDongBoDVC; docs/integrations.md#progress-rows-capnhattiendohosomc--quatrinhxulydongbodvc): one row per event the portal hears of
// (./sync-rule.ts), built from the events alone. Who handled it is the official the event records
// as its actor (their user id, never the applicant's data); the time is the event's, always present
// (the portal requires it: OCPS PR #2507); the status is the true one after the event.
import type { DossierEvent } from '../dossier/events.js';
import { eventLabel } from '../dossier/event-labels.js';
import { agencyName, readTimeline, type PortalSyncEvent } from './dossier-timeline.js';
import { PORTAL_TEXT_LIMITS, portalDateTime, portalText } from './portal-format.js';
import { portalStatusCode, type PortalStatusMap } from './status-map.js';
import { portalSyncWanted } from './sync-rule.js';

export interface PortalProgressRow {
  readonly MaHoSo: string;
  readonly NguoiXuLy: string;
  readonly ChucDanh: string;
  readonly ThoiDiemXuLy: string;
  readonly PhongBanXuLy: string;
  readonly NoiDungXuLy: string;
  readonly TrangThai: string;
  readonly NgayBatDau: string;
  readonly NgayKetThucTheoQuyDinh: string;
}

/** A row with the stream version of the event it tells of. */
export interface VersionedProgressRow {
  readonly version: number;
  readonly row: PortalProgressRow;
}

/** Job titles (chức danh) by the actor's role; machines are named as such, never as a person. */
const TITLES: Readonly<Record<string, string>> = {
  reception: 'Cán bộ tiếp nhận',
  officer: 'Chuyên viên',
  head: 'Lãnh đạo',
  auditor: 'Cán bộ kiểm soát',
  admin: 'Quản trị hệ thống',
  portal: 'Cổng dịch vụ công',
  system: 'Hệ thống',
};
const MACHINE_ROLES: ReadonlySet<string> = new Set(['portal', 'system']);

/**
 * The progress rows of the dossier's events the portal hears of, in stream order; `versions` keeps
 * only the rows of those stream versions (a status sync sends its own event's row, a resync all).
 */
export function progressRows(events: readonly PortalSyncEvent[], statusMap: PortalStatusMap, versions?: (version: number) => boolean): VersionedProgressRow[] {
  const rows: VersionedProgressRow[] = [];
  events.forEach((entry, index) => {
    if (!portalSyncWanted(entry.event) || (versions && !versions(entry.version))) return;
    const timeline = readTimeline(events.slice(0, index + 1));
    if (!timeline) return;
    const { state } = timeline;
    const step = stepOf(entry.event, events.slice(0, index + 1));
    const machine = MACHINE_ROLES.has(entry.actor.role);
    rows.push({
      version: entry.version,
      row: {
        MaHoSo: timeline.dossierCode,
        NguoiXuLy: machine ? TITLES[entry.actor.role]! : portalText(entry.actor.userId, PORTAL_TEXT_LIMITS.handler) || 'Chuyên viên',
        ChucDanh: TITLES[entry.actor.role] ?? 'Chuyên viên',
        ThoiDiemXuLy: portalDateTime(eventTime(entry)) || portalDateTime(entry.occurredAt),
        PhongBanXuLy: portalText(agencyName(state, entry.actor.agencyCode), PORTAL_TEXT_LIMITS.line),
        NoiDungXuLy: portalText(eventLabel(entry.event).vi, PORTAL_TEXT_LIMITS.summary),
        TrangThai: portalStatusCode(statusMap, state.status),
        NgayBatDau: portalDateTime(step?.startedAt ?? state.statusSince),
        NgayKetThucTheoQuyDinh: portalDateTime(step?.due ?? timeline.due),
      },
    });
  });
  return rows;
}

/** When the event happened: its own time (the workflow's), the reception's for the first. */
function eventTime({ event, occurredAt }: PortalSyncEvent): string {
  return event.type === 'DossierReceived' ? event.data.receivedAt : event.data.at || occurredAt;
}

/** The step run an event is about: when it started and its due time (from its StepStarted). */
function stepOf(event: DossierEvent, upTo: readonly PortalSyncEvent[]): { readonly startedAt: string; readonly due: string } | undefined {
  const stepId = 'stepId' in event.data ? event.data.stepId : undefined;
  if (stepId === undefined) return undefined;
  for (let index = upTo.length - 1; index >= 0; index -= 1) {
    const candidate = upTo[index]!.event;
    if (candidate.type === 'StepStarted' && candidate.data.stepId === stepId) return { startedAt: candidate.data.at, due: candidate.data.due };
  }
  return undefined;
}

/** Rows in chunks of at most `size` (the portal takes 10 per request: docs/integrations.md#progress-rows-capnhattiendohosomc--quatrinhxulydongbodvc). */
export function inChunks<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += Math.max(1, size)) chunks.push(rows.slice(start, start + Math.max(1, size)));
  return chunks;
}
