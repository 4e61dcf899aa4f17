// The national payment platform's settings (docs/integrations.md#online-payment), from MOTCUA_PAYMENT_*:
// where INIT, QUERY and RECEIPT go, the partner code (MaDoiTac) and secret the platform gave this
// engine, its bearer token, and the query sweep's timing. Without MOTCUA_PAYMENT_INIT_URL online
// payment is not offered (the citizen's routes answer 404 and the callback refuses everything).
import { z } from 'zod';

export interface PaymentSettings {
  readonly initUrl: string;
  readonly queryUrl: string;
  readonly receiptUrl: string;
  /** MaDoiTac. */
  readonly partnerCode: string;
  /** The MaXacThuc secret; `previousSecret` is also accepted on callbacks during a rotation. */
  readonly secret: string;
  readonly previousSecret?: string;
  /** Sent as `Authorization: Bearer …` with every request. */
  readonly token: string;
  /** A request to the platform that takes longer is given up (and retried by whoever asked). */
  readonly timeoutMs: number;
  /** MaDVC = MaTTHC + this (TH: ".01"). */
  readonly serviceSuffix: string;
  /** The beneficiary account printed on the receipt, when the platform asks the partner for it. */
  readonly beneficiary?: { readonly account: string; readonly bankCode: string; readonly name: string };
  /** The query sweep (worker/payment-sweep.ts). */
  readonly sweep: PaymentSweepSettings;
  /** How long a payment page is offered again before the citizen's start makes a new attempt (default 15 min, domain/payment/attempts.ts). */
  readonly pageValidityMs?: number;
}

export interface PaymentSweepSettings {
  /** How often the sweep runs (TH: every 33 min). */
  readonly everyMs: number;
  /** A transaction is queried once it is this old without a callback (TH: 30 min)… */
  readonly minAgeMs: number;
  /** …and no longer once it is this old (TH: 3 days); it stays `khoi-tao` for a person to look at. */
  readonly maxAgeMs: number;
}

export const DEFAULT_SWEEP: PaymentSweepSettings = { everyMs: 33 * 60_000, minAgeMs: 30 * 60_000, maxAgeMs: 3 * 24 * 3_600_000 };

/** The environment variables, as platform/environment.ts reads them. */
export const paymentEnvironmentShape = {
  /** The platform's InitUrl; unset: online payment is not offered. */
  MOTCUA_PAYMENT_INIT_URL: z.url().optional(),
  /** CheckConfirmUrl (QUERY). */
  MOTCUA_PAYMENT_QUERY_URL: z.url().optional(),
  /** InitReceiptUrl (RECEIPT). */
  MOTCUA_PAYMENT_RECEIPT_URL: z.url().optional(),
  MOTCUA_PAYMENT_PARTNER_CODE: z.string().regex(/^[\x21-\x7e]{1,50}$/, 'must be 1 to 50 visible ASCII characters').optional(),
  MOTCUA_PAYMENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MOTCUA_PAYMENT_PREVIOUS_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MOTCUA_PAYMENT_TOKEN: z.string().min(1).optional(),
  MOTCUA_PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  MOTCUA_PAYMENT_SERVICE_SUFFIX: z.string().max(20).default('.01'),
  MOTCUA_PAYMENT_BENEFICIARY_ACCOUNT: z.string().min(1).max(50).optional(),
  MOTCUA_PAYMENT_BENEFICIARY_BANK: z.string().min(1).max(50).optional(),
  MOTCUA_PAYMENT_BENEFICIARY_NAME: z.string().min(1).max(500).optional(),
  MOTCUA_PAYMENT_SWEEP_MINUTES: z.coerce.number().min(0.01).max(24 * 60).default(33),
  MOTCUA_PAYMENT_QUERY_MIN_AGE_MINUTES: z.coerce.number().min(0).max(24 * 60).default(30),
  MOTCUA_PAYMENT_QUERY_MAX_AGE_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(72),
  /** A payment page older than this is not offered again: the citizen's start makes a new attempt (a new INIT). */
  MOTCUA_PAYMENT_PAGE_MINUTES: z.coerce.number().min(0.01).max(24 * 60).default(15),
} as const;

type PaymentEnvironment = z.infer<z.ZodObject<typeof paymentEnvironmentShape>>;

/** The settings, or undefined when MOTCUA_PAYMENT_INIT_URL is unset; throws naming what is missing when it is set. */
export function paymentSettingsFromEnvironment(env: PaymentEnvironment): PaymentSettings | undefined {
  if (!env.MOTCUA_PAYMENT_INIT_URL) return undefined;
  const missing = (['MOTCUA_PAYMENT_QUERY_URL', 'MOTCUA_PAYMENT_RECEIPT_URL', 'MOTCUA_PAYMENT_PARTNER_CODE', 'MOTCUA_PAYMENT_SECRET', 'MOTCUA_PAYMENT_TOKEN'] as const).filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`MOTCUA_PAYMENT_INIT_URL is set, so online payment is on, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not: set them (docs/integrations.md#online-payment) or unset MOTCUA_PAYMENT_INIT_URL`);
  const beneficiary = env.MOTCUA_PAYMENT_BENEFICIARY_ACCOUNT && env.MOTCUA_PAYMENT_BENEFICIARY_BANK && env.MOTCUA_PAYMENT_BENEFICIARY_NAME ? { account: env.MOTCUA_PAYMENT_BENEFICIARY_ACCOUNT, bankCode: env.MOTCUA_PAYMENT_BENEFICIARY_BANK, name: env.MOTCUA_PAYMENT_BENEFICIARY_NAME } : undefined;
  return {
    initUrl: env.MOTCUA_PAYMENT_INIT_URL,
    queryUrl: env.MOTCUA_PAYMENT_QUERY_URL!,
    receiptUrl: env.MOTCUA_PAYMENT_RECEIPT_URL!,
    partnerCode: env.MOTCUA_PAYMENT_PARTNER_CODE!,
    secret: env.MOTCUA_PAYMENT_SECRET!,
    ...(env.MOTCUA_PAYMENT_PREVIOUS_SECRET ? { previousSecret: env.MOTCUA_PAYMENT_PREVIOUS_SECRET } : {}),
    token: env.MOTCUA_PAYMENT_TOKEN!,
    timeoutMs: env.MOTCUA_PAYMENT_TIMEOUT_MS,
    serviceSuffix: env.MOTCUA_PAYMENT_SERVICE_SUFFIX,
    ...(beneficiary ? { beneficiary } : {}),
    pageValidityMs: env.MOTCUA_PAYMENT_PAGE_MINUTES * 60_000,
    sweep: { everyMs: env.MOTCUA_PAYMENT_SWEEP_MINUTES * 60_000, minAgeMs: env.MOTCUA_PAYMENT_QUERY_MIN_AGE_MINUTES * 60_000, maxAgeMs: env.MOTCUA_PAYMENT_QUERY_MAX_AGE_HOURS * 3_600_000 },
  };
}

/** The secrets a callback's MaXacThuc may be made with. */
export function callbackSecrets(settings: Pick<PaymentSettings, 'secret' | 'previousSecret'>): string[] {
  return settings.previousSecret ? [settings.secret, settings.previousSecret] : [settings.secret];
}
