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

  it("reads New York's lettered inserts (`120.04-a`) as sections of their own", () => {
    expect(parseSections('120.04-a, 265.01-b(1)').sections).toEqual(['120.04-a', '265.01-b(1)']);
    expect(parseSections('120.04-').bad).toEqual(['120.04-']);
    const ny = compileOffenseList({
      list: 'ny',
      title: 'NY',
      citation: 'c',
      source: { title: 't', url: 'u' },
      confidence: 'high',
      inchoate: ['NY PL 110'],
      categories: [{ id: 'X', title: 'x', code: 'NY PL', sections: '120.04-a, 230.34' }],
    });
    expect(ny.match('NY PL 120.04-a').length).toBe(1);
    expect(ny.match('ny pl 120.04-A(1)').length).toBe(1);
    expect(ny.match('NY PL 110/120.04-a').length).toBe(1);
    expect(ny.match('NY PL 120.04')).toEqual([]);
    expect(ny.match('NY PL 230.34-a')).toEqual([]);
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
