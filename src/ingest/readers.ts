/**
 * Streaming readers: CSV/TSV (papaparse's parser, fed chunk by chunk so memory stays flat), XLSX
 * (exceljs's streaming reader, every sheet) and JSON Lines. They yield raw rows with their row
 * number and any problem found while reading; what the rows mean is the layouts' business.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { ErrorCode } from './errors.ts';

export type SourceKind = 'csv' | 'xlsx' | 'jsonl';

export interface ReadIssue {
  code: ErrorCode;
  /** 0-based column, or null for the whole row */
  column: number | null;
  finding: string;
}

export interface RawRow {
  /** 1-based row in the file (CSV: record number, blank lines counted; XLSX: the sheet's row) */
  row: number;
  cells: string[];
  /** JSON Lines: the parsed object (cells is empty) */
  record?: Record<string, unknown>;
  issue?: ReadIssue;
  /** the last record of a CSV file: a short row here means the file was cut off */
  last?: boolean;
}

export interface SourceChunk {
  sheet: string | null;
  rows: RawRow[];
  bytesRead: number;
}

/** No column of any layout needs more; a longer field is a broken file, not data. */
export const MAX_FIELD = 65_536;
/** Bytes read at a time: a chunk's rows live until the last is mapped, so a small one keeps them young. */
const CHUNK = 1 << 16;

export function sourceKindOf(file: string): SourceKind {
  const f = file.toLowerCase();
  if (f.endsWith('.xlsx') || f.endsWith('.xlsm')) return 'xlsx';
  if (f.endsWith('.jsonl') || f.endsWith('.ndjson')) return 'jsonl';
  return 'csv';
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

export function readRows(file: string, kind: SourceKind = sourceKindOf(file)): AsyncGenerator<SourceChunk> {
  if (kind === 'xlsx') return readXlsx(file);
  if (kind === 'jsonl') return readJsonLines(file);
  return readDelimited(file);
}

/** ICE's AOR table separates quoted values with ", "; papaparse wants plain commas. */
const QUOTED_COMMA_SPACE = /^"[^"\n]*"(?:, +"[^"\n]*")+\r?$/;

function checkFields(cells: string[], text: string): ReadIssue | undefined {
  if (text.length > MAX_FIELD) {
    for (let c = 0; c < cells.length; c++) {
      const len = (cells[c] as string).length;
      if (len > MAX_FIELD) {
        return {
          code: 'E_FIELD_TOO_LONG',
          column: c,
          finding: `the field has ${len.toLocaleString('en-US')} characters (limit ${MAX_FIELD.toLocaleString('en-US')})`,
        };
      }
    }
  }
  return undefined;
}

function checkEncoding(cells: string[]): ReadIssue | undefined {
  for (let c = 0; c < cells.length; c++) {
    if ((cells[c] as string).includes('\uFFFD')) {
      return {
        code: 'E_ENCODING',
        column: c,
        finding: 'the field has bytes that are not UTF-8 (shown as �)',
      };
    }
  }
  return undefined;
}

async function* readDelimited(file: string): AsyncGenerator<SourceChunk> {
  const stream = createReadStream(file, { highWaterMark: CHUNK });
  const decoder = new TextDecoder('utf-8');
  let parser: Papa.Parser | null = null;
  let partial = '';
  let rowNo = 0;
  let bytesRead = 0;
  let first = true;
  let commaSpace = false;
  let carry = '';

  const parse = (text: string, final: boolean): RawRow[] => {
    const p = parser as Papa.Parser;
    const res = p.parse(text, 0, !final) as {
      data: string[][];
      errors: Array<{ code: string; row?: number }>;
      meta: { cursor: number };
    };
    const rows: RawRow[] = [];
    const bad = text.includes('\uFFFD');
    const long = text.length > MAX_FIELD;
    const quoteErrors = new Set<number>();
    for (const e of res.errors) if (e.code === 'MissingQuotes' && e.row !== undefined) quoteErrors.add(e.row);
    for (let i = 0; i < res.data.length; i++) {
      const cells = res.data[i] as string[];
      rowNo++;
      if (cells.length === 1 && cells[0] === '') continue; // blank line
      const r: RawRow = { row: rowNo, cells };
      if (quoteErrors.has(i))
        r.issue = {
          code: 'E_QUOTE',
          column: cells.length - 1,
          finding: 'a quoted field runs to the end of the file',
        };
      else if (long) r.issue = checkFields(cells, text);
      if (!r.issue && bad) r.issue = checkEncoding(cells);
      rows.push(r);
    }
    if (final && rows.length > 0) (rows[rows.length - 1] as RawRow).last = true;
    partial = final ? '' : text.substring(res.meta.cursor);
    return rows;
  };

  for await (const buf of stream as AsyncIterable<Buffer>) {
    bytesRead += buf.length;
    let text = decoder.decode(buf, { stream: true });
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const nl = text.indexOf('\n');
      const line = nl < 0 ? text : text.slice(0, nl);
      const crlf = nl > 0 && text.charCodeAt(nl - 1) === 13;
      const tabs = line.split('\t').length;
      const commas = line.split(',').length;
      commaSpace = QUOTED_COMMA_SPACE.test(line);
      parser = new Papa.Parser({ delimiter: tabs > commas ? '\t' : ',', newline: crlf ? '\r\n' : '\n' });
    }
    if (commaSpace) {
      // Hold back a trailing `"` or `",` so a `", "` split across chunks is still seen.
      text = carry + text;
      const keep = text.endsWith('",') ? 2 : text.endsWith('"') ? 1 : 0;
      carry = text.slice(text.length - keep);
      text = text.slice(0, text.length - keep).replace(/", +"/g, '","');
    }
    const rows = parse(partial + text, false);
    if (rows.length) yield { sheet: null, rows, bytesRead };
  }
  const tail = decoder.decode() + (commaSpace ? carry.replace(/", +"/g, '","') : carry);
  if (parser && (partial + tail).length > 0) {
    const rows = parse(partial + tail, true);
    yield { sheet: null, rows, bytesRead };
  } else if (parser) {
    yield { sheet: null, rows: [], bytesRead };
  }
}

/** One XLSX cell as text. Dates become Excel serials again so the layouts see one form of date. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isNaN(ms)) return '';
    // exceljs turned a serial into a Date; turn it back (the time of day is dropped).
    const day = Math.floor(ms / 86_400_000 + 25_569 + 1e-9);
    return String(day < 61 ? day - 1 : day);
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return (o.richText as Array<{ text?: string }>).map((t) => t.text ?? '').join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

async function* readXlsx(file: string): AsyncGenerator<SourceChunk> {
  let bytesRead = 0;
  const input = createReadStream(file, { highWaterMark: CHUNK });
  input.on('data', (b) => {
    bytesRead += b.length;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const ws of reader) {
    const sheet =
      (ws as unknown as { name?: string }).name ?? `sheet ${(ws as unknown as { id: number }).id}`;
    let rows: RawRow[] = [];
    for await (const row of ws) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
      const r: RawRow = { row: row.number, cells };
      const issue = checkFields(cells, cells.join(''));
      if (issue) r.issue = issue;
      rows.push(r);
      if (rows.length >= 2000) {
        yield { sheet, rows, bytesRead };
        rows = [];
      }
    }
    yield { sheet, rows, bytesRead };
  }
}

async function* readJsonLines(file: string): AsyncGenerator<SourceChunk> {
  const stream = createReadStream(file, { highWaterMark: CHUNK });
  const decoder = new TextDecoder('utf-8');
  let partial = '';
  let lineNo = 0;
  let bytesRead = 0;
  let first = true;

  const lines = (text: string, final: boolean): RawRow[] => {
    const parts = text.split('\n');
    partial = final ? '' : (parts.pop() as string);
    const rows: RawRow[] = [];
    for (let i = 0; i < parts.length; i++) {
      let line = parts[i] as string;
      lineNo++;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() === '') continue;
      const r: RawRow = { row: lineNo, cells: [] };
      if (final && i === parts.length - 1) r.last = true;
      if (line.length > MAX_FIELD * 4) {
        r.issue = {
          code: 'E_FIELD_TOO_LONG',
          column: null,
          finding: `the line has ${line.length.toLocaleString('en-US')} characters`,
        };
      } else if (line.includes('\uFFFD')) {
        r.issue = {
          code: 'E_ENCODING',
          column: null,
          finding: 'the line has bytes that are not UTF-8 (shown as �)',
        };
      } else {
        try {
          const v: unknown = JSON.parse(line);
          if (v === null || typeof v !== 'object' || Array.isArray(v)) {
            r.issue = { code: 'E_JSON', column: null, finding: 'the line is JSON but not an object' };
          } else {
            r.record = v as Record<string, unknown>;
          }
        } catch (e) {
          const what =
            final && i === parts.length - 1 ? 'the last line is cut short' : 'the line is not valid JSON';
          r.issue = {
            code: 'E_JSON',
            column: null,
            finding: `${what} (${(e as Error).message.toLowerCase().replace(/\.$/, '')})`,
          };
        }
      }
      rows.push(r);
    }
    return rows;
  };

  for await (const buf of stream as AsyncIterable<Buffer>) {
    bytesRead += buf.length;
    let text = decoder.decode(buf, { stream: true });
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const rows = lines(partial + text, false);
    if (rows.length) yield { sheet: null, rows, bytesRead };
  }
  const rest = partial + decoder.decode();
  yield { sheet: null, rows: rest.length ? lines(rest, true) : [], bytesRead };
}
