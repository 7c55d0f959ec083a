// A quick start for the CLI and its batch workers. Loading the TypeScript through tsx costs about
// as much as a large batch run's last second: every module goes through a loader thread, in the
// main thread and again in each worker. So the entries below are bundled with esbuild (the one tsx
// itself runs on) into node_modules/.cache/detainer-ledger, and loaded from there while every file
// a bundle holds, and this one, is unchanged (same size, same time).
// The bundle is made on first use and again after any edit: a clean clone needs no build step, and
// whenever it cannot be made or checked, the caller falls back to tsx.
// Plain JavaScript: this runs before any TypeScript can be loaded.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** the TypeScript entries bundled, by the name of their bundle */
const ENTRIES = {
  // the CLI's packages are loaded as installed (some are native, some read files of their own)
  cli: { entry: 'src/cli/main.ts', packages: 'external' },
  // the worker's few packages (plain JavaScript) go into its bundle: no module resolution, no
  // CommonJS interop to work out, in every worker at every start
  'decide-batch-worker': { entry: 'src/cli/decide-batch-worker.ts', packages: 'bundle' },
  // the import writers: their packages are native (better-sqlite3) or read files of their own
  'sqlite-import-worker': { entry: 'src/ledger/sqlite-import-worker.ts', packages: 'external' },
  'postgres-import-worker': { entry: 'src/ledger/postgres-import-worker.ts', packages: 'external' },
};
const REQUIRE = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
/** the manifest's layout: a manifest of another is ignored */
const FORMAT = 2;
/** bundles older than this, of an earlier state of the sources, are removed on a rebuild */
const STALE_MS = 10 * 60 * 1000;

/** size and modification time of a file, or null if it is gone */
function stamp(path) {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * The bundles of the project at `root` (a directory path ending in a separator), kept in
 * `root`/node_modules/.cache/detainer-ledger.
 */
export function startCache(root) {
  const CACHE = join(root, 'node_modules', '.cache', 'detainer-ledger');
  const MANIFEST = join(CACHE, 'manifest.json');
  const ROOT = root;

  /** the manifest, if every source it lists is as it was when the bundles were made */
  function freshManifest() {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    } catch {
      return null;
    }
    if (manifest.format !== FORMAT || manifest.node !== process.version || manifest.root !== ROOT) {
      return null;
    }
    for (const [file, was] of Object.entries(manifest.inputs)) {
      if (stamp(join(ROOT, file)) !== was) return null;
    }
    return manifest;
  }

  /**
   * The file URL of the bundle of `entry` (a file URL or a path of one of the entries), or null if
   * there is none that is up to date. Never builds: for worker threads, whose parent has built.
   */
  function compiledEntry(entry) {
    const path = entry.startsWith('file:') ? fileURLToPath(entry) : resolve(entry);
    const name = Object.keys(ENTRIES).find((k) => resolve(ROOT, ENTRIES[k].entry) === path);
    if (name === undefined) return null;
    const manifest = freshManifest();
    return manifest ? pathToFileURL(join(CACHE, manifest.dir, `${name}.mjs`)).href : null;
  }

  /** The bundle of the CLI, made first if the sources changed; null if it cannot be made. */
  async function compiledCli() {
    const ready = compiledEntry(join(ROOT, ENTRIES.cli.entry));
    if (ready) return ready;
    try {
      await build();
    } catch {
      return null;
    }
    return compiledEntry(join(ROOT, ENTRIES.cli.entry));
  }

  async function build() {
    // a dependency of the project (the same version tsx uses, so npm installs it once)
    const esbuild = createRequire(import.meta.url)('esbuild');
    // stamps are taken before reading, so an edit made during the build makes the bundle stale
    const stamps = new Map();
    mkdirSync(CACHE, { recursive: true });
    const dir = `build-${process.pid}-${Date.now()}`;
    const out = join(CACHE, dir);
    const plugin = {
      name: 'own-module-url',
      setup(b) {
        // each module keeps its own location, so paths relative to it (data, policies, workers) still hold
        b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
          const file = relative(ROOT, args.path);
          stamps.set(file, stamp(args.path));
          if (file.startsWith(`node_modules${sep}`)) return undefined;
          const source = await readFile(args.path, 'utf8');
          const url = JSON.stringify(pathToFileURL(args.path).href);
          return {
            contents: source.replaceAll('import.meta.url', url),
            loader: args.path.endsWith('ts') ? 'ts' : 'js',
          };
        });
      },
    };
    const results = await Promise.all(
      Object.entries(ENTRIES).map(([name, { entry, packages }]) =>
        esbuild.build({
          absWorkingDir: ROOT,
          entryPoints: [entry],
          outfile: join(out, `${name}.mjs`),
          bundle: true,
          packages,
          platform: 'node',
          format: 'esm',
          target: `node${process.versions.node.split('.')[0]}`,
          // CommonJS packages taken into a bundle may require Node's own modules
          banner: packages === 'bundle' ? { js: REQUIRE } : {},
          metafile: true,
          logLevel: 'silent',
          plugins: [plugin],
        }),
      ),
    );
    const files = results.flatMap((r) => Object.keys(r.metafile.inputs));
    const inputs = Object.fromEntries(files.map((f) => [f, stamps.get(f) ?? stamp(join(ROOT, f))]));
    // and this file: bundles made another way are out of date too
    const self = fileURLToPath(import.meta.url);
    inputs[relative(ROOT, self)] = stamp(self);
    const manifest = { format: FORMAT, node: process.version, root: ROOT, dir, inputs };
    const hash = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 12);
    const temp = join(CACHE, `manifest-${hash}-${process.pid}.json`);
    writeFileSync(temp, JSON.stringify(manifest));
    renameSync(temp, MANIFEST); // atomic: a concurrent start reads the old manifest or this one
    for (const old of readdirSync(CACHE)) {
      const path = join(CACHE, old);
      if (old !== dir && old.startsWith('build-') && Date.now() - statSync(path).mtimeMs > STALE_MS) {
        rmSync(path, { recursive: true, force: true });
      }
    }
  }

  return { compiledEntry, compiledCli, cacheDir: CACHE };
}

const project = startCache(fileURLToPath(new URL('../', import.meta.url)));
export const { compiledEntry, compiledCli } = project;
