/** What the two canonical layouts share: a closed header whose unknown or personal columns are refused. */
import { tick } from '../errors.ts';
import { REFUSED_COLUMNS } from './fields.ts';
import type { Header, HeaderProblem } from './types.ts';

export function checkClosedHeader(
  header: Header,
  allowed: readonly string[],
  required: readonly string[],
): HeaderProblem[] {
  const problems: HeaderProblem[] = [];
  const known = new Set(allowed);
  header.norm.forEach((n, i) => {
    const shown = header.names[i] ?? n;
    if (n === '' && shown.trim() === '') {
      problems.push({ code: 'E_COLUMN_UNKNOWN', column: `#${i + 1}`, reason: `column ${i + 1} has no name` });
    } else if (REFUSED_COLUMNS.has(n)) {
      problems.push({
        code: 'E_PRIVACY_FIELD',
        column: shown,
        reason: `${tick(shown)} would store personal data, which the ledger never holds`,
      });
    } else if (!known.has(n) || n !== shown.trim()) {
      // The canonical format is exact snake_case so files written for it stay portable.
      const hint = known.has(n) ? ` (did you mean ${tick(n)}?)` : '';
      problems.push({
        code: 'E_COLUMN_UNKNOWN',
        column: shown,
        reason: `${tick(shown)} is not a canonical column${hint}`,
      });
    }
  });
  for (const r of required) {
    if (!header.index.has(r))
      problems.push({ code: 'E_COLUMN_MISSING', column: r, reason: `the header has no ${tick(r)} column` });
  }
  return problems;
}

export function isTrue(v: string | null): boolean | undefined {
  if (v === null) return false;
  const t = v.toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return undefined;
}
