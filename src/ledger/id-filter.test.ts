import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdFilter } from './id-filter.ts';

describe('IdFilter', () => {
  it('holds every id added, across growth, and counts each once', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), (ids) => {
        const f = new IdFilter();
        for (const id of ids) f.add(IdFilter.numberOf(id));
        for (const id of ids) f.add(IdFilter.numberOf(id));
        for (const id of ids) expect(f.has(IdFilter.numberOf(id))).toBe(true);
        expect(f.size).toBe(new Set(ids.map(IdFilter.numberOf)).size);
      }),
    );
  });

  it('says no for ids never added, at a size that makes it grow many times', () => {
    const f = new IdFilter();
    for (let i = 0; i < 200_000; i++) f.add(IdFilter.numberOf(`demo-${i}`));
    expect(f.size).toBe(200_000);
    let maybe = 0;
    for (let i = 200_000; i < 400_000; i++) if (f.has(IdFilter.numberOf(`demo-${i}`))) maybe++;
    expect(maybe).toBe(0);
  });
});
