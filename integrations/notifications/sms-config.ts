// The `sms` section of the outbox configuration (MOTCUA_OUTBOX_CONFIG, docs/integrations.md#sms-and-zalo):
// which SMS brandname gateway each one-stop unit sends through (docs/integrations.md#sms-and-zalo-configuration: the provider is
// chosen per unit, as Thanh Hóa's Groups.SmsConfig does with NhaMang = Viettel or Vina), the
// operators' mobile prefixes, and the call's deadline. Credentials are secret references.
//
// VNPT (VinaPhone "smsmarketing" JSON API): a registered-template model. Each message names a
// TEMPLATEID registered with the label (brandname) and fills its numbered PARAMS. `templates` maps
// a notice trigger to its template and the names of the values that fill PARAMS 1..n, in order;
// `textTemplateId`, when set, is a template of one parameter that takes a whole rendered text.
// Viettel (bulkSms CcApi SOAP `wsCpMt`): plain text under the brandname (ServiceID).
import { z } from 'zod';
import { NOTICE_TRIGGERS } from '../../domain/outbox/deliveries.js';
import { secretReferenceSchema } from '../../platform/secret-reference.js';

/**
 * Vietnamese mobile prefixes per operator, after the 2018 renumbering, as `84` + the two digits
 * that follow (docs/integrations.md#sms-and-zalo-configuration: operator prefixes are configured). A deployment replaces the
 * list when the numbering plan changes; a number matching none is refused as not a mobile number.
 */
export const DEFAULT_OPERATOR_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  viettel: ['8432', '8433', '8434', '8435', '8436', '8437', '8438', '8439', '8486', '8496', '8497', '8498'],
  vinaphone: ['8481', '8482', '8483', '8484', '8485', '8488', '8491', '8494'],
  mobifone: ['8470', '8476', '8477', '8478', '8479', '8489', '8490', '8493'],
  vietnamobile: ['8452', '8456', '8458', '8492'],
  gmobile: ['8459', '8499'],
  itelecom: ['8487'],
  reddi: ['8455'],
};

const text = (max: number) => z.string().min(1).max(max);
const digits = z.string().regex(/^[0-9]{1,20}$/, 'must be the digits the gateway issued');

/** A gateway's error codes a deployment knows better than the defaults (see the channel's classification). */
const errorCodesSchema = z
  .object({
    /** Codes a retry cannot change (dead-lettered at once). */
    permanent: z.array(z.string().max(40)).max(100).optional(),
    /** Codes that say "later" (retried with backoff). Codes in neither list are retried too. */
    transient: z.array(z.string().max(40)).max(100).optional(),
  })
  .strict();

export const vnptSmsSchema = z
  .object({
    provider: z.literal('vnpt'),
    /** The RQST endpoint, e.g. http://<gateway>:8888/smsmarketing/api. */
    url: z.url(),
    /** USERNAME of RQST: the account the label belongs to. */
    username: text(100),
    /** When the gateway sits behind HTTP Basic auth: its password (the user is `username`). */
    password: secretReferenceSchema.optional(),
    labelId: digits,
    contractTypeId: digits,
    contractId: digits,
    agentId: digits,
    apiUser: text(100),
    apiPass: secretReferenceSchema,
    /** ISTELCOSUB as the contract says ("0" in every public sample). */
    isTelcoSub: z.string().regex(/^[0-9]$/).default('0'),
    /** DATACODING: "0" plain ASCII (GSM 7-bit; the templates' ASCII variant), "8" Unicode (UCS-2). */
    dataCoding: z.enum(['0', '8']).default('0'),
    /** Per trigger: the registered template and the names of the values that fill PARAMS 1..n. */
    templates: z
      .partialRecord(z.enum(NOTICE_TRIGGERS), z.object({ templateId: digits, params: z.array(text(60)).max(20) }).strict())
      .default({}),
    /** A registered template of one parameter that takes a whole rendered text. */
    textTemplateId: digits.optional(),
    /** REQID: the delivery key's SHA-256, in hex, cut to this many characters (the gateway's column). */
    reqIdLength: z.number().int().min(8).max(64).default(20),
    errorCodes: errorCodesSchema.optional(),
  })
  .strict();
export type VnptSmsConfig = z.infer<typeof vnptSmsSchema>;

export const viettelSmsSchema = z
  .object({
    provider: z.literal('viettel'),
    /** The CcApi SOAP endpoint (e.g. http://<gateway>:8998/bulkapi). */
    url: z.url(),
    user: text(100),
    password: secretReferenceSchema,
    cpCode: text(100),
    /** ServiceID: the brandname as registered. */
    serviceId: text(40),
    commandCode: text(40).default('bulksms'),
    /** ContentType: "0" plain ASCII (the templates' ASCII variant), "1" Unicode. */
    contentType: z.enum(['0', '1']).default('0'),
    /** RequestID: the delivery key's SHA-256, in hex, cut to this many characters. */
    requestIdLength: z.number().int().min(8).max(64).default(20),
  })
  .strict();
export type ViettelSmsConfig = z.infer<typeof viettelSmsSchema>;

export const smsProviderSchema = z.discriminatedUnion('provider', [vnptSmsSchema, viettelSmsSchema]);
export type SmsProviderConfig = z.infer<typeof smsProviderSchema>;

export const smsConfigSchema = z
  .object({
    /** The gateway of every unit not named in `units`. */
    default: smsProviderSchema,
    /** Per one-stop unit (agency code of the receiving unit): its own gateway and brandname. */
    units: z.record(z.string().regex(/^[0-9A-Za-z.]{1,40}$/, 'must be an agency code'), smsProviderSchema).default({}),
    /** Mobile prefixes per operator (`84` + two digits); a number matching none is refused. */
    operatorPrefixes: z.record(z.string().max(40), z.array(z.string().regex(/^84[0-9]{1,4}$/)).min(1)).default(() => ({ ...DEFAULT_OPERATOR_PREFIXES }) as Record<string, string[]>),
    /** Each call's deadline; a gateway that has not answered by then is retried. */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();
export type SmsConfig = z.infer<typeof smsConfigSchema>;

/** The gateway configured for a unit. */
export function smsProviderFor(config: SmsConfig, agencyCode: string | undefined): SmsProviderConfig {
  return (agencyCode !== undefined && Object.hasOwn(config.units, agencyCode) ? config.units[agencyCode] : undefined) ?? config.default;
}
