import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run calendar:amend -- <file>` says what is wrong with a file it cannot read as an
// amendment, in a sentence and with exit code 1, before it connects to anything (the addresses
// below lead nowhere).
const CLI = fileURLToPath(new URL('../../api/calendar-amend-cli.ts', import.meta.url));

function run(file: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, file], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', TEMPORAL_ADDRESS: '127.0.0.1:1' },
    timeout: 60_000,
  });
}

describe('npm run calendar:amend with a file it cannot use', () => {
  const folder = mkdtempSync(join(tmpdir(), 'calendar-amend-'));

  it('names a file that is not JSON, without a stack trace', () => {
    const file = join(folder, 'broken.json');
    writeFileSync(file, '{ "version": "2026.1", ');
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} is not JSON`);
    expect(result.stderr).not.toContain('    at ');
  });

  it('names a file that cannot be read', () => {
    const file = join(folder, 'missing.json');
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} cannot be read`);
    expect(result.stderr).not.toContain('    at ');
  });
});
