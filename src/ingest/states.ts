/**
 * State names as ICE writes them → the lower-case postal code the ledger stores. The registry's
 * parser does the work; a file repeats the same few dozen spellings, so answers are remembered.
 */
import { parseState } from '../jurisdictions/normalize.ts';

const memo = new Map<string, string | null>();

export function stateCode(raw: string): string | null {
  let code = memo.get(raw);
  if (code === undefined) {
    code = parseState(raw);
    if (memo.size < 10_000) memo.set(raw, code);
  }
  return code;
}
