// The error catalogue answers for every code the API can send, and docs/errors.md is its copy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, ERROR_CATALOGUE, ERROR_CODES } from '../../api/error-catalogue.js';
import { ERROR_DOCS_FILE, renderErrorDocs } from '../../api/error-docs.js';
import { DOMAIN_ERROR_CODES } from '../../domain/dossier/errors.js';
import { FILE_REFUSAL_CODES } from '../../domain/files/file-rules.js';

const root = new URL('../../', import.meta.url).pathname;

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(root, folder, file), 'utf8'));
}

describe('the error catalogue', () => {
  it('has an entry for every code of the dossier’s rules and of the API, and no other', () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...DOMAIN_ERROR_CODES, ...API_ERROR_CODES, ...FILE_REFUSAL_CODES].sort());
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('has an entry for every code written in the API’s sources', () => {
    const sent = sourcesUnder('api').flatMap((source) => [
      ...[...source.matchAll(/(?:code: |ruleRefused\(\s*|codedProblem\(\s*)'([A-Z][A-Z_]+)'/g)].map((match) => match[1]!),
      ...[...source.matchAll(/forbidden\([^;]*?, '([A-Z][A-Z_]+)'\)/g)].map((match) => match[1]!),
    ]);
    expect(sent).toContain('REPORT_OUTSIDE_UNIT');
    expect(sent).toContain('COMMAND_NOT_ANSWERED');
    expect(sent.filter((code) => !(code in ERROR_CATALOGUE))).toEqual([]);
  });

  it('gives every code a status, a rule from a law or a file of the repository, and a remedy', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect([400, 401, 403, 404, 405, 409, 413, 415, 422, 503], code).toContain(entry.status);
      expect(entry.type, code).toMatch(/^urn:motcua:problem:[a-z-]+$/);
      expect(entry.rule.length, code).toBeGreaterThan(10);
      expect(entry.rule, code).not.toMatch(/domain\.md|architecture|\.\.\/shared/);
      expect(entry.remedy.length, code).toBeGreaterThan(10);
    }
    expect(ERROR_CATALOGUE.STREAM_VERSION_MISMATCH.status).toBe(409);
    expect(ERROR_CATALOGUE.ROLE_NOT_ALLOWED.status).toBe(403);
    expect(ERROR_CATALOGUE.COMMAND_NOT_ANSWERED.status).toBe(503);
    expect(ERROR_CATALOGUE.REQUIRED_COMPONENTS_MISSING.status).toBe(422);
  });

  it('is what docs/errors.md says (run npm run docs:errors after changing it)', () => {
    expect(readFileSync(ERROR_DOCS_FILE, 'utf8')).toBe(renderErrorDocs());
  });
});
