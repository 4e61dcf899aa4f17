// The `notices` section of MOTCUA_OUTBOX_CONFIG that is about what the notices say (docs/integrations.md
// "Citizen notices"): the deployment's and each unit's wording over the built-in templates, and the
// payment page's address once online payment exists (until then the notices say it does not).
import { z } from 'zod';
import type { NoticeContentOptions } from '../../domain/notifications/notice-content.js';
import { noticeTemplatesConfigSchema } from '../../domain/notifications/templates.js';

export const noticesConfigSchema = z
  .object({
    templates: noticeTemplatesConfigSchema.optional(),
    /**
     * The payment page for a financial obligation, with {maHoSo} and {soThongBao} standing for the
     * dossier code and the notice number (URL-encoded). Absent: no link, and the notice says online
     * payment is not available.
     */
    paymentLink: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .refine((url) => !/\{(?!maHoSo\}|soThongBao\})/.test(url), 'may hold only the placeholders {maHoSo} and {soThongBao}')
      .optional(),
    /**
     * The page that pays a payment request (docs/rules.md#payment-requests-and-online-payments), with
     * {maHoSo} and {maThanhToan} standing for the dossier code and the request's reference
     * (URL-encoded). Absent: the notice tells the applicant to pay from the dossier's lookup.
     */
    paymentRequestLink: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .refine((url) => !/\{(?!maHoSo\}|maThanhToan\})/.test(url), 'may hold only the placeholders {maHoSo} and {maThanhToan}')
      .optional(),
  })
  .strict();
export type NoticesConfig = z.infer<typeof noticesConfigSchema>;

/** The payment link of a payment request, when the deployment configured one. */
export function paymentRequestLinkOf(config: NoticesConfig | undefined): NoticeContentOptions['paymentRequestLink'] {
  const template = config?.paymentRequestLink;
  if (!template) return undefined;
  return (dossierCode, reference) => template.replaceAll('{maHoSo}', encodeURIComponent(dossierCode)).replaceAll('{maThanhToan}', encodeURIComponent(reference));
}

/** The payment link of an obligation, when the deployment configured one. */
export function paymentLinkOf(config: NoticesConfig | undefined): NoticeContentOptions['paymentLink'] {
  const template = config?.paymentLink;
  if (!template) return undefined;
  return (dossierCode, noticeNumber) => template.replaceAll('{maHoSo}', encodeURIComponent(dossierCode)).replaceAll('{soThongBao}', encodeURIComponent(noticeNumber));
}
