// The land information system of the land registration office (Văn phòng đăng ký đất đai) as a
// loopback double (docs/integrations.md#the-systems-doubles), on the generic interagency double
// (doubles/interagency-double.ts). After a hand-off it says "Đã tiếp nhận hồ sơ" (progress), then,
// `answerDelayMs` later, completes the step with its paper:
//   land-registration    → "Phiếu chuyển thông tin để xác định nghĩa vụ tài chính về đất đai" (the
//                          transfer slip the tax office works from);
//   certificate-issuance → "Giấy chứng nhận quyền sử dụng đất … (bản quét)";
//   any other step       → completed without a paper.
// An update is recorded and answers nothing; a cancel stops what it had still to do.
import type { AnswerDraft, InteragencyDouble, InteragencyDoubleOptions, InteragencyScript } from './interagency-double.js';
import { startInteragencyDouble } from './interagency-double.js';
import { answerFile, systemPaper } from './interagency-pdf.js';

export const LAND_REGISTRY_ISSUER = 'VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI (HỆ THỐNG THỬ NGHIỆM)';

/** The paper the land office completes a step with, or null for a step it completes without one. */
export async function landPaper(stepId: string, dossierCode: string, reference: string): Promise<AnswerDraft | null> {
  if (stepId === 'land-registration') {
    const bytes = await systemPaper(LAND_REGISTRY_ISSUER, 'Phiếu chuyển thông tin để xác định nghĩa vụ tài chính về đất đai', [`Hồ sơ: ${dossierCode}`, `Số tham chiếu: ${reference}`, 'Gửi: Cơ quan thuế quản lý khu vực']);
    return { kind: 'completed', note: 'Đã chuyển thông tin để xác định nghĩa vụ tài chính', file: answerFile('phieu-chuyen-thong-tin.pdf', bytes) };
  }
  if (stepId === 'certificate-issuance') {
    const bytes = await systemPaper(LAND_REGISTRY_ISSUER, 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (bản quét)', [`Hồ sơ: ${dossierCode}`, `Số vào sổ cấp giấy chứng nhận: ${reference}`]);
    return { kind: 'completed', note: 'Đã cấp Giấy chứng nhận', file: answerFile('giay-chung-nhan-ban-quet.pdf', bytes) };
  }
  return null;
}

export const landRegistryScript: InteragencyScript = {
  handOff(step, context) {
    context.later(step, context.answerDelayMs, () => void context.answer(step, [{ kind: 'progress', status: 'Đã tiếp nhận hồ sơ' }]));
    context.later(step, context.answerDelayMs * 2, async () => {
      const paper = await landPaper(step.stepId, step.dossierCode, step.reference);
      context.answer(step, [paper ?? { kind: 'completed', note: 'Đã thực hiện xong' }]);
    });
  },
};

export type LandRegistryDoubleOptions = Omit<InteragencyDoubleOptions, 'system' | 'script' | 'referencePrefix'>;

export function startLandRegistryDouble(options: LandRegistryDoubleOptions): Promise<InteragencyDouble> {
  return startInteragencyDouble({ ...options, system: 'land-registry', script: landRegistryScript, referencePrefix: 'VPDK' });
}
