// Every error code the API can answer has the console's own text, in Vietnamese and in English, so a
// refusal is never shown to staff only in the API's English (console/src/components/problem-view.tsx);
// and no text names a code the API no longer has. A new code in api/error-catalogue.ts fails here
// until console/src/i18n/areas/problems.vi.ts and problems.en.ts say what it means and what to do.
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES } from '../../api/error-catalogue.js';
import { problemsEn } from '../../console/src/i18n/areas/problems.en.js';
import { problemsVi } from '../../console/src/i18n/areas/problems.vi.js';

const CODE_PREFIX = 'problem.code.';
const codeKeys = (texts: Readonly<Record<string, string>>): string[] => Object.keys(texts).filter((key) => key.startsWith(CODE_PREFIX));

describe.each([
  ['vi', problemsVi as Readonly<Record<string, string>>],
  ['en', problemsEn as Readonly<Record<string, string>>],
])('the console’s %s texts for the API’s error codes', (_language, texts) => {
  it('has a text for every code of ERROR_CODES', () => {
    const missing = ERROR_CODES.filter((code) => !(`${CODE_PREFIX}${code}` in texts));
    expect(missing).toEqual([]);
  });

  it('has a text for every code of the catalogue table too', () => {
    const missing = Object.keys(ERROR_CATALOGUE).filter((code) => !(`${CODE_PREFIX}${code}` in texts));
    expect(missing).toEqual([]);
  });

  it('names no code the API does not have', () => {
    const known = new Set<string>(ERROR_CODES);
    const unknown = codeKeys(texts)
      .map((key) => key.slice(CODE_PREFIX.length))
      .filter((code) => !known.has(code));
    expect(unknown).toEqual([]);
  });

  it('gives each code a non-empty sentence', () => {
    const empty = codeKeys(texts).filter((key) => (texts[key] ?? '').trim().length < 10);
    expect(empty).toEqual([]);
  });
});

describe('the Vietnamese texts', () => {
  it('are Vietnamese, not the English copied over', () => {
    const vi: Readonly<Record<string, string>> = problemsVi;
    const en: Readonly<Record<string, string>> = problemsEn;
    const sameAsEnglish = codeKeys(vi).filter((key) => vi[key] === en[key]);
    expect(sameAsEnglish).toEqual([]);
    // Written with diacritics: every sentence has at least one letter outside plain ASCII.
    const withoutDiacritics = codeKeys(vi).filter((key) => !/[^\u0000-\u007f]/.test(vi[key] ?? ''));
    expect(withoutDiacritics).toEqual([]);
  });
});
