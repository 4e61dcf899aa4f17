// The e-mail channel's configuration (the `email` section of MOTCUA_OUTBOX_CONFIG, docs/integrations.md
// "Citizen notices"): the SMTP relay the engine hands notices to, its credentials as a secret
// reference (platform/secret-reference.ts), the sender, and each unit's own sender where it has one.
import { z } from 'zod';
import { agencyCodeSchema } from '../../domain/dossier/actor.js';
import { secretReferenceSchema } from '../../platform/secret-reference.js';

const senderSchema = z
  .object({
    address: z.email().max(320).describe('The From address'),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\u0000-\u001F\u007F-\u009F"<>]*$/u, 'must be one line without quotes or angle brackets')
      .describe('The From display name, e.g. "Bộ phận Một cửa UBND xã Hòa Bình"'),
  })
  .strict();

export const emailConfigSchema = z
  .object({
    host: z.string().min(1).max(253).describe('The SMTP relay (submission server)'),
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless STARTTLS succeeds (for a relay outside the host). */
    requireTLS: z.boolean().default(true),
    auth: z
      .object({
        user: z.string().min(1).max(320),
        password: secretReferenceSchema,
      })
      .strict()
      .optional(),
    from: senderSchema,
    /** A unit's own sender (its own address and name), by agency code; the default `from` otherwise. */
    units: z.record(agencyCodeSchema, z.object({ from: senderSchema }).strict()).optional(),
    /** The right-hand side of the Message-ID (<key@domain>); the From address's domain by default. */
    messageIdDomain: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'must be a domain name such as motcua.hoabinh.gov.vn')
      .optional(),
    /** One deadline for connecting, the greeting and each answer of the server. */
    timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
  })
  .strict();
export type EmailConfig = z.infer<typeof emailConfigSchema>;
