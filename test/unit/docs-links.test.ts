// The documentation is read on GitHub and in a checkout: every relative link must reach a file of
// the repository, and every #anchor a heading of that file. Citations must stay inside the
// repository too: the rules cite the law or docs/rules.md, never notes that live elsewhere.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES } from '../../domain/dossier/errors.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);

const markdownFiles = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join('docs', file)),
].sort();

const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** The text without fenced code blocks: a `# comment` in a shell example is not a heading, nor is a link in it. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, '');
}

/** GitHub's heading ids: lower case, punctuation dropped (letters with diacritics kept), spaces to hyphens. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' ids (repeats numbered as GitHub does) and explicit `<a id>`s. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = githubSlug(match[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  return anchors;
}

/** The relative link targets of a Markdown file (inline links and reference definitions), outside code. */
function relativeLinks(markdown: string): string[] {
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  const references = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((match) => match[1]!);
  return [...inline, ...references].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Why a link from `file` does not resolve, or null when it does. */
function brokenLink(file: string, target: string): string | null {
  const [pathPart = '', anchor] = target.split('#') as [string, string | undefined];
  const resolved = pathPart === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURIComponent(pathPart));
  const inside = path.relative(root, resolved);
  if (inside.startsWith('..') || path.isAbsolute(inside) || inside.split(path.sep).includes('node_modules')) return `${target}: outside the repository`;
  if (!existsSync(resolved)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return null;
  if (!statSync(resolved).isFile() || !resolved.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
  const anchors = anchorsOf(readFileSync(resolved, 'utf8'));
  return anchors.has(decodeURIComponent(anchor)) ? null : `${target}: no heading #${anchor} in ${inside}`;
}

/** Citations of notes that are not in the repository: the domain or architecture notes of the shared folder, or a path into it. */
function citationsOutside(file: string, markdown: string): string[] {
  const found: string[] = [];
  for (const match of markdown.matchAll(/(?:\.\.\/|\/work\/)shared\/[^\s`)]*/g)) found.push(match[0]);
  for (const match of markdown.matchAll(/[\w./-]*\b(?:domain|architecture)\.md\b/g)) {
    const mention = match[0];
    const candidates = [path.resolve(path.dirname(path.join(root, file)), mention), path.resolve(root, mention)];
    const inRepository = candidates.some((candidate) => !path.relative(root, candidate).startsWith('..') && existsSync(candidate) && statSync(candidate).isFile());
    if (!inRepository) found.push(mention);
  }
  return found;
}

describe('documentation links', () => {
  it('finds the README and the docs', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain(path.join('docs', 'rules.md'));
    expect(markdownFiles.length).toBeGreaterThan(10);
  });

  it.each(markdownFiles.map((file) => [file]))('%s: every relative link reaches a file of the repository, and every anchor a heading', (file) => {
    const markdown = read(file);
    const broken = relativeLinks(markdown).map((target) => brokenLink(file, target)).filter((reason) => reason !== null);
    expect(broken).toEqual([]);
  });

  it.each(markdownFiles.map((file) => [file]))('%s cites nothing outside the repository', (file) => {
    expect(citationsOutside(file, read(file))).toEqual([]);
  });
});

// Code cites the docs too (a rule's text, a comment saying why): those citations must resolve as well.
const codeFolders = ['activities', 'api', 'bench', 'console/src', 'console/scripts', 'db', 'dev', 'documents', 'domain', 'doubles', 'integrations', 'platform', 'test', 'worker', 'workflows'];
const thisFile = path.relative(root, new URL(import.meta.url).pathname);
const codeFiles = codeFolders
  .flatMap((folder) => readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' }).map((file) => path.join(folder, file)))
  // The console's generated client types are not written by us.
  .filter((file) => /\.(ts|tsx|mjs)$/.test(file) && !file.endsWith('schema.d.ts') && file !== thisFile && !file.split(path.sep).includes('node_modules'));

describe('documentation cited in code', () => {
  it('finds the code', () => {
    expect(codeFiles).toContain(path.join('domain', 'dossier', 'decide.ts'));
  });

  it('reaches a file of the repository, and a heading where it names one', () => {
    const broken = codeFiles.flatMap((file) =>
      [...read(file).matchAll(/\bdocs\/[\w./-]+\.md(?:#[\p{L}\p{N}_-]+)?/gu)]
        .map((match) => brokenLink('README.md', match[0]))
        .filter((reason) => reason !== null)
        .map((reason) => `${file}: ${reason}`),
    );
    expect(broken).toEqual([]);
  });

  it('cites no note outside the repository', () => {
    const outside = codeFiles.flatMap((file) => citationsOutside(file, read(file)).map((mention) => `${file}: ${mention}`));
    expect(outside).toEqual([]);
  });

  it('cites the integrations notes by their heading in the repository, not by a section number of notes kept elsewhere', () => {
    const bySection = codeFiles.flatMap((file) => [...read(file).matchAll(SECTION_CITATION)].map((match) => `${file}: ${match[0]}`));
    expect(bySection).toEqual([]);
  });
});

// `integrations.md §4` names a section of the founders' notes, which are not in the repository;
// docs/integrations.md has headings, not numbered sections (cite docs/integrations.md#<heading>).
const SECTION_CITATION = new RegExp(['integrations', 'md\\s*§[\\d.–-]*'].join('\\.'), 'g');

// The kind of citation the checks refuse, built from parts so this file does not read as one itself.
const NOTE = ['domain', 'md'].join('.');
const NOTE_OUTSIDE = ['..', 'shared', NOTE].join('/');

describe('the link check itself', () => {
  it('accepts a link to a file and a heading that exist', () => {
    expect(brokenLink('README.md', 'docs/reports.md#speed')).toBeNull();
    expect(brokenLink(path.join('docs', 'rules.md'), '#complete-dossier')).toBeNull();
  });

  it('names a missing file, a missing heading and a path out of the repository', () => {
    expect(brokenLink('README.md', 'docs/nowhere.md')).toBe('docs/nowhere.md: no such file');
    expect(brokenLink('README.md', 'docs/reports.md#nowhere')).toBe(`docs/reports.md#nowhere: no heading #nowhere in ${path.join('docs', 'reports.md')}`);
    expect(brokenLink(path.join('docs', 'api.md'), `../${NOTE_OUTSIDE}`)).toBe(`../${NOTE_OUTSIDE}: outside the repository`);
  });

  it('flags citations of notes kept outside the repository', () => {
    expect(citationsOutside('README.md', `see \`${NOTE_OUTSIDE}\` §4 and ${NOTE} §2`)).toEqual([NOTE_OUTSIDE, NOTE_OUTSIDE, NOTE]);
    expect(citationsOutside('README.md', 'see [rules](docs/rules.md) and docs/event-store.md')).toEqual([]);
  });
});

describe('docs/rules.md', () => {
  const rules = read(path.join('docs', 'rules.md'));

  it.each(DOMAIN_ERROR_CODES.map((code) => [code]))('names the rule behind %s', (code) => {
    expect(rules).toMatch(new RegExp(`^\\| [^|]*\`${code}\`[^|]*\\| \\[`, 'm'));
  });
});

describe('GitHub heading ids', () => {
  it('lower-cases, drops punctuation and joins words with hyphens', () => {
    expect(githubSlug('Speed and scaling')).toBe('speed-and-scaling');
    expect(githubSlug('1. The working calendar')).toBe('1-the-working-calendar');
    expect(githubSlug('Layout: from a document model to PDF bytes')).toBe('layout-from-a-document-model-to-pdf-bytes');
    expect(githubSlug('`Idempotency-Key`, retries')).toBe('idempotency-key-retries');
    expect(githubSlug('Reception (tiếp nhận)')).toBe('reception-tiếp-nhận');
  });

  it('keeps Vietnamese letters with their diacritics', () => {
    expect(githubSlug('Đã trả kết quả')).toBe('đã-trả-kết-quả');
    expect(githubSlug('Hồ sơ: bổ sung')).toBe('hồ-sơ-bổ-sung');
  });

  it('numbers repeated headings, and ignores headings inside code blocks', () => {
    const anchors = anchorsOf('# Limits\n\n```sh\n# not a heading\n```\n\n## Limits\n');
    expect([...anchors]).toEqual(['limits', 'limits-1']);
  });
});
