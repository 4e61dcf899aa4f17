// Agencies (cơ quan): the one-stop centres that receive dossiers, the specialist offices that process
// them, and the external bodies of an interagency route (land registration office, tax office).
// Codes follow QCVN 102:2016 and are the prefix of every dossier code the agency receives.
import { z } from 'zod';
import { freeText, lineText } from '../text.js';
import { agencyScheduleSchema } from '../calendar/calendar-schemas.js';
import { agencyCodeSchema } from '../dossier/actor.js';

export const AGENCY_KINDS = [
  'one-stop-centre', // Bộ phận Một cửa / Trung tâm Phục vụ hành chính công
  'specialist-office', // cơ quan chuyên môn
  'external-body', // cơ quan phối hợp liên thông: Văn phòng đăng ký đất đai, Chi cục Thuế, …
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const agencySchema = z.object({
  code: agencyCodeSchema,
  name: freeText({ max: 1000 }).describe('Official Vietnamese name'),
  kind: z.enum(AGENCY_KINDS),
  parentCode: agencyCodeSchema.nullable().default(null),
  /** The superior body named above the agency in a document's header (cơ quan chủ quản), e.g. UBND xã Hòa Bình. */
  superior: freeText({ max: 1000 }).optional(),
  /** The place name (địa danh) a document is dated at, e.g. Hòa Bình. */
  place: freeText({ max: 200 }).optional(),
  /** The holiday calendar the agency follows (the civil-service calendar for every state agency). */
  calendarId: lineText(100).default('vn-civil-service'),
  schedule: agencyScheduleSchema.prefault({}),
  /**
   * The certificates the agency signs its results with, as SHA-256 fingerprints of the DER
   * certificate (lower-case hex). When present, only these count as the agency's signature; when
   * absent, a trusted certificate whose subject names the agency's code (organizationIdentifier or
   * OU) does (domain/catalogue/signing-identity.ts, docs/decisions/0017).
   */
  signingCertificates: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256 fingerprint of the DER certificate'))
    .max(50)
    .optional(),
});
export type Agency = z.infer<typeof agencySchema>;
