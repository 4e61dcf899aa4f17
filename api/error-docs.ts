// docs/errors.md as the error catalogue (api/error-catalogue.ts) writes it, so the two never drift:
// `npm run docs:errors` writes the file, and a unit test fails when it is stale.
import { DOMAIN_ERROR_CODES } from '../domain/dossier/errors.js';
import { API_ERROR_CODES, ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

export const ERROR_DOCS_FILE = new URL('../docs/errors.md', import.meta.url).pathname;

const cell = (text: string) => text.replaceAll('|', '\\|');

function table(codes: readonly ErrorCode[]): string[] {
  return [
    '| Code | HTTP | Rule | What to do |',
    '|---|---|---|---|',
    ...[...codes].sort().map((code) => {
      const entry = ERROR_CATALOGUE[code];
      return `| \`${code}\` | ${entry.status} | ${cell(entry.rule)} | ${cell(entry.remedy)} |`;
    }),
  ];
}

export function renderErrorDocs(): string {
  return [
    '# Errors',
    '',
    '<!-- Generated from api/error-catalogue.ts by `npm run docs:errors`; edit the catalogue, not this file. -->',
    '',
    'Every error leaves the API as an RFC 9457 problem (`application/problem+json`) with a `type`, a',
    '`title`, the HTTP `status`, a `detail` that says what went wrong and what to do, and the `instance`',
    '(the path). A refusal also carries a stable `code` (branch on it, never on the text), the `rule`',
    'it applies, and, when one field is at fault, `errors` naming it. Below, every code the API can',
    'answer. A 422 (`urn:motcua:problem:rule-refused`) and a 409 left nothing recorded; a 503 may not',
    'have: follow its advice. Walk-through of the API: [api.md](api.md).',
    '',
    "## The dossier's rules",
    '',
    'Decided by the dossier itself (`domain/dossier/`); the `rule` of an answer may be more precise than',
    'the one below (the procedure’s own legal basis, say).',
    '',
    ...table(DOMAIN_ERROR_CODES),
    '',
    "## The API's own",
    '',
    'Checked before a command reaches its dossier, or about the service itself.',
    '',
    ...table(API_ERROR_CODES),
    '',
  ].join('\n');
}
