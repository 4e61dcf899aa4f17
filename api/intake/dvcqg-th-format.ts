// The inbound body `DongBoTaoMoiHoSo` as the Thanh Hóa provincial system takes it from a portal
// (docs/portal-intake.md#the-dvcqg-th-body: the TH-style inbound contract), plus the portal's
// own dossier id `MaHoSo`: POST /intake/dvcqg/dossiers. Values may come as strings (as the portals
// send them, "" for an absent value) or numbers. Components are named, not coded: `TenThanhPhan` is
// matched to the procedure's component names by the intake (api/intake/component-names.ts).
// `Key`, the shared key of that system, is accepted and ignored: the bearer token authenticates.
import { z } from 'zod';
import { administrativeUnitCodeSchema } from '../../domain/catalogue/directory.js';
import { PROCEDURE_CODE_PATTERN } from '../../domain/catalogue/procedure.js';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { applicantSchema, type Channel } from '../../domain/dossier/commands.js';
import { MAX_FILES_AT_RECEPTION } from '../../domain/dossier/file-commands.js';
import { freeText, lineText } from '../../domain/text.js';
import type { IntakeFile, PortalFormat } from './portal-format.js';

/** "" is how these portals send an absent value. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());
/** A count or a code the portals send as "2" or 2. */
const digits = (description: string) => z.union([z.string().regex(/^\d{1,4}$/, 'must be a number'), z.number().int().min(0).max(9999)]).describe(description);

/** yyyyMMddHHmmss in Asia/Ho_Chi_Minh (§1.3). */
const PORTAL_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

export const dvcqgThSubmissionSchema = z
  .object({
    MaHoSo: lineText(100).min(1).describe("The portal's own dossier id: the same id is the same submission"),
    MaTTHC: z.string().regex(PROCEDURE_CODE_PATTERN, 'must be a national procedure code such as 1.001193').describe('National procedure code'),
    DonVi: agencyCodeSchema.describe("The receiving one-stop centre's identifier (MaDinhDanh)"),
    KenhThucHien: digits('1 in person, 2 online, 3 public post: the intake takes 2 only'),
    NgayNopHoSo: optional(z.string().regex(PORTAL_TIME, 'must be yyyyMMddHHmmss (Asia/Ho_Chi_Minh)')).describe('When the applicant submitted it, yyyyMMddHHmmss in Asia/Ho_Chi_Minh; the time of arrival if absent'),
    TrichYeuHoSo: optional(freeText({ max: 1000, multiline: true })).describe('Summary (not recorded at intake)'),
    ChuHoSo: applicantSchema.shape.fullName.describe("The applicant's name"),
    LoaiDoiTuong: optional(z.enum(['1', '2', '3', '4'])).describe('1 citizen (default), 2 enterprise, 3 state body, 4 other organisation'),
    SoGiayToChuHoSo: applicantSchema.shape.identityNumber.describe("The applicant's identity number (CCCD), or the organisation's code"),
    SoDienThoaiChuHoSo: optional(applicantSchema.shape.phone.unwrap()),
    EmailChuHoSo: optional(applicantSchema.shape.email.unwrap()),
    DiaChiChuHoSo: optional(applicantSchema.shape.address.unwrap()),
    MaDiaBan: optional(administrativeUnitCodeSchema).describe('The locality whose bodies resolve the dossier, if not the centre’s own commune'),
    Key: optional(z.string().max(500)).describe('Ignored: the bearer token authenticates the portal'),
    ThanhPhanHoSo: z
      .array(
        z.object({
          TenThanhPhan: lineText(2000).min(1).describe("The component's name as the procedure names it"),
          SoBanChinh: optional(digits('Originals')),
          SoBanSao: optional(digits('Copies')),
          TepDinhKem: z
            .array(
              z.object({
                Base64: z.string().min(1).describe('The bytes, standard base64 (RFC 4648 §4), padded, without line breaks'),
                TenTep: lineText(255).min(1).describe("The file's name"),
              }),
            )
            .max(20)
            .default([]),
        }),
      )
      .max(MAX_FILES_AT_RECEPTION)
      // A reception takes at most this many files in all (the ReceiveDossier command's limit), not per component.
      .refine((components) => components.reduce((sum, component) => sum + component.TepDinhKem.length, 0) <= MAX_FILES_AT_RECEPTION, `must list at most ${MAX_FILES_AT_RECEPTION} files in all; send further papers as a supplement`),
  });

/** A body to start from (the OpenAPI document's example). */
export const DVCQG_TH_EXAMPLE = {
        MaHoSo: 'H56.99-261203-0001',
        MaTTHC: '1.001193',
        DonVi: '000.00.31.H38',
        KenhThucHien: '2',
        NgayNopHoSo: '20261203081500',
        ChuHoSo: 'Nguyễn Thị Hoa',
        SoGiayToChuHoSo: '001190012345',
        SoDienThoaiChuHoSo: '0912345678',
        ThanhPhanHoSo: [{ TenThanhPhan: 'Tờ khai đăng ký khai sinh', SoBanChinh: '1', SoBanSao: '0', TepDinhKem: [{ TenTep: 'to-khai.pdf', Base64: 'JVBERi0xLjQK...' }] }],
      };

export type DvcqgThSubmission = z.infer<typeof dvcqgThSubmissionSchema>;

const CHANNEL_OF: Readonly<Record<string, Channel>> = { '1': 'counter', '2': 'online', '3': 'post' };

export const dvcqgThFormat: PortalFormat<DvcqgThSubmission> = {
  name: 'dvcqg-th',
  bodySchema: dvcqgThSubmissionSchema,
  adapt(body) {
    const time = body.NgayNopHoSo ? PORTAL_TIME.exec(body.NgayNopHoSo) : null;
    const kind = body.LoaiDoiTuong === undefined || body.LoaiDoiTuong === '1' ? 'citizen' : 'organisation';
    return {
      portalDossierId: body.MaHoSo,
      ...(time ? { submittedAt: `${time[1]}-${time[2]}-${time[3]}T${time[4]}:${time[5]}:${time[6]}+07:00` } : {}),
      agencyCode: body.DonVi,
      procedureCode: body.MaTTHC,
      // An unknown channel code reads as the counter's: refused as not online, naming KenhThucHien.
      channel: CHANNEL_OF[String(Number(body.KenhThucHien))] ?? 'counter',
      applicant: {
        kind,
        fullName: body.ChuHoSo,
        identityNumber: body.SoGiayToChuHoSo,
        ...(body.SoDienThoaiChuHoSo !== undefined ? { phone: body.SoDienThoaiChuHoSo } : {}),
        ...(body.EmailChuHoSo !== undefined ? { email: body.EmailChuHoSo } : {}),
        ...(body.DiaChiChuHoSo !== undefined ? { address: body.DiaChiChuHoSo } : {}),
      },
      ...(body.MaDiaBan !== undefined ? { locality: body.MaDiaBan } : {}),
      components: body.ThanhPhanHoSo.map((component, c) => ({
        ref: { kind: 'name', name: component.TenThanhPhan },
        field: `ThanhPhanHoSo[${c}].TenThanhPhan`,
        files: component.TepDinhKem.map((file, f): IntakeFile => ({ name: file.TenTep, content: { kind: 'base64', text: file.Base64 }, field: `ThanhPhanHoSo[${c}].TepDinhKem[${f}].Base64` })),
      })),
      fields: { portalDossierId: 'MaHoSo', agencyCode: 'DonVi', procedureCode: 'MaTTHC', channel: 'KenhThucHien', locality: 'MaDiaBan', applicant: 'ChuHoSo' },
    };
  },
};
