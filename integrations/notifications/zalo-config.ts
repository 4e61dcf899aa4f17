// The `zalo` section of the outbox configuration (MOTCUA_OUTBOX_CONFIG, docs/integrations.md#sms-and-zalo):
// the Official Account's app that sends Zalo ZNS template messages (docs/integrations.md#sms-and-zalo-configuration: to a phone
// number, no follow needed, pre-approved templates) and the OAuth app that keeps its access token
// fresh. Every credential is a secret reference. Refresh tokens rotate: the one configured here is
// only the first; each refresh hands back the next (zalo-channel.ts says where to keep it).
import { z } from 'zod';
import { secretReferenceSchema } from '../../platform/secret-reference.js';

export const zaloConfigSchema = z
  .object({
    /** Where `/message/template` lives. */
    baseUrl: z.url().default('https://business.openapi.zalo.me'),
    /** Where `/v4/oa/access_token` lives. */
    oauthBaseUrl: z.url().default('https://oauth.zaloapp.com'),
    /** The Zalo app's id (app_id of the refresh). */
    appId: z.string().regex(/^[0-9A-Za-z_-]{1,40}$/, 'must be the Zalo app id'),
    /** The app's secret key (header secret_key of the refresh). */
    secretKey: secretReferenceSchema,
    /** The OA's refresh token as first issued. */
    refreshToken: secretReferenceSchema,
    /** An access token to start with; without it the channel refreshes before its first message. */
    accessToken: secretReferenceSchema.optional(),
    /** tracking_id is the delivery key when it fits, else the key's SHA-256 (hex) cut to this length. */
    trackingIdMaxLength: z.number().int().min(16).max(128).default(64),
    /** Each call's deadline. */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** ZNS error codes a deployment knows better than the defaults (zalo-channel.ts ZNS_ERROR_CODES). */
    errorCodes: z
      .object({
        /** The access token is expired or invalid: refresh and resend once. */
        refresh: z.array(z.number().int()).max(50).optional(),
        /** A retry cannot change it (dead-lettered at once). Codes in neither list are retried. */
        permanent: z.array(z.number().int()).max(100).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ZaloConfig = z.infer<typeof zaloConfigSchema>;
