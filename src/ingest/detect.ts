/**
 * Which layout a file is, from its header row. The header is looked for in the first rows so XLSX
 * preamble rows are skipped; a header that matches nothing says which layouts came nearest and
 * what they missed, so the person can fix the file instead of guessing.
 */
import { tick } from './errors.ts';
import type { ErrorCode } from './errors.ts';
import { LAYOUTS, layoutById } from './layouts/index.ts';
import { NPR_AGGREGATE_HEADERS } from './layouts/npr-extract.ts';
import { makeHeader, normaliseName } from './layouts/types.ts';
import type { Header, Layout } from './layouts/types.ts';

/** How many rows may precede the header (titles, notes, blank rows in ICE's workbooks). */
export const HEADER_SCAN_ROWS = 30;

export type Detection =
  | { ok: true; layout: Layout; header: Header }
  | { ok: false; code: ErrorCode; reason: string; row: number; column: string | null };

interface Candidate {
  layout: Layout;
  matched: number;
  missing: string[];
}

function score(names: Set<string>, layout: Layout): Candidate {
  const missing = layout.required.filter((r) => !names.has(r));
  const matched =
    layout.required.length - missing.length + layout.distinctive.filter((d) => names.has(d)).length;
  return { layout, matched, missing };
}

function trimTrailing(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] as string).trim() === '') end--;
  return end === cells.length ? cells : cells.slice(0, end);
}

/** Is this row a header, and of which layout? `null` when it is not a header row at all. */
export function matchHeader(cells: string[], forced?: string): Candidate | 'aggregate' | null {
  const names = new Set(cells.map(normaliseName));
  if (NPR_AGGREGATE_HEADERS.every((h) => names.has(h))) return 'aggregate';
  if (forced) {
    const layout = layoutById(forced);
    if (!layout) return null;
    const c = score(names, layout);
    return c.missing.length === 0 ? c : null;
  }
  let best: Candidate | null = null;
  for (const layout of LAYOUTS) {
    const c = score(names, layout);
    if (c.missing.length === 0 && (best === null || c.matched > best.matched)) best = c;
  }
  return best;
}

/**
 * Find the header among the first rows of a file or sheet. `rows` holds at most HEADER_SCAN_ROWS
 * rows; `complete` says no more rows will come (a short file or sheet).
 */
export function detect(
  rows: ReadonlyArray<{ row: number; cells: string[] }>,
  sheet: string | null,
  opts: { layout?: string } = {},
): Detection {
  if (opts.layout && !layoutById(opts.layout)) {
    return {
      ok: false,
      code: 'E_HEADER_UNKNOWN',
      reason: `${tick(opts.layout)} is not a layout (${LAYOUTS.map((l) => l.id).join(', ')})`,
      row: 0,
      column: null,
    };
  }
  let nearest: { row: number; candidates: Candidate[] } | null = null;
  for (const r of rows.slice(0, HEADER_SCAN_ROWS)) {
    const cells = trimTrailing(r.cells);
    if (cells.length === 0) continue;
    const m = matchHeader(cells, opts.layout);
    if (m === 'aggregate') {
      return {
        ok: false,
        code: 'E_AGGREGATE_TABLE',
        reason: `the header ${tick(cells.join(','))} is NPR's table of counts per year, facility and lift reason, not one row per request, so it cannot be imported`,
        row: r.row,
        column: null,
      };
    }
    if (m) {
      const header = makeHeader(cells, r.row, sheet);
      const seen = new Map<string, number>();
      for (let i = 0; i < header.norm.length; i++) {
        const n = header.norm[i] as string;
        if (n === '') continue;
        const first = seen.get(n);
        if (first !== undefined) {
          const shown = header.names[i] as string;
          return {
            ok: false,
            code: 'E_HEADER_DUPLICATE',
            reason: `${tick(shown.trim())} appears twice in the header (columns ${first + 1} and ${i + 1})`,
            row: r.row,
            column: shown.trim(),
          };
        }
        seen.set(n, i);
      }
      return { ok: true, layout: m.layout, header };
    }
    const names = new Set(cells.map(normaliseName));
    const pool = opts.layout ? LAYOUTS.filter((l) => l.id === opts.layout) : LAYOUTS;
    const candidates = pool
      .map((l) => score(names, l))
      .filter((c) => c.matched > 0)
      .sort(
        (a, b) => b.matched / (b.matched + b.missing.length) - a.matched / (a.matched + a.missing.length),
      );
    const best = candidates[0];
    const top = nearest?.candidates[0];
    if (best && (!top || best.matched > top.matched)) nearest = { row: r.row, candidates };
  }
  const firstRow = rows.find((r) => trimTrailing(r.cells).length > 0);
  if (!nearest) {
    const shown = firstRow ? tick(trimTrailing(firstRow.cells).join(',')) : 'nothing';
    return {
      ok: false,
      code: 'E_HEADER_UNKNOWN',
      reason: `no header in the first ${HEADER_SCAN_ROWS} rows (the first row is ${shown}) matches any layout`,
      row: firstRow?.row ?? 1,
      column: null,
    };
  }
  const near = nearest.candidates
    .slice(0, 2)
    .map((c) => `${tick(c.layout.id)} (missing ${c.missing.map(tick).join(', ')})`)
    .join('; ');
  return {
    ok: false,
    code: 'E_HEADER_UNKNOWN',
    reason: `the header on row ${nearest.row} matches no layout; nearest: ${near}`,
    row: nearest.row,
    column: nearest.candidates[0]?.missing[0] ?? null,
  };
}
