/**
 * County choropleth of declines as a standalone SVG string, drawn on the server from the Census
 * county atlas that ships in `us-atlas` (already projected to Albers USA, 975×610). The atlas is
 * read from node_modules once per process and its path strings are kept: a render only joins them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as Plot from '@observablehq/plot';
import { geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Report } from '../types.ts';
import { esc, numberText, plural } from './format.ts';

interface CountyShape {
  fips: string;
  /** `Autauga, Alabama` */
  name: string;
  d: string;
}

interface Atlas {
  counties: CountyShape[];
  byFips: Map<string, CountyShape>;
  stateBorders: string;
  nation: string;
}

const WIDTH = 975;
const HEIGHT = 610;
const LEGEND_HEIGHT = 56;
/** counties with no recorded decline */
const NEUTRAL = '#eeeeee';
const CLASSES = 5;

let atlas: Atlas | null = null;

/**
 * County codes the Census Bureau retired for a renamed county, and the code the atlas (2017
 * boundaries) draws it under: Shannon County SD became Oglala Lakota (2015), Wade Hampton Census
 * Area AK became Kusilvak (2015). The registry still carries the old codes.
 */
const RENAMED: Record<string, string> = { '46113': '46102', '02270': '02158' };

/** the atlas code a county code is drawn under */
export function atlasFips(fips: string): string {
  return RENAMED[fips] ?? fips;
}

type CountyProps = { name: string };

function loadAtlas(): Atlas {
  if (atlas) return atlas;
  const file = createRequire(import.meta.url).resolve('us-atlas/counties-albers-10m.json');
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Topology<{
    counties: GeometryCollection<CountyProps>;
    states: GeometryCollection<CountyProps>;
    nation: GeometryCollection;
  }>;
  // one decimal is a tenth of a pixel at 975 wide: smaller markup, no visible change
  const path = geoPath().digits(1);
  const stateNames = new Map(
    topo.objects.states.geometries.map((g) => [
      String(g.id),
      (g.properties as CountyProps | undefined)?.name ?? '',
    ]),
  );
  const counties: CountyShape[] = [];
  for (const f of feature(topo, topo.objects.counties).features) {
    const fips = String(f.id);
    const state = stateNames.get(fips.slice(0, 2));
    counties.push({
      fips,
      name: state ? `${f.properties.name}, ${state}` : f.properties.name,
      d: path(f) ?? '',
    });
  }
  atlas = {
    counties,
    byFips: new Map(counties.map((c) => [c.fips, c])),
    stateBorders: path(mesh(topo, topo.objects.states, (a, b) => a !== b)) ?? '',
    nation: path(feature(topo, topo.objects.nation)) ?? '',
  };
  return atlas;
}

export interface ColourClass {
  /** smallest and largest count in the class, inclusive */
  from: number;
  to: number;
  colour: string;
}

/**
 * Quantile classes over the shown (not suppressed) county counts, cut at whole numbers so that
 * every class names a range of counts and no class is empty.
 */
export function colourClasses(values: number[]): ColourClass[] {
  const shown = values.filter((v) => v > 0);
  if (!shown.length) return [];
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  const quantile = Plot.scale({ color: { type: 'quantile', domain: shown, n: CLASSES, scheme: 'oranges' } });
  const cuts = [...new Set((quantile.domain as number[]).map((t) => Math.ceil(t)))].filter(
    (t) => t > min && t <= max,
  );
  // one colour more than classes, the palest dropped: it is too close to the neutral grey
  const thresholds = Array.from({ length: CLASSES }, (_, k) => k + 1);
  const palette = (
    Plot.scale({ color: { type: 'threshold', domain: thresholds, scheme: 'oranges' } }).range as string[]
  ).slice(1);
  // the darkest colours go to the top classes whatever their number
  const colours = palette.slice(palette.length - (cuts.length + 1));
  const bounds = [min, ...cuts, max + 1];
  return colours.map((colour, i) => ({ from: bounds[i]!, to: bounds[i + 1]! - 1, colour }));
}

function colourOf(classes: ColourClass[], n: number): string {
  for (const c of classes) if (n <= c.to) return c.colour;
  return classes[classes.length - 1]?.colour ?? NEUTRAL;
}

/** What a neutral county means: with suppression on, the model leaves small counties out. */
function neutralLabel(suppressBelow: number): string {
  return suppressBelow > 0 ? `none recorded, or fewer than ${suppressBelow}` : 'none recorded';
}

function legend(classes: ColourClass[], suppressBelow: number): { svg: string; rows: number } {
  return legendOf('Declined detainers per county', [
    { colour: NEUTRAL, label: neutralLabel(suppressBelow) },
    ...classes.map((c) => ({ colour: c.colour, label: c.from === c.to ? `${c.from}` : `${c.from}–${c.to}` })),
  ]);
}

/** Legend rows of swatches under the map; a long legend wraps onto a second row. */
function legendOf(
  heading: string,
  items: { colour: string; label: string }[],
): { svg: string; rows: number } {
  let x = 0;
  let y = 18;
  const parts = items.map((it) => {
    const w = Math.max(90, 34 + it.label.length * 7);
    if (x > 0 && x + w > WIDTH - 40) {
      x = 0;
      y += 20;
    }
    const g =
      `<g transform="translate(${x},${y})"><rect width="18" height="14" fill="${it.colour}" stroke="#999" stroke-width="0.5"/>` +
      `<text x="24" y="11">${esc(it.label)}</text></g>`;
    x += w;
    return g;
  });
  return {
    svg:
      `<g class="legend" transform="translate(20,${HEIGHT + 6})" font-size="12" font-family="system-ui, sans-serif">` +
      `<text y="10" font-weight="bold">${esc(heading)}</text>${parts.join('')}</g>`,
    rows: (y - 18) / 20 + 1,
  };
}

/** The SVG around the county paths: title, state and nation borders, the legend. */
function svgOf(title: string, paths: string[], legendPart: { svg: string; rows: number }): string {
  const { stateBorders, nation } = loadAtlas();
  const legendHeight = LEGEND_HEIGHT + (legendPart.rows - 1) * 20;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="county-map" viewBox="0 0 ${WIDTH} ${HEIGHT + legendHeight}" ` +
    `width="${WIDTH}" height="${HEIGHT + legendHeight}" role="img" aria-labelledby="county-map-title">` +
    `<title id="county-map-title">${esc(title)}</title>` +
    `<g stroke="#ffffff" stroke-width="0.3" stroke-linejoin="round">${paths.join('')}</g>` +
    `<path class="state-borders" d="${stateBorders}" fill="none" stroke="#ffffff" stroke-width="1" stroke-linejoin="round" pointer-events="none"/>` +
    `<path class="nation-border" d="${nation}" fill="none" stroke="#777777" stroke-width="0.6" pointer-events="none"/>` +
    legendPart.svg +
    `</svg>`
  );
}

/**
 * The choropleth of `report.countyDeclines`; every county drawn, each with a `<title>` naming it
 * and its count. The counts are drawn as the model gives them (it has already left out the
 * counties below the suppression threshold).
 */
export function renderMap(report: Pick<Report, 'countyDeclines' | 'suppressBelow' | 'period'>): string {
  const { counties } = loadAtlas();
  const declines: Record<string, number> = {};
  for (const [fips, n] of Object.entries(report.countyDeclines))
    declines[atlasFips(fips)] = (declines[atlasFips(fips)] ?? 0) + n;
  const classes = colourClasses(Object.values(declines));
  const none = neutralLabel(report.suppressBelow);
  const paths: string[] = [];
  for (const c of counties) {
    const n = declines[c.fips] ?? 0;
    const has = n > 0;
    const fill = has ? colourOf(classes, n) : NEUTRAL;
    const label = has ? plural(numberText(n), 'decline', 'declines') : `declines: ${none}`;
    paths.push(
      `<path class="county${has ? ' has-data' : ''}" data-fips="${c.fips}" fill="${fill}" d="${c.d}"><title>${esc(c.name)}: ${esc(label)}</title></path>`,
    );
  }
  const title = `Declined detainers by county, ${report.period.from} to ${report.period.to}`;
  return svgOf(title, paths, legend(classes, report.suppressBelow));
}

export interface CategoryMapInput {
  title: string;
  legendHeading: string;
  /** per county FIPS: its category key and the text of its `<title>` after the county name */
  counties: Record<string, { category: string; text: string }>;
  /** in legend order; `colour` given by the caller, or from a categorical scheme when absent */
  categories: { key: string; label: string; colour?: string }[];
  /** what a county with no entry is said to have */
  neutral: string;
}

/**
 * A choropleth of categories (words, not counts) over the same atlas: each county drawn with the
 * colour of its category and a `<title>` naming it, the categories in the legend in the order given.
 */
export function renderCategoryMap(input: CategoryMapInput): string {
  const { counties } = loadAtlas();
  const scheme = Plot.scale({
    color: { type: 'categorical', domain: input.categories.map((c) => c.key), scheme: 'tableau10' },
  }).range as string[];
  const colours = new Map(input.categories.map((c, i) => [c.key, c.colour ?? scheme[i % scheme.length]!]));
  const byFips = new Map<string, { category: string; text: string }>();
  for (const [fips, v] of Object.entries(input.counties)) byFips.set(atlasFips(fips), v);
  const paths: string[] = [];
  for (const c of counties) {
    const v = byFips.get(c.fips);
    const fill = v ? (colours.get(v.category) ?? NEUTRAL) : NEUTRAL;
    paths.push(
      `<path class="county${v ? ' has-data' : ''}" data-fips="${c.fips}"${v ? ` data-category="${esc(v.category)}"` : ''} fill="${fill}" d="${c.d}"><title>${esc(c.name)}: ${esc(v ? v.text : input.neutral)}</title></path>`,
    );
  }
  const items = [
    ...input.categories.map((c) => ({ colour: colours.get(c.key)!, label: c.label })),
    { colour: NEUTRAL, label: input.neutral },
  ];
  return svgOf(input.title, paths, legendOf(input.legendHeading, items));
}

/** County FIPS codes in the report that the atlas has no shape for (e.g. codes newer than the atlas). */
export function unmappedCounties(countyDeclines: Record<string, number>): string[] {
  const { byFips } = loadAtlas();
  return Object.keys(countyDeclines)
    .filter((f) => !byFips.has(atlasFips(f)))
    .sort();
}

/** `Autauga, Alabama` for `01001`; null for a code the atlas does not have. */
export function countyName(fips: string): string | null {
  return loadAtlas().byFips.get(atlasFips(fips))?.name ?? null;
}

/** Every county FIPS code the atlas draws, in atlas order. */
export function atlasCountyFips(): string[] {
  return loadAtlas().counties.map((c) => c.fips);
}

/** Forget the parsed atlas, so a benchmark can time the first render of a process. */
export function resetAtlasCache(): void {
  atlas = null;
}
