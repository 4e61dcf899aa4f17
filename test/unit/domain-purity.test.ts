// domain/ runs inside the Temporal workflow sandbox and in the audit replay: both must get the same
// answer from the same events, so it may not read the clock, draw random numbers, reach the process
// or the network, or import anything beyond zod and itself.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const domainDir = new URL('../../domain/', import.meta.url).pathname;
const sources = readdirSync(domainDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(path.join(domainDir, file), 'utf8') }));

describe('domain/ is pure', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources.map(({ file }) => [file]))('%s imports only zod and other domain modules', (file) => {
    const text = sources.find((source) => source.file === file)!.text;
    const imports = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((match) => match[1]!);
    const outside = imports.filter((specifier) => specifier !== 'zod' && !specifier.startsWith('./') && !specifier.startsWith('../'));
    expect(outside).toEqual([]);
    for (const specifier of imports.filter((candidate) => candidate.startsWith('../'))) {
      expect(path.resolve(path.dirname(path.join(domainDir, file)), specifier).startsWith(domainDir)).toBe(true);
    }
  });

  it.each(sources.map(({ file }) => [file]))('%s reads no clock, randomness or process state', (file) => {
    const code = sources.find((source) => source.file === file)!.text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(/Date\.now|new Date\(\s*\)|Math\.random|process\.|crypto\.|performance\./);
  });
});
