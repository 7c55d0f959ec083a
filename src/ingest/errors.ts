/**
 * Every problem an import can report has a stable code, a one-line reason and a fix (the
 * README lists them all). A problem is tied to its file, row and column so a person can find it.
 */

export const ERROR_CODES = {
  E_READ: 'the file cannot be read',
  E_FILE_EMPTY: 'the file is empty',
  E_NO_ROWS: 'the file has a header but no data rows',
  E_HEADER_UNKNOWN: 'the header matches no known layout',
  E_HEADER_DUPLICATE: 'a column name appears twice in the header',
  E_AGGREGATE_TABLE: 'the file holds counts, not request rows',
  E_COLUMN_UNKNOWN: 'the header has a column the layout does not define',
  E_COLUMN_MISSING: 'a column the layout needs is missing',
  E_PRIVACY_FIELD: 'the header has a personal-data column',
  E_SHEET_DATE: 'the date of a 287(g) sheet is unknown',
  E_ENCODING: 'the row is not valid UTF-8',
  E_FIELD_COUNT: 'the row has the wrong number of fields',
  E_TRUNCATED: 'the last line is cut short',
  E_QUOTE: 'a quoted field is never closed',
  E_FIELD_TOO_LONG: 'a field is longer than the limit',
  E_JSON: 'the line is not a JSON object',
  E_REQUIRED: 'a required value is blank',
  E_VALUE: 'the value is not one of the allowed values',
  E_DATE_FORMAT: 'the date is in no accepted format',
  E_DATE_MALFORMED: 'the date is missing a separator',
  E_DATE_IMPOSSIBLE: 'the date does not exist',
  E_DATE_RANGE: 'the date is before 1900 or after 2100',
  E_DATE_SERIAL: 'an Excel serial day number in a text-date column',
  E_STATE_UNKNOWN: 'the state is not a US state or territory',
  E_LOCATION_MISSING: 'the row names no agency, facility or division',
  E_DIVISION_UNKNOWN: 'the division id is not in the registry',
  E_INFO_KIND: 'an info request without a valid info kind',
  E_DETAINER_TYPE: 'the detainer type names no known form',
  E_LIFT_REASON: 'the lift reason is not in the mapping table',
  E_DETAIL_JSON: 'the detail column is not a JSON object',
  E_ID_CONFLICT: 'the same id arrives with different content',
  E_REQUEST_UNKNOWN: 'the event refers to a request that is not in the ledger',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** How to fix each problem, said once so every message carries it. */
export const FIXES: Record<ErrorCode, string> = {
  E_READ: 'check the path and that the file is CSV, TSV, JSON Lines or XLSX',
  E_FILE_EMPTY: 'export the file again; it has no bytes',
  E_NO_ROWS: 'export the rows too, or drop the file',
  E_HEADER_UNKNOWN: 'use the canonical header (see src/ingest/README.md) or pass `--layout`',
  E_HEADER_DUPLICATE: 'rename or remove the second column',
  E_AGGREGATE_TABLE: 'import the row-level extract (residents.csv, americans.csv) instead',
  E_COLUMN_UNKNOWN: 'remove the column or rename it to a canonical one',
  E_COLUMN_MISSING: 'add the column to the header',
  E_PRIVACY_FIELD: 'remove the column; use a pseudonymous `subject_key` instead',
  E_SHEET_DATE: 'keep ICE’s file name (…MMDDYYYY…) or pass `--sheet-date YYYY-MM-DD`',
  E_ENCODING: 'save the file as UTF-8',
  E_FIELD_COUNT: 'quote fields that contain the delimiter and give every row as many fields as the header',
  E_TRUNCATED: 'the file was cut off: copy or export it again',
  E_QUOTE: 'close the quote, or double the quote characters inside the field',
  E_FIELD_TOO_LONG: 'shorten the field; no column needs more than 64 KiB',
  E_JSON: 'write one JSON object per line',
  E_REQUIRED: 'fill in the value',
  E_VALUE: 'use one of the allowed values',
  E_DATE_FORMAT: 'write the date as YYYY-MM-DD',
  E_DATE_MALFORMED: 'write the date as YYYY-MM-DD; the importer does not guess the missing part',
  E_DATE_IMPOSSIBLE: 'correct the day or month',
  E_DATE_RANGE: 'correct the year',
  E_DATE_SERIAL: 'format the column as a date before export, or write YYYY-MM-DD',
  E_STATE_UNKNOWN: 'use a two-letter postal code or the full state name',
  E_LOCATION_MISSING: 'fill in one of agency_id, facility_code, facility_name or division_id',
  E_DIVISION_UNKNOWN: 'use an OCD-ID from data/divisions/us-divisions.csv',
  E_INFO_KIND: 'set info_kind to immigration-status, criminal-history, release-date, address or court-date',
  E_DETAINER_TYPE: 'the value must start with the form number (I247, I247A, I247D, I247N, I247X)',
  E_LIFT_REASON: 'add the reason to data/lift-reasons.csv with its event kind',
  E_DETAIL_JSON: 'write detail as a JSON object, e.g. {"note":"…"}',
  E_ID_CONFLICT: 'give the second row its own id, or correct the record with a `corrected` event',
  E_REQUEST_UNKNOWN: 'import the requests file first, or correct the request_id',
};

/** One problem with one row (or with the header, whose row is given too). */
export interface RowError {
  file: string;
  sheet?: string | null;
  /** 1-based row in the file or sheet (the header row counts); 0 when the file as a whole */
  row: number;
  /** the column as the file names it, or null for the whole row */
  column: string | null;
  value: string | null;
  code: ErrorCode;
  /** what is wrong and how to fix it, lowercase, user input in backticks */
  reason: string;
}

/** Quote user input for a message; long values are cut so one cell cannot flood a report. */
export function tick(value: string): string {
  const v = value.length > 60 ? value.slice(0, 57) + '…' : value;
  return '`' + v.replace(/`/g, "'") + '`';
}

/** The reason text: the specific finding, then the fix. */
export function reasonFor(code: ErrorCode, finding: string): string {
  return `${finding}: ${FIXES[code]}`;
}
