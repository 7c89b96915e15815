// The endpoint layer sits below credentials and the transport: it may use the errors module and its
// own files, nothing else of ours (issue 12: it used to import the profile reader, which imported it back).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../../src/endpoint/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('src/endpoint imports', () => {
  it('has its files', () => {
    expect(files.sort()).toEqual(['loopback.ts', 'partitions.ts', 'resolve-endpoint.ts', 'resolve-region.ts', 'rule-sets.ts']);
  });

  it.each(files)('%s imports only ../errors.js, its siblings and node: modules', (file) => {
    const source = readFileSync(new URL(file, dir), 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    for (const s of specifiers) {
      expect(s === '../errors.js' || /^\.\/[\w-]+\.js$/.test(s) || s.startsWith('node:'), `${file} imports ${s}`).toBe(true);
    }
  });
});
