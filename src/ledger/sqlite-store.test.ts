import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';
import { storeSuite } from './store-suite.ts';

// The shared store suite (PostgreSQL runs it too) on a ledger file: imports go through the writer thread.
describe('file ledger', () => {
  storeSuite('sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const path = join(dir, 'ledger.db');
    let store: Store = await openSqliteStore(path);
    return {
      store,
      async reopen() {
        await store.close();
        store = await openSqliteStore(path);
        return store;
      },
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
