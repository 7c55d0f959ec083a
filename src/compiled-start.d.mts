/** Types of compiled-start.mjs (plain JavaScript, so the CLI can load it before any TypeScript). */
export interface StartCache {
  /** file URL of the up-to-date bundle of an entry (file URL or path), or null */
  compiledEntry(entry: string): string | null;
  /** file URL of the CLI's bundle, made first if the sources changed; null if it cannot be made */
  compiledCli(): Promise<string | null>;
  cacheDir: string;
}
export function startCache(root: string): StartCache;
export const compiledEntry: StartCache['compiledEntry'];
export const compiledCli: StartCache['compiledCli'];
