// The outbox's configuration (docs/integrations.md#configuration): one JSON file named by
// MOTCUA_OUTBOX_CONFIG, checked at start-up, so a deployment that names a receiver but not its
// endpoint or its credentials does not start. Credentials are secret references
// (platform/secret-reference.ts), never values. A receiver left out is not sent to: nothing is
// planned for it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NOTICE_CHANNELS, NOTICE_TRIGGERS, type NoticeChannel } from '../../domain/outbox/deliveries.js';
import type { DeliveryPolicy } from '../../domain/outbox/plan-deliveries.js';
import type { DeliveryLaneSettings } from '../../workflows/delivery-lane.js';

const clockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time of day as HH:MM (Vietnam time)');

export const deliverySettingsSchema = z
  .object({
    /** The first retry's wait; each next one doubles up to the ceiling. */
    firstRetrySeconds: z.number().min(0.1).max(600).default(1),
    retryCeilingSeconds: z.number().min(1).max(86_400).default(300),
    /** How long a delivery may keep failing before it is dead-lettered. */
    deadLetterAfterMinutes: z.number().min(0.05).max(7 * 24 * 60).default(60),
    /** Longer than a receiver's slowest attempt (every call it makes at its own timeout), so an attempt Temporal gave up on is not still sending when the next one runs. */
    attemptTimeoutSeconds: z.number().min(1).max(1800).default(300),
    idleMinutes: z.number().min(0.05).max(24 * 60).default(10),
  })
  .strict();

export const noticePolicySchema = z
  .object({
    /** The channels for applicants who made no choice, most preferred first. */
    defaultChannels: z.array(z.enum(NOTICE_CHANNELS)).max(3).default(['sms', 'email']),
    /** One message per notice, on the first usable channel (true), or one on each usable channel. */
    preferredOnly: z.boolean().default(true),
    disabledTriggers: z.array(z.enum(NOTICE_TRIGGERS)).default([]),
    /** No message in these hours, Vietnam time; e-mail is not held back unless named. */
    quietHours: z
      .partialRecord(z.enum(NOTICE_CHANNELS), z.object({ from: clockTime, to: clockTime }).strict())
      .default({ sms: { from: '21:00', to: '07:00' }, zalo: { from: '21:00', to: '07:00' } }),
  })
  .strict();

/** The sections every deployment has; each receiver's own section is added by its adapter (integrations/outbox/channels.ts). */
export const outboxBaseSchema = z.object({
  /** The API's address as the portal and citizens reach it: the links in notices and in the portal's sync. */
  publicBaseUrl: z.url().describe("The API's public address, for the links the portal and citizens follow"),
  delivery: deliverySettingsSchema.default(deliverySettingsSchema.parse({})),
  notices: noticePolicySchema.default(noticePolicySchema.parse({})),
});

export class OutboxConfigInvalid extends Error {
  override readonly name = 'OutboxConfigInvalid';
}

/** Reads and checks a configuration file against a schema; the error names the file, the field and the rule. */
export function readOutboxConfigFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OutboxConfigInvalid(`MOTCUA_OUTBOX_CONFIG ${file}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new OutboxConfigInvalid(`MOTCUA_OUTBOX_CONFIG ${file} is not a valid outbox configuration (docs/integrations.md#configuration):\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function laneSettingsOf(delivery: z.infer<typeof deliverySettingsSchema>): DeliveryLaneSettings {
  return {
    firstRetryMs: Math.round(delivery.firstRetrySeconds * 1000),
    retryCeilingMs: Math.round(delivery.retryCeilingSeconds * 1000),
    deadLetterAfterMs: Math.round(delivery.deadLetterAfterMinutes * 60_000),
    attemptTimeoutMs: Math.round(delivery.attemptTimeoutSeconds * 1000),
    idleMs: Math.round(delivery.idleMinutes * 60_000),
  };
}

/** What the planner plans: the portal when it is configured, notices on the channels that are. */
export function deliveryPolicyOf(notices: z.infer<typeof noticePolicySchema>, configured: { readonly portal: boolean; readonly channels: readonly NoticeChannel[] }): DeliveryPolicy {
  return {
    portal: configured.portal,
    notices: {
      enabled: configured.channels,
      defaultChannels: notices.defaultChannels,
      preferredOnly: notices.preferredOnly,
      disabledTriggers: notices.disabledTriggers,
      quietHours: notices.quietHours,
    },
  };
}
