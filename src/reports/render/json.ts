/** The JSON rendering: the report model itself, so it carries every figure of the HTML and CSV. */
import type { Report } from '../types.ts';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
