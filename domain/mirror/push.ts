// The push of a ministry's system: the reception and processing data of a dossier it handles on its
// own system, mirrored read-only into the province's (Decree 224/2026 art. 15(1)(h);
// docs/integrations.md#mirrors-of-dossiers-handled-elsewhere). The same facts the national portal's
// dossier sync carries (DongBoHoSoMC: MaHoSo, MaTTHC, KenhThucHien, the dates, TrangThaiHoSo,
// QuaTrinhXuLy, DuocThanhToanTrucTuyen…), with the engine's names; each field says its portal twin.
import { z } from 'zod';
import { PROCEDURE_CODE_PATTERN } from '../catalogue/procedure.js';
import { agencyCodeSchema } from '../dossier/actor.js';
import { CHANNELS } from '../dossier/commands.js';
import { freeText, lineText, nameText } from '../text.js';

/** The name of a ministry's system, as its token names it: lower-case letters, digits, dashes. */
export const MIRROR_SYSTEM_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with its offset, e.g. 2026-12-01T08:30:00+07:00' });

/** National portal status codes (TrangThaiHoSo 1..10). */
export const portalStatusSchema = z.number({ error: 'must be the national portal status code TrangThaiHoSo, a whole number 1 to 10' }).int().min(1).max(10);

/** One row of the processing history (QuaTrinhXuLy): who did what, when, leaving which status. */
export const progressRowSchema = z
  .object({
    at: instant.describe('When it happened (NgayXuLy)'),
    unitName: lineText(300).min(1).describe('The unit that did it (DonViXuLy)'),
    handlerName: nameText(300).optional().describe('The person (NguoiXuLy)'),
    action: lineText(500).min(1).describe('What was done (NoiDung)'),
    status: portalStatusSchema.describe('The status it left the dossier in (TrangThai)'),
  })
  .strict();
export type ProgressRow = z.infer<typeof progressRowSchema>;

export const mirrorApplicantSchema = z
  .object({
    // LoaiDoiTuong 1 citizen, 2 enterprise, 3 state body, 4 other organisation.
    kind: z.enum(['citizen', 'organisation']).describe('citizen (LoaiDoiTuong 1) or organisation (2, 3, 4)'),
    fullName: nameText(300).describe('ChuHoSo'),
    identityNumber: z.string().regex(/^[0-9A-Z-]{6,20}$/, 'must be 6 to 20 digits, capitals or dashes').optional().describe('SoGiayToChuHoSo'),
    phone: z.string().regex(/^\+?[0-9 .-]{8,20}$/, 'must be a phone number of 8 to 20 digits').optional(),
    email: z.email().max(320).optional(),
    address: freeText({ max: 500, multiline: true }).optional(),
  })
  .strict();

/** The facts of a mirrored dossier as the source system holds them now: each push sends them whole. */
export const mirrorFactsSchema = z
  .object({
    procedureCode: z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code (MaTTHC) such as 1.001193').describe('MaTTHC'),
    procedureName: lineText(500).min(1).optional().describe('TenTTHC'),
    fieldCode: lineText(50).min(1).optional().describe('MaLinhVuc'),
    agencyCode: agencyCodeSchema.describe("The province's unit the dossier belongs to (DonVi's MaDinhDanh): its reports count it"),
    handlingUnitName: lineText(300).min(1).optional().describe('DonViXuLy'),
    channel: z.enum(CHANNELS).describe('KenhThucHien: counter (1), online (2), post (3)'),
    applicant: mirrorApplicantSchema,
    summary: freeText({ max: 1000, multiline: true }).optional().describe('TrichYeuHoSo'),
    submittedAt: instant.describe('NgayNopHoSo'),
    acceptedAt: instant.optional().describe('NgayTiepNhan: the clock starts; Decision 766 counts the dossier by it'),
    appointmentAt: instant.optional().describe('NgayHenTra'),
    refusedAt: instant.optional().describe('NgayTuChoi: refused at reception'),
    finishedAt: instant.optional().describe('NgayKetThucXuLy: processing ended (result, refusal or withdrawal)'),
    returnedAt: instant.optional().describe('NgayTra'),
    resolution: z.enum(['result', 'refused', 'withdrawn']).optional().describe('How processing ended, once finishedAt is set: a result, a refusal to resolve, a withdrawal. Absent: withdrawn for status 8, else a result'),
    status: portalStatusSchema.describe('TrangThaiHoSo'),
    returnMethod: z.enum(['counter', 'post']).optional().describe('HinhThuc: 0 counter, 1 post'),
    feeBearing: z.boolean().optional().describe('A fee or charge is due (DanhSachLePhi not empty)'),
    paidOnline: z.boolean().optional().describe('DuocThanhToanTrucTuyen 1 or 2'),
    digitised: z.boolean().optional().describe('HoSoCoThanhPhanSoHoa'),
    eResult: z.boolean().optional().describe('A result file link (DanhSachGiayToKetQua)'),
    supplementRequests: z.number().int().min(0).max(100).optional().describe('DanhSachHoSoBoSung: how many supplements were requested during processing'),
    progress: z.array(progressRowSchema).max(500).default([]).describe('QuaTrinhXuLy, oldest first'),
  })
  .strict();
export type MirrorFacts = z.infer<typeof mirrorFactsSchema>;

/** The body of PUT /mirrors/{dossierCode}. */
export const mirrorPushSchema = mirrorFactsSchema
  .extend({
    sourceUpdatedAt: instant.describe("The source system's revision: when it last changed the dossier. A push is applied once, in this order"),
  })
  .strict()
  .superRefine((push, context) => {
    const order = (a: keyof MirrorFacts, b: keyof MirrorFacts) => {
      const from = push[a] as string | undefined;
      const to = push[b] as string | undefined;
      if (from !== undefined && to !== undefined && Date.parse(to) < Date.parse(from)) {
        context.addIssue({ code: 'custom', path: [b], message: `must not be before ${a} (${from})` });
      }
    };
    order('submittedAt', 'acceptedAt');
    order('acceptedAt', 'finishedAt');
    order('finishedAt', 'returnedAt');
    order('submittedAt', 'refusedAt');
    // Accepted, in processing, paying, stopped, done, returned: the dossier was accepted (NgayTiepNhan).
    // 5 (supplement) and 7 (withdrawal asked) happen before acceptance too.
    if ([2, 4, 6, 8, 9, 10].includes(push.status) && push.acceptedAt === undefined) {
      context.addIssue({ code: 'custom', path: ['acceptedAt'], message: `is required with status ${push.status}: when the dossier was accepted (NgayTiepNhan)` });
    }
    if (push.status === 3 && push.refusedAt === undefined) context.addIssue({ code: 'custom', path: ['refusedAt'], message: 'is required with status 3 (not accepted): when it was refused (NgayTuChoi)' });
    if ((push.status === 9 || push.status === 10 || push.status === 8) && push.finishedAt === undefined) {
      context.addIssue({ code: 'custom', path: ['finishedAt'], message: `is required with status ${push.status}: when processing ended (NgayKetThucXuLy)` });
    }
    if (push.status === 10 && push.returnedAt === undefined) context.addIssue({ code: 'custom', path: ['returnedAt'], message: 'is required with status 10 (returned): when the result was returned (NgayTra)' });
    if (push.acceptedAt !== undefined && push.appointmentAt === undefined) context.addIssue({ code: 'custom', path: ['appointmentAt'], message: 'is required once the dossier is accepted: the appointment on its receipt (NgayHenTra)' });
    if (Date.parse(push.sourceUpdatedAt) < Date.parse(push.submittedAt)) context.addIssue({ code: 'custom', path: ['sourceUpdatedAt'], message: 'must not be before submittedAt' });
  });
export type MirrorPush = z.infer<typeof mirrorPushSchema>;

/** The facts of a push, without its revision. */
export function factsOfPush(push: MirrorPush): MirrorFacts {
  const { sourceUpdatedAt: _revision, ...facts } = push;
  return facts;
}

/** The facts a mirror keeps from its first push: the dossier's identity (a change is another dossier). */
export const IMMUTABLE_FACTS = ['procedureCode', 'agencyCode', 'channel', 'submittedAt'] as const satisfies readonly (keyof MirrorFacts)[];
