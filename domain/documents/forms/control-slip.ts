// Form 06 (phiếu kiểm soát quá trình giải quyết hồ sơ): one row per hand-over, with each node's mark.
import type { Classification } from '../../clock/on-time-classification.js';
import { INTERAGENCY_SYSTEM_NAMES } from '../../interagency/systems.js';
import { agencyOf, at, issue, moment, type FormBuilder } from '../form-parts.js';

const MARK_LABEL: Record<Classification, string> = { early: 'Trước hạn', 'on-time': 'Đúng hạn', late: 'Quá hạn' };

/** Form 06: the process control slip, one row per hand-over, with each node's mark. */
export const controlSlip: FormBuilder = (context, trigger) => {
  const { state } = context;
  const issuedAt = at(trigger);
  const centre = agencyOf(context, state.agencyCode);
  const name = (code: string) => agencyOf(context, code).name;
  const rows = state.steps.map((step) => {
    const finishedAt = step.status === 'active' ? null : (step.clock[step.clock.length - 1]?.at ?? null);
    const note = { active: 'Đang giải quyết', completed: 'Đã xử lý xong', 'sent-back': 'Chuyển lại bước trước', stopped: 'Dừng cùng hồ sơ' }[step.status];
    // A step carried out in another agency's own system: which system, when the engine handed it
    // over and when the system's answer came back (an officer's completion in the engine is the
    // plain "xong" time, as for any step). A step never handed over (no system connected, or the
    // system out of service) was done by the body's officers: nothing to say of a system.
    const system = step.system && (step.handedOffAt || step.answeredAt) ? INTERAGENCY_SYSTEM_NAMES[step.system] : undefined;
    const handOff = [
      ...(system && step.handedOffAt ? [`; chuyển sang hệ thống: ${moment(step.handedOffAt)}`] : []),
      ...(system && step.answeredAt ? [`; hệ thống trả kết quả: ${moment(step.answeredAt)}`] : []),
    ].join('');
    const done = finishedAt && !(system && step.answeredAt === finishedAt) ? `; xong: ${moment(finishedAt)}` : '';
    return [
      `Giao: ${name(step.fromAgencyCode)}. Nhận: ${name(step.agencyCode)} (${step.task})${system ? `. Thực hiện trên ${system}` : ''}`,
      `${moment(step.startedAt)}${handOff}${done}`,
      step.mark ? MARK_LABEL[step.mark.mark] : '',
      note,
    ];
  });
  const competent = state.accepted?.procedure.competentAgencyCode ?? state.agencyCode;
  const cooperating = [...new Set(state.steps.map((step) => step.agencyCode))].filter((code) => code !== competent).map(name);
  return issue(context, centre, issuedAt, {
    kind: 'form-06',
    paper: 'A4',
    suffix: 'KSQT',
    title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    // The receipt it goes with, when the engine issued one (dossiers accepted before documents have none).
    subtitle: [`Mã hồ sơ: ${state.dossierCode}`, ...((state.documents ?? []).includes(`${state.dossierCode}/form-01/1`) ? ['(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: 01/TNHS)'] : [])],
    blocks: [
      { kind: 'fields', rows: [
        { label: 'Cơ quan giải quyết hồ sơ', value: name(competent) },
        { label: 'Cơ quan phối hợp giải quyết', value: cooperating.length > 0 ? cooperating.join('; ') : 'Không' },
      ] },
      {
        kind: 'table',
        columns: [{ header: 'TÊN CƠ QUAN', width: 0.38 }, { header: 'THỜI GIAN GIAO, NHẬN HỒ SƠ', width: 0.3 }, { header: 'KẾT QUẢ GIẢI QUYẾT (trước hạn/đúng hạn/quá hạn)', width: 0.16 }, { header: 'GHI CHÚ', width: 0.16 }],
        rows,
      },
    ],
    signatures: [],
    subject: `Phiếu kiểm soát hồ sơ ${state.dossierCode}`,
  });
};
