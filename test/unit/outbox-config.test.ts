import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutbox, loadOutboxConfig, outboxConfigSchema } from '../../integrations/outbox/channels.js';
import { createLogger } from '../../platform/logger.js';

// The outbox's configuration file: checked at start-up, with errors that name the field and the rule.
const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-outbox-config-'));
const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};
const deps = { lookupKey: 'k'.repeat(32), fileLinkKey: 'f'.repeat(32), logger: createLogger({ level: 'silent' }) };
const PORTAL_B = { generation: 'B', base: 'https://lgsp.example.gov.vn/dvc', URLThemMoi: '/hoso/themmoi', URLCapNhat: '/hoso/capnhat', URLDongBoTienTrinh: '/tientrinh', provinceIdentifier: 'H56' };

describe('the outbox configuration', () => {
  it('plans for what is configured: the portal alone, with the delivery and notice defaults', () => {
    const config = outboxConfigSchema.parse({ publicBaseUrl: 'https://motcua.example.gov.vn', portal: PORTAL_B });
    const outbox = createOutbox(config, deps);
    expect(outbox.channels.map((channel) => channel.receiver)).toEqual(['portal']);
    expect(outbox.policy).toMatchObject({ portal: true, notices: { enabled: [], defaultChannels: ['sms', 'email'], preferredOnly: true } });
    expect(outbox.lane).toEqual({ firstRetryMs: 1000, retryCeilingMs: 300_000, deadLetterAfterMs: 3_600_000, attemptTimeoutMs: 300_000, idleMs: 600_000 });
  });

  it('refuses a file that is not JSON, an unknown section, a credential given in clear, naming the field', () => {
    expect(() => loadOutboxConfig(file('broken.json', '{"publicBaseUrl": '))).toThrow(/not JSON/);
    expect(() => loadOutboxConfig(path.join(dir, 'missing.json'))).toThrow(/cannot be read \(ENOENT\)/);
    expect(() => loadOutboxConfig(file('unknown.json', JSON.stringify({ publicBaseUrl: 'https://a.example', fax: {} })))).toThrow(/fax/);
    const clear = { publicBaseUrl: 'https://a.example', portal: { ...PORTAL_B, generation: 'A', adapterUrl: 'https://a.example', username: 'u', password: 'hunter2', dstcode: 'D', madonvi: { default: 'M' } } };
    expect(() => loadOutboxConfig(file('clear.json', JSON.stringify(clear)))).toThrow(/portal\.password: must be a secret reference/);
    expect(() => loadOutboxConfig(file('quiet.json', JSON.stringify({ publicBaseUrl: 'https://a.example', notices: { quietHours: { sms: { from: '9pm', to: '07:00' } } } })))).toThrow(/notices\.quietHours\.sms\.from/);
  });

  it('refuses an attempt timeout a receiver’s slowest attempt could outlast, since a late send could overtake the next delivery', () => {
    const config = outboxConfigSchema.parse({ publicBaseUrl: 'https://a.example', portal: { ...PORTAL_B, timeoutMs: 100_000 }, delivery: { attemptTimeoutSeconds: 300 } });
    expect(() => createOutbox(config, deps)).toThrow(/attemptTimeoutSeconds \(300\) must be longer than a receiver's slowest attempt \(400 s/);
  });
});
