import { chainHash, GENESIS_HASH } from './chain.ts';
import type { Store } from './store.ts';

export interface ChainProblem {
  seq: number;
  code: 'E_CHAIN_GAP' | 'E_CHAIN_CONTENT' | 'E_CHAIN_HEAD';
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  links: number;
  head: string;
  problems: ChainProblem[];
}

/**
 * Walk the whole chain: seq without gaps, each link's hash equal to sha256(previous hash ‖ its
 * values), and the last equal to the stored head — which is what catches a removed last event.
 */
export async function verifyLedger(store: Store, maxProblems = 100): Promise<VerifyResult> {
  const problems: ChainProblem[] = [];
  const report = (p: ChainProblem) => {
    if (problems.length < maxProblems) problems.push(p);
  };
  let prev = GENESIS_HASH;
  let expected = 1;
  let links = 0;
  for await (const row of store.chain()) {
    links++;
    if (row.seq !== expected) {
      report({
        seq: expected,
        code: 'E_CHAIN_GAP',
        message: `links ${expected}–${row.seq - 1} are missing: events were removed or reordered`,
      });
    }
    if (chainHash(prev, row.seq, row.table, row.values) !== row.hash) {
      report({
        seq: row.seq,
        code: 'E_CHAIN_CONTENT',
        message: `${row.table} at link ${row.seq} (\`${String(row.values[row.table === 'request' ? 0 : 1])}\`) does not match its hash: it, or the link before it, was changed, removed or reordered after it was recorded`,
      });
    }
    // Go on from the stored hash so that one break is reported once, not at every later link.
    prev = row.hash;
    expected = row.seq + 1;
  }
  const head = await store.chainHead();
  if (head.seq !== expected - 1 || head.hash !== prev) {
    report({
      seq: head.seq,
      code: 'E_CHAIN_HEAD',
      message: `the ledger ends at link ${expected - 1} but its recorded head is link ${head.seq}: events at the end were removed or added outside the ledger`,
    });
  }
  return { ok: problems.length === 0, links, head: prev, problems };
}
