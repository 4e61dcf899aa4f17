// The port between a portal's own body and the engine's intake (docs/portal-intake.md#formats).
// A format says what its body is (a zod schema, which the OpenAPI document shows as it is) and how
// it becomes an IntakeSubmission, naming every field by its path in the portal's body so a refusal
// points at what the portal sent. Another portal's format is one adapter more: a file beside
// native-format.ts and dvcqg-th-format.ts, and a line in api/routes/portal-intake.ts.
import type { z } from 'zod';
import type { Applicant, Channel } from '../../domain/dossier/commands.js';

/** A file as the portal sent it: base64 inside the body, or a multipart part of the request. */
export interface IntakeFile {
  /** The file's name as the portal gave it: personal data, never logged. */
  readonly name: string;
  readonly content: { readonly kind: 'base64'; readonly text: string } | { readonly kind: 'part'; readonly part: string };
  /** The SHA-256 the portal declares for the bytes, checked against them. */
  readonly sha256?: string;
  /** Where its content is in the portal's body (or the part's name), for a refusal. */
  readonly field: string;
}

/** A component as the portal named it: by the procedure's component id, or by its name. */
export interface IntakeComponent {
  readonly ref: { readonly kind: 'id'; readonly componentId: string } | { readonly kind: 'name'; readonly name: string };
  /** Where the component's id or name is in the portal's body. */
  readonly field: string;
  readonly files: readonly IntakeFile[];
}

/** An online submission in the engine's terms, whatever the portal's format. */
export interface IntakeSubmission {
  readonly portalDossierId: string;
  /** When the applicant submitted it on the portal; the time of arrival when the format has none. */
  readonly submittedAt?: string;
  readonly agencyCode: string;
  readonly procedureCode: string;
  readonly channel: Channel;
  readonly applicant: Applicant;
  readonly locality?: string;
  readonly assuranceLevel?: number;
  readonly components: readonly IntakeComponent[];
  /** The path in the portal's body of each of the engine's reception fields. */
  readonly fields: IntakeFieldPaths;
}

export type IntakeField = 'portalDossierId' | 'agencyCode' | 'procedureCode' | 'channel' | 'locality' | 'applicant';
export type IntakeFieldPaths = Readonly<Record<IntakeField, string>>;

export interface PortalFormat<Body> {
  /** The format's name, in the docs and the canonical digest: `native`, `dvcqg-th`. */
  readonly name: string;
  /** The portal's body; unknown fields are dropped. */
  readonly bodySchema: z.ZodType<Body>;
  adapt(body: Body): IntakeSubmission;
}

/** A zod issue path as the portal reads it: `ThanhPhanHoSo[1].TepDinhKem[0].Base64`. */
export function portalPath(path: readonly PropertyKey[], prefix = ''): string {
  let text = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(body)' : text;
}
