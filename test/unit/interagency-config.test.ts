import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callbackUrl, configuredSystems, systemCallbackSecret, systemToken } from '../../integrations/interagency/interagency-config.js';
import { createOutbox, loadOutboxConfig, outboxConfigSchema } from '../../integrations/outbox/channels.js';
import { createLogger } from '../../platform/logger.js';

// The `interagency` section of the outbox configuration: which systems carry out steps, how they
// are reached and how they answer; checked at start-up with errors that name the field.
const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-interagency-config-'));
const file = (name: string, content: unknown) => {
  const at = path.join(dir, name);
  writeFileSync(at, JSON.stringify(content));
  return at;
};
const deps = { lookupKey: 'k'.repeat(32), fileLinkKey: 'f'.repeat(32), logger: createLogger({ level: 'silent' }), env: { LAND_TOKEN: 'land-token', LAND_CALLBACK: 'land-key', TAX_TOKEN: 'tax-token' } };
const LAND = { baseUrl: 'http://127.0.0.1:7301', token: 'env:LAND_TOKEN', answers: 'callback', callbackSecret: 'env:LAND_CALLBACK' };
const TAX = { baseUrl: 'http://127.0.0.1:7302', token: 'env:TAX_TOKEN', answers: 'poll', pollSeconds: 15 };

describe('the interagency configuration', () => {
  it('connects the systems it names, one receiver each, and plans only for them', () => {
    const config = outboxConfigSchema.parse({ publicBaseUrl: 'https://motcua.example.gov.vn', interagency: { systems: { 'land-registry': LAND, tax: TAX } } });
    const outbox = createOutbox(config, deps);
    expect(outbox.channels.map((channel) => channel.receiver)).toEqual(['land-registry', 'tax']);
    expect(outbox.policy.interagency).toEqual(['land-registry', 'tax']);
    expect(configuredSystems(config.interagency)).toEqual(['land-registry', 'tax']);
    expect(config.interagency!.systems['land-registry']).toMatchObject({ timeoutMs: 10_000, pollSeconds: 30, holdMinutes: 10 });
    // Without the section, nothing is planned for any system.
    expect(createOutbox(outboxConfigSchema.parse({ publicBaseUrl: 'https://motcua.example.gov.vn' }), deps).policy.interagency).toEqual([]);
  });

  it('gives the inbox the callback address, the token and the callback key when asked, resolved from their references', () => {
    const config = outboxConfigSchema.parse({ publicBaseUrl: 'https://motcua.example.gov.vn/', interagency: { systems: { 'land-registry': LAND, tax: TAX } } }).interagency!;
    expect(callbackUrl(config, 'https://motcua.example.gov.vn/', 'land-registry')).toBe('https://motcua.example.gov.vn/interagency/land-registry/answers');
    expect(callbackUrl({ ...config, callbackBaseUrl: 'https://cb.example.vn' }, 'https://motcua.example.gov.vn', 'tax')).toBe('https://cb.example.vn/interagency/tax/answers');
    expect(systemToken(config, 'tax', deps.env)).toBe('tax-token');
    expect(systemCallbackSecret(config, 'land-registry', deps.env)).toBe('land-key');
    // Polled, or not connected: no callback key.
    expect(systemCallbackSecret(config, 'tax', deps.env)).toBeUndefined();
    expect(systemCallbackSecret(config, 'civil-status', deps.env)).toBeUndefined();
    expect(() => systemToken(config, 'land-registry', {})).toThrow(/interagency\.systems\.land-registry\.token: the environment variable LAND_TOKEN is not set/);
  });

  it('refuses, naming the field: a token in clear, a callback system without its key, an unknown system or setting, a bad address', () => {
    const base = { publicBaseUrl: 'https://a.example' };
    expect(() => loadOutboxConfig(file('clear.json', { ...base, interagency: { systems: { tax: { ...TAX, token: 'hunter2' } } } }))).toThrow(/interagency\.systems\.tax\.token: must be a secret reference/);
    expect(() => loadOutboxConfig(file('nokey.json', { ...base, interagency: { systems: { 'land-registry': { ...LAND, callbackSecret: undefined } } } }))).toThrow(/interagency\.systems\.land-registry\.callbackSecret: a system that answers by callback needs callbackSecret/);
    expect(() => loadOutboxConfig(file('unknown.json', { ...base, interagency: { systems: { customs: TAX } } }))).toThrow(/interagency\.systems/);
    expect(() => loadOutboxConfig(file('extra.json', { ...base, interagency: { systems: { tax: { ...TAX, retries: 3 } } } }))).toThrow(/interagency\.systems\.tax.*retries|retries/);
    expect(() => loadOutboxConfig(file('url.json', { ...base, interagency: { systems: { tax: { ...TAX, baseUrl: 'ftp://x' } } } }))).toThrow(/interagency\.systems\.tax\.baseUrl: must be an absolute http\(s\) URL/);
    expect(() => loadOutboxConfig(file('mode.json', { ...base, interagency: { systems: { tax: { ...TAX, answers: 'email' } } } }))).toThrow(/interagency\.systems\.tax\.answers/);
  });

  it('stops the start when a token cannot be resolved, and counts a system’s timeout in the slowest attempt', () => {
    const config = outboxConfigSchema.parse({ publicBaseUrl: 'https://a.example', interagency: { systems: { tax: TAX } } });
    expect(() => createOutbox(config, { ...deps, env: {} })).toThrow(/interagency\.systems\.tax\.token/);
    const slow = outboxConfigSchema.parse({ publicBaseUrl: 'https://a.example', delivery: { attemptTimeoutSeconds: 60 }, interagency: { systems: { tax: { ...TAX, timeoutMs: 90_000 } } } });
    expect(() => createOutbox(slow, deps)).toThrow(/attemptTimeoutSeconds \(60\) must be longer than a receiver's slowest attempt \(90 s/);
  });
});
