// The `interagency` section of the outbox configuration (MOTCUA_OUTBOX_CONFIG,
// docs/integrations.md#handing-steps-over): the other agencies' systems this deployment connects,
// each with its address, its credentials (secret references, platform/secret-reference.ts, never
// values) and how it answers: by calling back the engine's authenticated route, or by being polled.
// A system left out is not handed anything: its steps are done by the body's officers in the engine.
import { z } from 'zod';
import { INTERAGENCY_SYSTEMS, type InteragencySystem } from '../../domain/interagency/systems.js';
import { resolveSecret, secretReferenceSchema } from '../../platform/secret-reference.js';
import type { InteragencyInbound } from './inbound-config.js';

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

export const interagencySystemConfigSchema = z
  .object({
    /** Where the system's endpoints are: the engine POSTs `{baseUrl}/steps` and, when polling, GETs `{baseUrl}/answers`. */
    baseUrl: absoluteUrl.describe("The system's base address"),
    /** The bearer token the engine presents to the system (hand-offs and polls). */
    token: secretReferenceSchema,
    /** Each HTTP call's deadline. */
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /** How the system answers: it calls `POST /interagency/<system>/answers`, or the engine polls it. */
    answers: z.enum(['callback', 'poll']),
    /** The key the system signs its callbacks with (HMAC-SHA256): required when it calls back. */
    callbackSecret: secretReferenceSchema.optional(),
    /**
     * The key it signed with before `callbackSecret` was rotated: still accepted while set, so the
     * system can switch over at its own time (docs/integrations.md#rotating-a-callback-secret). Remove it once done.
     */
    previousCallbackSecret: secretReferenceSchema.optional(),
    /** How often the engine polls a system that answers by poll. */
    pollSeconds: z.number().min(1).max(3600).default(30),
    /** How long an answer whose predecessor (sequence − 1) has not arrived is held before it is applied anyway. */
    holdMinutes: z.number().min(0).max(7 * 24 * 60).default(10),
  })
  .strict()
  .refine((system) => system.answers !== 'callback' || system.callbackSecret !== undefined, {
    message: 'a system that answers by callback needs callbackSecret, the secret reference of the key it signs its callbacks with',
    path: ['callbackSecret'],
  });
export type InteragencySystemConfig = z.infer<typeof interagencySystemConfigSchema>;

export const interagencyConfigSchema = z
  .object({
    /** The engine's address as the systems reach it for their callbacks; publicBaseUrl when absent. */
    callbackBaseUrl: absoluteUrl.optional(),
    systems: z.partialRecord(z.enum(INTERAGENCY_SYSTEMS), interagencySystemConfigSchema),
  })
  .strict();
export type InteragencyConfig = z.infer<typeof interagencyConfigSchema>;

/** The systems a configuration connects, in the order INTERAGENCY_SYSTEMS lists them. */
export function configuredSystems(config: InteragencyConfig | undefined): InteragencySystem[] {
  return INTERAGENCY_SYSTEMS.filter((system) => config?.systems[system] !== undefined);
}

/** A connected system's section, or undefined when the deployment does not connect it. */
export function systemConfig(config: InteragencyConfig | undefined, system: InteragencySystem): InteragencySystemConfig | undefined {
  return config?.systems[system];
}

/** Where a system calls back: `<callbackBaseUrl or publicBaseUrl>/interagency/<system>/answers`. */
export function callbackUrl(config: InteragencyConfig, publicBaseUrl: string, system: InteragencySystem): string {
  return `${(config.callbackBaseUrl ?? publicBaseUrl).replace(/\/+$/, '')}/interagency/${system}/answers`;
}

/**
 * The bearer token the engine presents to a system. Resolved when called (never stored in the
 * configuration object, never logged); throws SecretUnavailable naming the setting.
 */
export function systemToken(config: InteragencyConfig, system: InteragencySystem, env: NodeJS.ProcessEnv = process.env): string {
  const section = config.systems[system];
  if (!section) throw new Error(`interagency.systems.${system} is not configured`);
  return resolveSecret(section.token, `interagency.systems.${system}.token`, env);
}

/**
 * The key a system signs its callbacks with, for the callback route's HMAC check; undefined when
 * the system is not configured or is polled. Resolved when called; never log it.
 */
export function systemCallbackSecret(config: InteragencyConfig, system: InteragencySystem, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const section = config.systems[system];
  if (!section || section.answers !== 'callback' || !section.callbackSecret) return undefined;
  return resolveSecret(section.callbackSecret, `interagency.systems.${system}.callbackSecret`, env);
}

/** How long one hand-off attempt may take at worst: one call at its deadline, for the slowest system. */
export function slowestHandOffMs(config: InteragencyConfig | undefined): number {
  return Math.max(0, ...configuredSystems(config).map((system) => config!.systems[system]!.timeoutMs));
}

/**
 * The inbox's view of the section (integrations/interagency/inbound-config.ts), its secrets
 * resolved: what the API's callback route and the relay's sweep and poller need. Throws
 * SecretUnavailable naming the setting when a secret cannot be read, so a start fails early.
 */
export function inboundOf(config: InteragencyConfig | undefined, env: NodeJS.ProcessEnv = process.env): InteragencyInbound {
  return {
    systems: Object.fromEntries(
      configuredSystems(config).map((system) => {
        const section = config!.systems[system]!;
        return [
          system,
          {
            callbackSecret: systemCallbackSecret(config!, system, env) ?? '',
            ...(section.answers === 'callback' && section.previousCallbackSecret ? { previousCallbackSecret: resolveSecret(section.previousCallbackSecret, `interagency.systems.${system}.previousCallbackSecret`, env) } : {}),
            answers: section.answers,
            holdMinutes: section.holdMinutes,
            baseUrl: section.baseUrl,
            token: systemToken(config!, system, env),
            pollSeconds: section.pollSeconds,
            timeoutMs: section.timeoutMs,
          },
        ];
      }),
    ),
  };
}
