import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, isoToSerial, parseDate, serialToIso } from './dates.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const validDate = fc
  .record({
    y: fc.integer({ min: 1900, max: 2100 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .filter(({ y, m, d }) => d <= daysInMonth(y, m));
const isoOf = ({ y, m, d }: { y: number; m: number; d: number }) => `${y}-${pad(m)}-${pad(d)}`;

describe('parseDate', () => {
  it('reads the formats ICE uses', () => {
    expect(parseDate('2019-03-04')).toEqual({ ok: true, value: '2019-03-04' });
    expect(parseDate('2007-10-02 00:00:00')).toEqual({ ok: true, value: '2007-10-02' });
    expect(parseDate('3/4/19')).toEqual({ ok: true, value: '2019-03-04' });
    expect(parseDate('3/4/1999')).toEqual({ ok: true, value: '1999-03-04' });
    expect(parseDate('45785', { allowSerial: true })).toEqual({ ok: true, value: '2025-05-08' });
    expect(parseDate('2024-01-02T10:00:00Z', { keepTime: true })).toEqual({
      ok: true,
      value: '2024-01-02T10:00:00Z',
    });
  });

  it('rejects the malformed values in ICE’s 287(g) sheets without guessing', () => {
    for (const raw of ['05/082025', '7/72025']) {
      const r = parseDate(raw, { allowSerial: true });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('E_DATE_MALFORMED');
        expect(r.reason).toContain('`' + raw + '`');
      }
    }
    const big = parseDate('1141572', { allowSerial: true });
    expect(big.ok === false && big.code).toBe('E_DATE_RANGE');
    expect(big.ok === false && big.reason).toContain('5025-07-07');
  });

  it('turns NA and redaction markers into null only where blank is allowed', () => {
    for (const raw of ['', 'NA', 'N/A', '(b)(6)', '(b)(7)(C)', 'REDACTED']) {
      expect(parseDate(raw, { allowBlank: true })).toEqual({ ok: true, value: null });
      expect(parseDate(raw).ok).toBe(false);
    }
  });

  it('rejects impossible dates and Excel serials in text columns', () => {
    expect(parseDate('2019-02-30')).toMatchObject({ ok: false, code: 'E_DATE_IMPOSSIBLE' });
    expect(parseDate('2019-13-01')).toMatchObject({ ok: false, code: 'E_DATE_IMPOSSIBLE' });
    expect(parseDate('1899-12-31')).toMatchObject({ ok: false, code: 'E_DATE_RANGE' });
    expect(parseDate('43531', { isoOnly: true })).toMatchObject({ ok: false, code: 'E_DATE_SERIAL' });
    expect(parseDate('43531')).toMatchObject({ ok: false, code: 'E_DATE_SERIAL' });
    expect(parseDate('3/4/2019', { isoOnly: true })).toMatchObject({ ok: false, code: 'E_DATE_FORMAT' });
    expect(serialToIso(60)).toMatchObject({ ok: false, code: 'E_DATE_IMPOSSIBLE' });
  });

  it('round-trips every valid date in each format', () => {
    fc.assert(
      fc.property(validDate, (v) => {
        const iso = isoOf(v);
        expect(parseDate(iso)).toEqual({ ok: true, value: iso });
        expect(parseDate(`${iso} 00:00:00`)).toEqual({ ok: true, value: iso });
        expect(parseDate(`${v.m}/${v.d}/${v.y}`)).toEqual({ ok: true, value: iso });
        expect(parseDate(`${pad(v.m)}/${pad(v.d)}/${v.y}`)).toEqual({ ok: true, value: iso });
        if (v.y >= 1969 && v.y <= 2068)
          expect(parseDate(`${v.m}/${v.d}/${pad(v.y % 100)}`)).toEqual({ ok: true, value: iso });
        expect(parseDate(String(isoToSerial(iso)), { allowSerial: true })).toEqual({ ok: true, value: iso });
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.boolean(), fc.boolean(), fc.boolean(), (s, a, b, c) => {
        const r = parseDate(s, { allowBlank: a, allowSerial: b, isoOnly: c });
        if (!r.ok) expect(r.reason).toMatch(/^[^A-Z]/);
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9/ :.-]{0,20}$/), (s) => {
        parseDate(s, { allowSerial: true });
      }),
    );
  });

  it('rejects every impossible day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (y, m, extra) => {
          const d = daysInMonth(y, m) + extra;
          if (d > 99) return;
          for (const raw of [`${y}-${pad(m)}-${pad(d)}`, `${m}/${d}/${y}`]) {
            expect(parseDate(raw)).toMatchObject({ ok: false, code: 'E_DATE_IMPOSSIBLE' });
          }
        },
      ),
    );
  });
});
