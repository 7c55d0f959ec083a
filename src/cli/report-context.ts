import type { Registry } from '../jurisdictions/registry.ts';
import { createEngine, loadLibrary, PolicyLoadError, type Engine } from '../law/index.ts';
import type { Store } from '../ledger/store.ts';
import type { ReportContext } from '../reports/build.ts';
import { CliError } from './errors.ts';
import { registryFor } from '../ledger/registry.ts';
import { withStore } from './store-option.ts';

/** Run `fn` with what a report is built from: the store `--db` names, its registry, the law. */
export async function withContext<T>(db: string, fn: (ctx: ReportContext) => Promise<T>): Promise<T> {
  return withStore(db, async (store: Store) => {
    const registry: Registry = await registryFor(store);
    let engine: Engine;
    try {
      engine = createEngine(loadLibrary(), registry);
    } catch (e) {
      if (e instanceof PolicyLoadError) throw new CliError(e.message, 1);
      throw e;
    }
    return fn({ store, registry, engine });
  });
}
