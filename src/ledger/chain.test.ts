import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, linkHash } from './chain.ts';

describe('linkHash', () => {
  // the chain's definition, as verify and every stored ledger know it
  const defined = (prev: string, seq: number, table: string, digest: string) =>
    createHash('sha256').update(`${prev}|${seq}|${table}|${digest}`).digest('hex');

  it('hashes `prev|seq|table|digest` for every sequence number', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.maxSafeNat()),
        fc.constantFrom<'request' | 'event'>('request', 'event'),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (seq, table, digest) => {
          expect(linkHash(GENESIS_HASH, seq, table, digest)).toBe(defined(GENESIS_HASH, seq, table, digest));
        },
      ),
    );
  });

  it('writes the thousands of a sequence number with their zeros', () => {
    for (const seq of [1000, 1001, 1010, 1100, 10_005, 2_000_000, 123_456_789])
      expect(linkHash(GENESIS_HASH, seq, 'event', 'd')).toBe(defined(GENESIS_HASH, seq, 'event', 'd'));
  });
});
