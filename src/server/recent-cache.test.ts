import { describe, expect, it } from 'vitest';
import { RecentCache } from './recent-cache.ts';

describe('RecentCache', () => {
  it('keeps the most recently used values and drops the least recently used past its size', () => {
    const c = new RecentCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3); // b goes
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    c.set('a', 10); // replacing keeps the size
    c.set('d', 4); // c goes: a was set after c was read
    expect([c.get('a'), c.get('c'), c.get('d')]).toEqual([10, undefined, 4]);
  });
});
