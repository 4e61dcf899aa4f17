// What the inbox needs to know of each outside system (docs/integrations.md#answers-from-the-systems):
// a narrow view of the `interagency` section of the outbox configuration, whose schema and secret
// resolution live with the outbound side (integrations/interagency/interagency-config.ts). The
// secrets here are already resolved. A system absent here is not connected: its callbacks answer 404.
import type { InteragencySystem } from '../../domain/interagency/systems.js';

export interface InboundSystemSettings {
  /** The HMAC key of its callbacks (resolved from its env:/file: reference). */
  readonly callbackSecret: string;
  /** The key it signed with before a rotation, still accepted until the deployment removes it (resolved). */
  readonly previousCallbackSecret?: string;
  /** How its answers arrive: by callback to POST /interagency/{system}/answers, or by the engine's poll. */
  readonly answers: 'callback' | 'poll';
  /** How long an answer waits for its predecessor before it is applied anyway. */
  readonly holdMinutes: number;
  /** Where it is polled (GET {baseUrl}/answers), with its bearer token (resolved). */
  readonly baseUrl: string;
  readonly token: string;
  readonly pollSeconds: number;
  /** A poll's own time limit; 10 s when absent. */
  readonly timeoutMs?: number;
}

export interface InteragencyInbound {
  readonly systems: Partial<Record<InteragencySystem, InboundSystemSettings>>;
}

/** The secrets a system's callbacks may be signed with: the current first, then the previous one during a rotation. */
export function callbackSecretsOf(settings: InboundSystemSettings): string[] {
  return [settings.callbackSecret, ...(settings.previousCallbackSecret ? [settings.previousCallbackSecret] : [])].filter((secret) => secret !== '');
}

/** The hold of a system's answers, in milliseconds (10 minutes when the system is not configured). */
export function holdMsOf(config: InteragencyInbound | undefined, system: InteragencySystem): number {
  return (config?.systems[system]?.holdMinutes ?? 10) * 60_000;
}
