/**
 * What every renderer shares, so the HTML, the CSV and the JSON write each figure the same way:
 * escaping, number text and small-count suppression.
 */
import type { Report } from '../types.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content and attribute values (names in the sources may hold markup). */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** The marker every rendering of demo data carries, word for word. */
export const SYNTHETIC_MARKER = 'SYNTHETIC DEMO DATA';

/**
 * Number text used in all three outputs: integers as plain digits (no grouping, so the HTML and
 * the CSV read the same), fractions to four decimal places.
 */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 10_000) / 10_000);
}

/**
 * The text of a count the model marks suppressed (below `suppressBelow`): `<N`, never the number.
 * The model decides what is suppressed (src/reports/build.ts); renderers only show its decision,
 * so the HTML, the CSV and the JSON cannot disagree about it.
 */
export function countText(count: number, report: Pick<Report, 'suppressBelow'>, suppressed = false): string {
  return suppressed ? `<${report.suppressBelow}` : numberText(count);
}

/** `1 decline`, `3 declines`, `<5 declines` */
export function plural(text: string, one: string, many: string): string {
  return `${text} ${text === '1' ? one : many}`;
}
