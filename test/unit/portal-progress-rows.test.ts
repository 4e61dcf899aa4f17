// The progress log the portal keeps (CapNhatTienDoHoSoMC / QuaTrinhXuLyDongBoDVC): one row per
// event the portal hears of, who handled it (an official, never the applicant), when, where, what
// in Vietnamese, the status after it, and the step's start and due times.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { portalSyncWanted } from '../../domain/portal-sync/sync-rule.js';
import { inChunks, progressRows } from '../../domain/portal-sync/progress-rows.js';
import { DEFAULT_STATUS_MAP, portalStatusMap } from '../../domain/portal-sync/status-map.js';
import { watchPlays } from '../support/delivered-events.js';
import { documentedLandDossier } from '../support/documented-dossier.js';
import { actor, CENTRE, ECONOMY, LAND_OFFICE } from '../support/dossier-fixtures.js';

afterEach(() => vi.restoreAllMocks());

describe('progress rows', () => {
  it('one per event the portal hears of, in order, each with a time, a handler, a status and a Vietnamese text', () => {
    const plays = watchPlays();
    const dossier = documentedLandDossier();
    const delivered = plays.delivered(dossier);
    const rows = progressRows(delivered, DEFAULT_STATUS_MAP);
    expect(rows.map((entry) => entry.version)).toEqual(delivered.filter((entry) => portalSyncWanted(entry.event)).map((entry) => entry.version));
    for (const { row } of rows) {
      expect(row.MaHoSo).toBe(dossier.dossierCode);
      expect(row.ThoiDiemXuLy).toMatch(/^20260[34]\d{8}$/);
      expect(row.TrangThai).toMatch(/^([1-9]|10)$/);
      expect(row.NoiDungXuLy.length).toBeGreaterThan(0);
      expect(row.NoiDungXuLy).not.toMatch(/[\r\n]/);
      expect([...row.NguoiXuLy].length).toBeLessThanOrEqual(50);
    }
    const first = rows[0]!.row;
    expect(first).toMatchObject({ NguoiXuLy: `reception@${CENTRE}`, ChucDanh: 'Cán bộ tiếp nhận', ThoiDiemXuLy: '20260302083000', PhongBanXuLy: 'Bộ phận Một cửa UBND xã Hòa Bình (dữ liệu mẫu)', TrangThai: '1', NgayBatDau: '20260302083000', NgayKetThucTheoQuyDinh: '' });
    expect(first.NoiDungXuLy).toMatch(/^Tiếp nhận hồ sơ \(trực tiếp\)/);
  });

  it('a step’s rows carry the step’s start and due time; the supplement request says 5 and its handler is the officer', () => {
    const plays = watchPlays();
    const dossier = documentedLandDossier();
    const delivered = plays.delivered(dossier);
    const rows = progressRows(delivered, DEFAULT_STATUS_MAP);
    const requestVersion = delivered.find((entry) => entry.event.type === 'SupplementRequested')!.version;
    const started = delivered.find((entry) => entry.event.type === 'StepStarted' && entry.event.data.stepId === 'commune-verification')!.event;
    if (started.type !== 'StepStarted') throw new Error('unreachable');
    const request = rows.find((entry) => entry.version === requestVersion)!.row;
    expect(request).toMatchObject({ NguoiXuLy: `officer@${ECONOMY}`, ChucDanh: 'Chuyên viên', TrangThai: '5', ThoiDiemXuLy: '20260304100000' });
    expect(request.NoiDungXuLy).toContain('Yêu cầu bổ sung hồ sơ lần 1');
    expect(request.NgayKetThucTheoQuyDinh).toBe(portalRow(started.data.due));
    expect(request.NgayBatDau).toBe(portalRow(started.data.at));
    const result = rows.at(-1)!.row;
    expect(result).toMatchObject({ NguoiXuLy: `head@${LAND_OFFICE}`, ChucDanh: 'Lãnh đạo', TrangThai: '9' });
  });

  it('never names the applicant or their papers’ numbers', () => {
    const plays = watchPlays();
    const rows = JSON.stringify(progressRows(plays.delivered(documentedLandDossier()), DEFAULT_STATUS_MAP));
    expect(rows).not.toContain('Trần Thị Bình');
    expect(rows).not.toContain('038190001234');
  });

  it('keeps only the versions asked for (a status sync sends its own event’s row), and follows the status map', () => {
    const plays = watchPlays();
    const delivered = plays.delivered(documentedLandDossier());
    const last = delivered.at(-1)!;
    const rows = progressRows(delivered, portalStatusMap({ version: 'h99', overrides: { 'result-ready': 4 } }), (version) => version === last.version);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: last.version, row: { TrangThai: '4' } });
    // Not an event the portal hears of: no row.
    const assigned = { ...last, version: last.version + 1, event: { type: 'HandlerAssigned' as const, schemaVersion: 1 as const, data: { at: last.occurredAt, stepId: 'certificate-issuance', handlerUserId: 'officer-9' } } };
    expect(progressRows([...delivered, assigned], DEFAULT_STATUS_MAP, (version) => version === assigned.version)).toEqual([]);
  });

  it('a machine’s event is the system’s, not a person’s; a very long user id is cut at 50', () => {
    const plays = watchPlays();
    const delivered = plays.delivered(documentedLandDossier());
    const last = delivered.at(-1)!;
    const byMachine = progressRows([...delivered.slice(0, -1), { ...last, actor: actor('system', CENTRE, 'workflow') }], DEFAULT_STATUS_MAP).at(-1)!.row;
    expect(byMachine).toMatchObject({ NguoiXuLy: 'Hệ thống', ChucDanh: 'Hệ thống' });
    const long = progressRows([...delivered.slice(0, -1), { ...last, actor: actor('head', LAND_OFFICE, `lãnh-đạo\n${'x'.repeat(200)}`) }], DEFAULT_STATUS_MAP).at(-1)!.row;
    expect([...long.NguoiXuLy]).toHaveLength(50);
    expect(long.NguoiXuLy).not.toContain('\n');
  });

  it('go to the portal in chunks of at most 10', () => {
    expect(inChunks(Array.from({ length: 23 }, (_, index) => index), 10).map((chunk) => chunk.length)).toEqual([10, 10, 3]);
    expect(inChunks([], 10)).toEqual([]);
  });
});

function portalRow(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 7 * 3600_000).toISOString();
  return shifted.slice(0, 19).replace(/[-T:]/g, '');
}
