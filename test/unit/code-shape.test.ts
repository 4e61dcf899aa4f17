// The plain measures of a codebase that stays easy to change: the files that hold the process, the
// HTTP surface and the rules stay short enough to read in one sitting. A file may be longer when
// it is one idea that does not split well, and then it says why in a comment at its top that starts
// with "Longer than 300 lines:".
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const MEASURED = ['workflows', 'api/routes', 'domain'];
const LIMIT = 300;

const files = MEASURED.flatMap((folder) =>
  readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file)),
);

describe(`files in ${MEASURED.join(', ')} stay under ${LIMIT} lines or say why`, () => {
  it('finds the files to measure', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((file) => [file]))('%s', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const lines = text.split('\n').length;
    if (lines <= LIMIT) return;
    const head = text.split('\n').slice(0, 15).join('\n');
    expect(head, `${file} has ${lines} lines and no "Longer than ${LIMIT} lines:" reason at its top`).toMatch(/Longer than 300 lines: \S/);
  });
});
