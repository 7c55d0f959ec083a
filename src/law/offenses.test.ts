import { describe, expect, it } from 'vitest';
import { compileOffenseList, normalizeCode, parseSections } from './offenses.ts';

const list = compileOffenseList({
  list: 'l',
  title: 'L',
  citation: 'c',
  source: { title: 't', url: 'u' },
  confidence: 'high',
  flags: ['seriousOrViolent'],
  inchoate: ['CA PC 664'],
  categories: [
    { id: 'A', title: 'a', code: 'CA PC', sections: '245, 26100(c),(d), 288a(c)' },
    { id: 'G', title: 'g', code: 'CA VC', sections: '23152', level: 'felony' },
    { id: 'L', title: 'l', code: 'CA PC', ranges: [{ from: 16000, to: 34370 }] },
  ],
});

describe('offense lists', () => {
  it('reads sections the way statutes write them', () => {
    expect(parseSections('261(a)(2),(6); 264.1, 26100(c),(d)').sections).toEqual([
      '261(a)(2)',
      '261(a)(6)',
      '264.1',
      '26100(c)',
      '26100(d)',
    ]);
    expect(parseSections('245, ??').bad).toEqual(['??']);
  });

  it('matches a subdivision to its section, never a neighbour', () => {
    expect(list.match('CA PC 245(a)(1)').map((e) => e.category)).toEqual(['A']);
    expect(list.match('ca pc §245 (a)(1)').length).toBe(1);
    expect(list.match('CA PC 245.5')).toEqual([]);
    expect(list.match('CA PC 26100(c)(1)').length).toBe(1);
    expect(list.match('CA PC 288(c)')).toEqual([]);
  });

  it('matches ranges, attempts and carries a category level', () => {
    expect(list.match('CA PC 16590').map((e) => e.category)).toEqual(['L']);
    expect(list.match('CA PC 664/245').map((e) => e.category)).toEqual(['A']);
    expect(list.match('CA VC 23152(a)')[0]!.level).toBe('felony');
    expect(normalizeCode(' ca  pc 1  ')).toBe('CA PC 1');
  });
});
