/**
 * A strict date parser for real exports: ISO, ISO with a time, m/d/yy, m/d/yyyy and Excel serial
 * day numbers. It never guesses: a value that could be read two ways is rejected with a reason.
 */
import type { ErrorCode } from './errors.ts';
import { tick } from './errors.ts';

/** On failure `reason` is the finding only: the row error sink adds the code's fix once. */
export type DateResult = { ok: true; value: string | null } | { ok: false; code: ErrorCode; reason: string };

export interface DateOptions {
  /** a blank, `NA` or redacted value gives null instead of an error */
  allowBlank?: boolean;
  /** bare numbers are Excel serial day numbers (XLSX sources) */
  allowSerial?: boolean;
  /** keep an ISO date-time as given instead of cutting it to the date */
  keepTime?: boolean;
  /** the canonical format: only YYYY-MM-DD (or an ISO date-time) is accepted */
  isoOnly?: boolean;
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** Values that mean "no date" in ICE releases: blanks, NA, FOIA redaction markers. */
const BLANKS = new Set(['', 'na', 'n/a', 'null', 'none', '-', '--', 'redacted', '[redacted]', '(redacted)']);
const REDACTION = /^\(b\)\s*\(\d\)/i;

export function isBlankish(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  return BLANKS.has(v) || REDACTION.test(v);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return DAYS[m - 1] ?? 0;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function iso(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function fail(code: ErrorCode, finding: string): DateResult {
  return { ok: false, code, reason: finding };
}

function checkYmd(raw: string, y: number, m: number, d: number): DateResult {
  if (y < MIN_YEAR || y > MAX_YEAR)
    return fail('E_DATE_RANGE', `${tick(raw)} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  if (m < 1 || m > 12) return fail('E_DATE_IMPOSSIBLE', `${tick(raw)} has no month ${m}`);
  if (d < 1 || d > daysInMonth(y, m))
    return fail(
      'E_DATE_IMPOSSIBLE',
      `${tick(raw)} does not exist (month ${m} of ${y} has ${daysInMonth(y, m)} days)`,
    );
  return { ok: true, value: iso(y, m, d) };
}

/** Two-digit years pivot like POSIX strptime: 69–99 → 19xx, 00–68 → 20xx. */
export function expandYear(yy: number): number {
  return yy >= 69 ? 1900 + yy : 2000 + yy;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Excel's 1900 date system, including its phantom 1900-02-29 (serial 60), which is rejected. */
export function serialToIso(serial: number): DateResult {
  const raw = String(serial);
  if (!Number.isFinite(serial) || serial < 1)
    return fail('E_DATE_RANGE', `serial ${tick(raw)} is before 1900-01-01`);
  const day = Math.floor(serial);
  if (day === 60)
    return fail('E_DATE_IMPOSSIBLE', `serial ${tick(raw)} is Excel's 1900-02-29, which never existed`);
  // Serials below 60 count from 1899-12-31 because of the phantom leap day.
  const ms = day < 60 ? EXCEL_EPOCH + (day + 1) * DAY_MS : EXCEL_EPOCH + day * DAY_MS;
  const dt = new Date(ms);
  const y = dt.getUTCFullYear();
  if (y < MIN_YEAR || y > MAX_YEAR) {
    const shown =
      Number.isFinite(y) && y < 100_000 ? ` (${iso(y, dt.getUTCMonth() + 1, dt.getUTCDate())})` : '';
    return fail('E_DATE_RANGE', `Excel serial ${tick(raw)} is outside ${MIN_YEAR}–${MAX_YEAR}${shown}`);
  }
  return { ok: true, value: iso(y, dt.getUTCMonth() + 1, dt.getUTCDate()) };
}

/** The serial of an ISO date, for tests and for XLSX cells that exceljs already turned into a Date. */
export function isoToSerial(isoDate: string): number {
  const ms = Date.parse(isoDate + 'T00:00:00Z');
  const day = Math.round((ms - EXCEL_EPOCH) / DAY_MS);
  return day < 61 ? day - 1 : day;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?: 0?0:00(?::00)?(?: ?[AaPp][Mm])?)?$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;

/** Parse one date cell. Never throws. */
export function parseDate(input: string, opts: DateOptions = {}): DateResult {
  const raw = input.trim();
  // Fast path: the canonical format, checked by hand because it is most of every big file.
  if (raw.length === 10 && raw.charCodeAt(4) === 45 && raw.charCodeAt(7) === 45) {
    const y = digits(raw, 0, 4);
    const m = digits(raw, 5, 7);
    const d = digits(raw, 8, 10);
    if (y >= 0 && m >= 0 && d >= 0) return checkYmd(raw, y, m, d);
  }
  if (isBlankish(raw)) {
    if (opts.allowBlank) return { ok: true, value: null };
    return fail('E_REQUIRED', raw === '' ? 'the date is blank' : `${tick(raw)} is not a date`);
  }
  const mi = ISO_TIME.exec(raw);
  if (mi) {
    const r = checkYmd(raw, Number(mi[1]), Number(mi[2]), Number(mi[3]));
    if (!r.ok || mi[4] === undefined) return r;
    const hh = Number(mi[4]);
    const mm = Number(mi[5]);
    const ss = mi[6] === undefined ? 0 : Number(mi[6]);
    if (hh > 23 || mm > 59 || ss > 59)
      return fail('E_DATE_IMPOSSIBLE', `${tick(raw)} has an impossible time`);
    if (!opts.keepTime) return r;
    return { ok: true, value: raw.replace(' ', 'T') };
  }
  // "05/082025", "7/72025": a slash is missing, so day and year run together. Say so; never guess.
  if (/^\d{1,2}\/\d{5,6}$/.test(raw) || /^\d{3,4}\/\d{4}$/.test(raw) || /^\d{1,2}\/\d{1,2}\d{4}$/.test(raw)) {
    return fail(
      'E_DATE_MALFORMED',
      `${tick(raw)} has two numbers where three are needed (a slash is missing)`,
    );
  }
  if (opts.isoOnly) {
    if (SERIAL.test(raw) && raw.length >= 4 && raw.length <= 6) {
      return fail('E_DATE_SERIAL', `${tick(raw)} looks like an Excel serial day number, not a date`);
    }
    return fail('E_DATE_FORMAT', `${tick(raw)} is not YYYY-MM-DD`);
  }
  const ms = SLASH.exec(raw);
  if (ms) {
    const yText = ms[3] as string;
    const y = yText.length === 2 ? expandYear(Number(yText)) : Number(yText);
    return checkYmd(raw, y, Number(ms[1]), Number(ms[2]));
  }
  if (SERIAL.test(raw)) {
    if (opts.allowSerial) return serialToIso(Number(raw));
    if (raw.length >= 4 && raw.length <= 6 && !raw.includes('.')) {
      return fail('E_DATE_SERIAL', `${tick(raw)} looks like an Excel serial day number, not a date`);
    }
    return fail('E_DATE_FORMAT', `${tick(raw)} is a number, not a date`);
  }
  return fail('E_DATE_FORMAT', `${tick(raw)} is not YYYY-MM-DD, m/d/yyyy, m/d/yy or an Excel serial`);
}
