import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { atlasCountyFips, colourClasses, countyName, renderMap, unmappedCounties } from './map.ts';

const period = { from: '2026-01-03', to: '2026-01-09', basis: 'week' as const };
const NEUTRAL = '#eeeeee';

function parse(svg: string) {
  return new DOMParser().parseFromString(svg, 'image/svg+xml');
}

function countyPaths(svg: string) {
  return [...parse(svg).querySelectorAll('path[data-fips]')] as unknown as Element[];
}

describe('county map', () => {
  const countyDeclines = { '06037': 120, '17031': 40, '36047': 7, '48453': 2, '04013': 1, '53033': 15 };
  const svg = renderMap({ countyDeclines, suppressBelow: 0, period });
  const paths = countyPaths(svg);

  it('draws every county of the atlas once, by FIPS', () => {
    const fips = paths.map((p) => p.getAttribute('data-fips'));
    expect(fips.length).toBeGreaterThan(3000);
    expect(new Set(fips).size).toBe(fips.length);
    expect(fips).toEqual(atlasCountyFips());
  });

  it('has one coloured path per county with data, filled by its class', () => {
    const withData = paths.filter((p) => p.getAttribute('class')?.includes('has-data'));
    expect(withData.map((p) => p.getAttribute('data-fips')).sort()).toEqual(
      Object.keys(countyDeclines).sort(),
    );
    const classes = colourClasses(Object.values(countyDeclines));
    for (const [fips, n] of Object.entries(countyDeclines)) {
      const p = withData.find((x) => x.getAttribute('data-fips') === fips)!;
      const cls = classes.find((c) => n >= c.from && n <= c.to)!;
      expect(p.getAttribute('fill'), fips).toBe(cls.colour);
      expect(p.getAttribute('fill')).not.toBe(NEUTRAL);
    }
    // the largest count takes the darkest colour, the smallest the palest used
    const fillOf = (f: string) =>
      withData.find((x) => x.getAttribute('data-fips') === f)!.getAttribute('fill');
    expect(fillOf('06037')).toBe(classes.at(-1)!.colour);
    expect(fillOf('04013')).toBe(classes[0]!.colour);
  });

  it('leaves counties without data neutral', () => {
    const neutral = paths.filter((p) => !(p.getAttribute('data-fips')! in countyDeclines));
    expect(neutral.length).toBe(paths.length - Object.keys(countyDeclines).length);
    expect(new Set(neutral.map((p) => p.getAttribute('fill')))).toEqual(new Set([NEUTRAL]));
  });

  it('gives each county a title with its name, state and count', () => {
    const la = paths.find((p) => p.getAttribute('data-fips') === '06037')!;
    expect(la.querySelector('title')?.textContent).toBe('Los Angeles, California: 120 declines');
    const one = paths.find((p) => p.getAttribute('data-fips') === '04013')!;
    expect(one.querySelector('title')?.textContent).toBe('Maricopa, Arizona: 1 decline');
    const none = paths.find((p) => p.getAttribute('data-fips') === '01001')!;
    expect(none.querySelector('title')?.textContent).toBe('Autauga, Alabama: declines: none recorded');
  });

  it('has state borders, a legend and a title for the whole map', () => {
    const doc = parse(svg);
    expect(doc.querySelector('path.state-borders')?.getAttribute('d')?.length).toBeGreaterThan(1000);
    const legend = doc.querySelector('g.legend')!;
    const labels = [...legend.querySelectorAll('text')].map((t) => t.textContent);
    expect(labels).toContain('none recorded');
    expect(labels).toContain('1');
    expect(labels.at(-1)).toMatch(/–120$/);
    expect(doc.querySelector('svg > title')?.textContent).toBe(
      'Declined detainers by county, 2026-01-03 to 2026-01-09',
    );
  });

  it('says in the legend and the titles that small counties are left out when suppression is on', () => {
    const s = renderMap({ countyDeclines: { '06037': 120 }, suppressBelow: 5, period });
    const doc = parse(s);
    expect([...doc.querySelectorAll('g.legend text')].map((t) => t.textContent)).toContain(
      'none recorded, or fewer than 5',
    );
    const none = countyPaths(s).find((p) => p.getAttribute('data-fips') === '01001')!;
    expect(none.querySelector('title')?.textContent).toBe(
      'Autauga, Alabama: declines: none recorded, or fewer than 5',
    );
  });

  it('draws a county under its current code when the ledger has the retired one', () => {
    // the registry still has Shannon County SD's code 46113; the atlas draws Oglala Lakota, 46102
    const s = renderMap({ countyDeclines: { '46113': 6 }, suppressBelow: 0, period });
    const p = countyPaths(s).find((x) => x.getAttribute('data-fips') === '46102')!;
    expect(p.getAttribute('class')).toContain('has-data');
    expect(p.querySelector('title')?.textContent).toBe('Oglala Lakota, South Dakota: 6 declines');
    expect(unmappedCounties({ '46113': 6, '02270': 1 })).toEqual([]);
    expect(countyName('02270')).toBe('Kusilvak, Alaska');
  });

  it('draws a map with no data at all', () => {
    const s = renderMap({ countyDeclines: {}, suppressBelow: 0, period });
    expect(countyPaths(s).every((p) => p.getAttribute('fill') === NEUTRAL)).toBe(true);
  });

  it('names codes the atlas does not draw, and the counties it does', () => {
    expect(unmappedCounties({ '06037': 1, '09110': 2, '99999': 3 })).toEqual(['09110', '99999']);
    expect(countyName('36047')).toBe('Kings, New York');
    expect(countyName('99999')).toBeNull();
  });
});

describe('colour classes', () => {
  it('cuts at whole numbers into contiguous, non-empty classes covering every count', () => {
    const values = [1, 1, 1, 1, 2, 3, 5, 8, 13, 100, 400];
    const classes = colourClasses(values);
    expect(classes.length).toBeGreaterThan(1);
    expect(classes.length).toBeLessThanOrEqual(5);
    expect(classes[0]!.from).toBe(1);
    expect(classes.at(-1)!.to).toBe(400);
    for (let i = 1; i < classes.length; i++) expect(classes[i]!.from).toBe(classes[i - 1]!.to + 1);
    for (const c of classes) {
      expect(Number.isInteger(c.from) && Number.isInteger(c.to)).toBe(true);
      expect(values.some((v) => v >= c.from && v <= c.to)).toBe(true);
    }
    expect(new Set(classes.map((c) => c.colour)).size).toBe(classes.length);
  });

  it('makes one class when every county has the same count, and none when there are none', () => {
    expect(colourClasses([3, 3, 3])).toEqual([{ from: 3, to: 3, colour: expect.any(String) }]);
    expect(colourClasses([])).toEqual([]);
  });
});
