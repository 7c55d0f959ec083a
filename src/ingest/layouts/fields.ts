/** Value parsers shared by the layouts: the vocabularies ICE and the canonical format use. */
import { createHash } from 'node:crypto';
import { isBlankish } from '../dates.ts';
import { tick } from '../errors.ts';
import type { RequestType } from '../../ledger/types.ts';

/** A cell's value with ICE's blanks (empty, NA, redaction markers) as null and spaces trimmed. */
export function text(cells: string[], i: number): string | null {
  if (i < 0) return null;
  let t = cells[i];
  if (t === undefined || t.length === 0) return null;
  // trim and the blank test only when the cell could need them: most cells are plain values
  if (t.charCodeAt(0) <= 32 || t.charCodeAt(t.length - 1) <= 32) {
    t = t.trim();
    if (t === '') return null;
  }
  if (t.length <= 12 && MAYBE_BLANK[t.charCodeAt(0)] === 1 && isBlankish(t)) return null;
  return t;
}

/** First characters of the values isBlankish accepts: n, N, (, -, [, r, R. */
const MAYBE_BLANK = new Uint8Array(128);
for (const c of 'nN(-[rR') MAYBE_BLANK[c.charCodeAt(0)] = 1;

/** The first of `names` the header has, or -1. */
export function pick(index: Map<string, number>, names: readonly string[]): number {
  for (const n of names) {
    const i = index.get(n);
    if (i !== undefined) return i;
  }
  return -1;
}

/**
 * ICE's form labels: "I247A - Immigration Detainer - Notice of Action", "I247N - Immigration
 * Advisal - Request for Notification", … The form number decides the request type.
 */
export function detainerType(raw: string | null): { type: RequestType; form: string | null } | string {
  // Rows before ~2014 have no type: they are all I-247 detainers, whose request is a hold.
  if (raw === null) return { type: 'hold', form: null };
  const m = /^i[\s-]?247\s*([adnx])?\b/i.exec(raw);
  if (!m) return `${tick(raw)} does not start with a form number`;
  const letter = (m[1] ?? '').toUpperCase();
  const form = 'I-247' + letter;
  if (letter === 'N') return { type: 'notify', form };
  if (letter === 'X') return { type: 'transfer', form };
  return { type: 'hold', form };
}

/** "1 Convicted Criminal", "2 Pending Criminal Charges", "3 Other Immigration Violator". */
export function criminality(raw: string | null): string | null | undefined {
  if (raw === null) return null;
  const v = raw.toLowerCase();
  if (v.startsWith('1') || v.includes('convicted')) return 'convicted';
  if (v.startsWith('2') || v.includes('pending')) return 'pending-charges';
  if (v.startsWith('3') || v.includes('other immigration')) return 'other-immigration-violator';
  return undefined;
}

/**
 * ICE's anonymised person identifier, hashed once more so the ledger never holds the released
 * value itself; the same input always gives the same key, so rows still link.
 */
export function subjectKey(raw: string | null): string | null {
  if (raw === null) return null;
  return (
    'sk1:' +
    createHash('sha1')
      .update('subject:' + raw)
      .digest('hex')
      .slice(0, 24)
  );
}

/** Columns that identify a person: never stored, never part of a derived id. */
export const PERSONAL_COLUMNS = new Set([
  'name',
  'first_name',
  'last_name',
  'middle_name',
  'full_name',
  'subject_name',
  'person_name',
  'alias',
  'birth_date',
  'date_of_birth',
  'dob',
  'birth_year',
  'alien_file_number',
  'alien_number',
  'a_number',
  'anumber',
  'file_number',
  'eid_case_id',
  'eid_subject_id',
  'eid_dta_id',
  'ssn',
  'social_security_number',
  'fbi_number',
  'fin',
  'unique_identifier',
  'anonymized_identifier',
  'anonymized_unique_identifier',
  'alien_number_unique_identifier',
]);

/** Personal columns the canonical format refuses (its `subject_key` is already pseudonymous). */
export const REFUSED_COLUMNS = new Set([...PERSONAL_COLUMNS].filter((c) => !c.includes('identifier')));
