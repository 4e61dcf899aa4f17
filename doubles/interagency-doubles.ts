// The three outside systems of the sample catalogue as loopback doubles, one listener each
// (docs/integrations.md#the-systems-doubles): the land information system and the civil-status
// system answer by callback, the tax authority's system is polled, so both ways are exercised.
// Started by `npm start` beside the outbox's doubles (doubles/outbox-doubles.ts) and by the
// end-to-end tests; `config()` gives the `interagency` section of the outbox configuration that
// reaches them, its tokens and callback secrets as references to files in `secretsDir`, as a
// deployment's would be.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InteragencySystem } from '../domain/interagency/systems.js';
import { startCivilStatusDouble } from './civil-status-double.js';
import type { AnswerMode, InteragencyDouble, InteragencyFaults } from './interagency-double.js';
import { startLandRegistryDouble } from './land-registry-double.js';
import { startTaxDouble } from './tax-double.js';

/**
 * One system of the `interagency` section (integrations/interagency/interagency-config.ts, helper
 * outbound's schema). Typed here loosely on purpose: the lead ties it to that schema at the merge.
 */
export interface InteragencySystemSection {
  readonly baseUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
  readonly answers: AnswerMode;
  readonly callbackSecret?: string;
  readonly pollSeconds?: number;
}
export interface InteragencySection {
  readonly callbackBaseUrl?: string;
  readonly systems: Readonly<Partial<Record<InteragencySystem, InteragencySystemSection>>>;
}

export interface InteragencyDoublesOptions {
  readonly secretsDir: string;
  /** Where callbacks go when a hand-off names none: `<engineUrl>/interagency/<system>/answers`. */
  readonly engineUrl?: string;
  /** The pause between the things each system does by itself (1 s by default; npm start: 20 s). */
  readonly answerDelayMs?: number;
  /** How each system answers (land-registry and civil-status: callback, tax: poll, by default). */
  readonly mode?: AnswerMode | Partial<Record<InteragencySystem, AnswerMode>>;
  /** The tax double pays by itself this long after its notice (never by default: POST /__pay). */
  readonly payAfterMs?: number;
  readonly faults?: Partial<Record<InteragencySystem, Partial<InteragencyFaults>>>;
  /** A callback not taken is retried with backoff up to this. */
  readonly retryMaxMs?: number;
  /** How often the engine polls a polled system (the config's pollSeconds; 2 by default). */
  readonly pollSeconds?: number;
}

export interface InteragencyDoubles {
  readonly land: InteragencyDouble;
  readonly tax: InteragencyDouble;
  readonly civil: InteragencyDouble;
  get(system: InteragencySystem): InteragencyDouble;
  /** The `interagency` section of the outbox configuration that reaches these doubles. */
  config(callbackBaseUrl?: string): InteragencySection;
  /** Where each double listens (GET /__inspect, POST /__faults). */
  urls(): Record<InteragencySystem, string>;
  close(): Promise<void>;
}

export const DEFAULT_ANSWER_MODES: Readonly<Record<InteragencySystem, AnswerMode>> = { 'land-registry': 'callback', tax: 'poll', 'civil-status': 'callback' };

export async function startInteragencyDoubles(options: InteragencyDoublesOptions): Promise<InteragencyDoubles> {
  mkdirSync(options.secretsDir, { recursive: true, mode: 0o700 });
  const secret = (name: string) => {
    const value = randomBytes(24).toString('base64url');
    const file = path.resolve(options.secretsDir, name);
    writeFileSync(file, value, { mode: 0o600 });
    return { value, reference: `file:${file}` };
  };
  const modeOf = (system: InteragencySystem): AnswerMode => (typeof options.mode === 'string' ? options.mode : (options.mode?.[system] ?? DEFAULT_ANSWER_MODES[system]));
  const credentials = {} as Record<InteragencySystem, { token: ReturnType<typeof secret>; callback: ReturnType<typeof secret> }>;
  const common = (system: InteragencySystem) => {
    credentials[system] = { token: secret(`${system}-token`), callback: secret(`${system}-callback-secret`) };
    return {
      token: credentials[system].token.value,
      mode: modeOf(system),
      callbackSecret: credentials[system].callback.value,
      ...(options.engineUrl ? { callbackUrl: `${options.engineUrl.replace(/\/$/, '')}/interagency/${system}/answers` } : {}),
      ...(options.answerDelayMs !== undefined ? { answerDelayMs: options.answerDelayMs } : {}),
      ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}),
      ...(options.faults?.[system] ? { faults: options.faults[system] } : {}),
    };
  };
  const land = await startLandRegistryDouble(common('land-registry'));
  const tax = await startTaxDouble({ ...common('tax'), ...(options.payAfterMs !== undefined ? { payAfterMs: options.payAfterMs } : {}) });
  const civil = await startCivilStatusDouble(common('civil-status'));
  const all: Record<InteragencySystem, InteragencyDouble> = { 'land-registry': land, tax, 'civil-status': civil };
  return {
    land,
    tax,
    civil,
    get: (system) => all[system],
    config(callbackBaseUrl) {
      const systems = Object.fromEntries(
        (Object.keys(all) as InteragencySystem[]).map((system) => {
          const double = all[system];
          const section: InteragencySystemSection = {
            baseUrl: double.url,
            token: credentials[system].token.reference,
            timeoutMs: 10_000,
            answers: double.mode,
            ...(double.mode === 'callback' ? { callbackSecret: credentials[system].callback.reference } : { pollSeconds: options.pollSeconds ?? 2 }),
          };
          return [system, section];
        }),
      );
      return { ...(callbackBaseUrl ? { callbackBaseUrl } : {}), systems };
    },
    urls: () => ({ 'land-registry': land.url, tax: tax.url, 'civil-status': civil.url }),
    async close() {
      await Promise.allSettled([land.close(), tax.close(), civil.close()]);
    },
  };
}
