/**
 * The CLI's quick start: a bundle of the TypeScript entries, used only while every source it holds
 * is unchanged. Built here for a small project of its own in a temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCache } from '../src/compiled-start.mjs';

const root = mkdtempSync(join(tmpdir(), 'compiled-start-')) + '/';
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): string {
  const path = join(root, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('compiled start', () => {
  const main = write(
    'src/cli/main.ts',
    `import { readFileSync } from 'node:fs';
import { twice } from '../twice.ts';
export const said: string = twice(readFileSync(new URL('../../data/word.txt', import.meta.url), 'utf8'));`,
  );
  write('src/twice.ts', 'export const twice = (s: string): string => s + s;');
  const worker = write('src/cli/decide-batch-worker.ts', 'export const worker: number = 1;');
  const writers = ['src/ledger/sqlite-import-worker.ts', 'src/ledger/postgres-import-worker.ts'].map((f) =>
    write(f, `import { twice } from '../twice.ts';\nexport const writer: string = twice('w');`),
  );
  write('data/word.txt', 'ab');
  mkdirSync(join(root, 'node_modules'));
  const cache = startCache(root);

  it('bundles the entries on first use; each module still finds files next to it', async () => {
    expect(cache.compiledEntry(main)).toBeNull();
    const url = await cache.compiledCli();
    expect(url).toMatch(/^file:.*node_modules\/\.cache\/detainer-ledger\/.*\/cli\.mjs$/);
    expect(((await import(url!)) as { said: string }).said).toBe('abab');
    expect(cache.compiledEntry(pathToFileURL(worker).href)).toMatch(/decide-batch-worker\.mjs$/);
    expect(writers.map((w) => cache.compiledEntry(pathToFileURL(w).href))).toEqual([
      expect.stringMatching(/sqlite-import-worker\.mjs$/),
      expect.stringMatching(/postgres-import-worker\.mjs$/),
    ]);
    expect(cache.compiledEntry(join(root, 'src/twice.ts'))).toBeNull(); // not an entry
  });

  it('stops using the bundle once a source it holds changes, and bundles again', async () => {
    const before = await cache.compiledCli();
    expect(cache.compiledEntry(main)).toBe(before);
    write('src/twice.ts', 'export const twice = (s: string): string => s + s + s;');
    expect(cache.compiledEntry(main)).toBeNull();
    expect(cache.compiledEntry(worker)).toBeNull();
    expect(cache.compiledEntry(writers[0]!)).toBeNull();
    const after = await cache.compiledCli();
    expect(after).not.toBe(before);
    expect(((await import(after!)) as { said: string }).said).toBe('ababab');
  });
});
