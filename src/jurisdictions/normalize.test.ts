import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName, parseState, placeKey, splitCountySuffix, STATE_CODES } from './normalize.ts';

describe('normalizeName', () => {
  it.each([
    ['Franklin Co.', 'franklin county'],
    ['St. Lawrence County', 'st lawrence county'],
    ['Saint Lawrence County', 'st lawrence county'],
    ['Ste. Genevieve County', 'ste genevieve county'],
    ['Sainte Genevieve County', 'ste genevieve county'],
    ['Doña Ana County', 'dona ana county'],
    ["Harris County Sheriff's Office", 'harris county sheriffs office'],
    ['Harris County Sheriffs Office', 'harris county sheriffs office'],
    ['Harris County SO', 'harris county sheriffs office'],
    ['Harris County Sheriff Office', 'harris county sheriffs office'],
    ['Austin PD', 'austin police department'],
    ['NYC Dept. of Correction', 'nyc department of correction'],
    ['Lower Merion Twp', 'lower merion township'],
    ['Public Safety & Corrections', 'public safety and corrections'],
    ['  CLARK   COUNTY\tDETENTION  CENTER ', 'clark county detention center'],
    ['Ft. Myers', 'fort myers'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  const names = fc.oneof(
    fc.string(),
    fc.constantFrom("St. Mary's Co.", 'Doña Ana', 'City of X', 'A & B SO', 'Dept', 'Ste. Genevieve', 'Twp'),
    fc
      .array(
        fc.constantFrom(
          'St.',
          'Co.',
          'Saint',
          "Sheriff's",
          'Office',
          'SO',
          'PD',
          '&',
          'Doña',
          'Twp',
          'County',
          'x',
          ',',
        ),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join(' ')),
  );

  it('is idempotent', () => {
    fc.assert(fc.property(names, (name) => normalizeName(normalizeName(name)) === normalizeName(name)));
  });

  it('ignores case, spacing and punctuation', () => {
    fc.assert(
      fc.property(names, (name) => {
        const folded = normalizeName(name);
        return (
          normalizeName(name.toUpperCase()) === normalizeName(name.toLowerCase()) &&
          normalizeName(`  ${name.replace(/ /g, '   ')} `) === folded &&
          normalizeName(`${name}.`) === folded &&
          normalizeName(name.replace(/,/g, ' , ')) === folded
        );
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        normalizeName(value as string);
        parseState(value as string);
        return true;
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => typeof normalizeName(value) === 'string'),
    );
  });
});

describe('parseState', () => {
  it.each([
    ['California', 'ca'],
    ['CA', 'ca'],
    ['Calif.', 'ca'],
    ['N.Y.', 'ny'],
    ['New York', 'ny'],
    ['NEW YORK', 'ny'],
    ['Penn.', 'pa'],
    ['Pa.', 'pa'],
    ['W.Va.', 'wv'],
    ['Tenn', 'tn'],
    ['District of Columbia', 'dc'],
    ['D.C.', 'dc'],
    ['Washington, D.C.', 'dc'],
    ['Puerto Rico', 'pr'],
    ['PR', 'pr'],
    ['NEVADA', 'nv'],
  ])('%s → %s', (input, expected) => {
    expect(parseState(input)).toBe(expected);
  });

  it('refuses what is not a state', () => {
    expect(parseState('Franklin')).toBeNull();
    expect(parseState('')).toBeNull();
    expect(parseState(null)).toBeNull();
    expect(parseState('XX')).toBeNull();
  });

  it('knows 50 states, DC and 5 territories', () => {
    expect(STATE_CODES).toHaveLength(56);
    for (const code of STATE_CODES) expect(parseState(code.toUpperCase())).toBe(code);
  });
});

describe('name cores', () => {
  it('splits county-equivalent type words', () => {
    expect(splitCountySuffix('franklin county')).toEqual(['franklin', 'county']);
    expect(splitCountySuffix('orleans parish')).toEqual(['orleans', 'parish']);
    expect(splitCountySuffix('county')).toBeNull();
  });

  it('drops the lower-case census suffix only', () => {
    expect(placeKey('Los Angeles city')).toBe('los angeles');
    expect(placeKey('Carson City')).toBe('carson city');
    expect(placeKey('Urbana township')).toBe('urbana township');
  });
});
