/**
 * One import, one pass: read → detect the layout → map each row → resolve names → write in
 * batches into one store transaction. A file with bad rows is rolled back whole unless
 * `acceptPartial`, which loads the good rows and writes the bad ones to a rejects file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { resolveName } from '../jurisdictions/resolve.ts';
import type { Registry } from '../jurisdictions/registry.ts';
import type { Resolution } from '../jurisdictions/types.ts';
import type { ImportSession, RowOutcome, Store } from '../ledger/store.ts';
import type { LedgerEvent, RequestRecord } from '../ledger/types.ts';
import type { Agreements287gTable, AreasOfResponsibilityTable } from '../ledger/schema.ts';
import { detect, HEADER_SCAN_ROWS } from './detect.ts';
import { reasonFor, tick, type ErrorCode, type RowError } from './errors.ts';
import { PERSONAL_COLUMNS, REFUSED_COLUMNS } from './layouts/fields.ts';
import { makeHeader } from './layouts/types.ts';
import type {
  AgreementDraft,
  AreaDraft,
  BoundLayout,
  Draft,
  ErrorSink,
  EventDraft,
  Header,
  Layout,
  LayoutId,
  RequestDraft,
} from './layouts/types.ts';
import { readRows, sourceKindOf, type RawRow, type SourceKind } from './readers.ts';

export interface ImportOptions {
  store: Store;
  registry: Registry;
  file: string;
  acceptPartial?: boolean;
  dryRun?: boolean;
  rejectsFile?: string;
  layout?: string;
  sheetDate?: string;
  onProgress?: (rowsRead: number, bytesRead: number, totalBytes: number) => void;
}

export interface UnresolvedName {
  name: string;
  city: string | null;
  state: string;
  count: number;
  status: 'ambiguous' | 'unknown';
  candidates: string[];
}

export type ImportStatus = 'loaded' | 'partial' | 'rejected' | 'dry-run';

export interface ImportSummary {
  file: string;
  layout: LayoutId | null;
  status: ImportStatus;
  /** data rows read (blank rows and headers not counted) */
  read: number;
  loaded: number;
  duplicates: number;
  rejected: number;
  unresolved: UnresolvedName[];
  /** the first MAX_REPORTED errors; errorCount has them all */
  errors: RowError[];
  errorCount: number;
  /** problems that did not stop the row (a 287(g) agreement's malformed signing date) */
  warnings: RowError[];
  warningCount: number;
  dryRun: boolean;
  rejectsFile: string | null;
}

export const MAX_REPORTED = 100;

/** An error of the store while rows were being read, kept apart from the file's own errors. */
class StoreFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(String((cause as Error)?.message ?? cause));
  }
}
/**
 * Rows per store call. Small enough that a batch is written and dropped before the young
 * generation is collected twice: rows kept longer are copied into the old generation, which then
 * grows to several times what is alive (2000 rows: peak memory about 600 MB at a million rows).
 */
const BATCH = 1000;
/** From this size a store may split an import over threads (starting a thread costs a few hundred ms). */
const LARGE_FILE_BYTES = 4 << 20;

interface Pending {
  draft: Draft;
  row: number;
  sheet: string | null;
  cells: string[];
  header: Header;
  idColumns: number[] | null;
  idScope: string;
}

/** Per-sheet state: the header once found, and the rows seen before it. */
interface SheetState {
  sheet: string | null;
  bound: BoundLayout | null;
  header: Header | null;
  layout: Layout | null;
  scanned: RawRow[];
  done: boolean;
}

export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const run = new ImportRun(opts);
  return run.execute();
}

class ImportRun {
  readonly summary: ImportSummary;
  private readonly kind: SourceKind;
  private readonly source: string;
  private session: ImportSession | null = null;
  private batch: Pending[] = [];
  /** rows per store call: the session's own size if it has one */
  private batchRows = BATCH;
  private inFlight: Promise<void> | null = null;
  private readonly derivedCounts = new Map<string, number>();
  private readonly resolutions = new Map<string, Resolution>();
  private readonly unresolved = new Map<string, UnresolvedName>();
  private rejects: WriteStream | null = null;
  private rejectsTmp: string | null = null;
  private rejectsHeader: string[] | null = null;
  private fileError = false;
  private layout: Layout | null = null;
  private totalBytes = 0;
  private bytesRead = 0;
  /** the row being mapped, for the sink */
  private current: { row: number; sheet: string | null; errors: RowError[] } = {
    row: 0,
    sheet: null,
    errors: [],
  };
  private readonly sink: ErrorSink;

  constructor(private readonly opts: ImportOptions) {
    this.kind = sourceKindOf(opts.file);
    this.source = basename(opts.file);
    this.summary = {
      file: opts.file,
      layout: null,
      status: 'rejected',
      read: 0,
      loaded: 0,
      duplicates: 0,
      rejected: 0,
      unresolved: [],
      errors: [],
      errorCount: 0,
      warnings: [],
      warningCount: 0,
      dryRun: opts.dryRun === true,
      rejectsFile: null,
    };
    this.sink = {
      add: (column, value, code, reason) => {
        this.current.errors.push({
          file: opts.file,
          sheet: this.current.sheet,
          row: this.current.row,
          column,
          value,
          code,
          reason: reasonFor(code, reason),
        });
      },
      warn: (column, value, code, reason) => {
        this.summary.warningCount++;
        if (this.summary.warnings.length < MAX_REPORTED) {
          this.summary.warnings.push({
            file: opts.file,
            sheet: this.current.sheet,
            row: this.current.row,
            column,
            value,
            code,
            reason,
          });
        }
      },
    };
  }

  async execute(): Promise<ImportSummary> {
    try {
      this.totalBytes = (await stat(this.opts.file)).size;
    } catch (e) {
      // the store failed, not the file: that is the import's error, as it is
      if (e instanceof StoreFailure) throw e.cause;
      this.fileFail(
        'E_READ',
        0,
        null,
        `${tick(this.opts.file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return this.summary;
    }
    if (this.totalBytes === 0) {
      this.fileFail('E_FILE_EMPTY', 0, null, `${tick(basename(this.opts.file))} has no bytes`);
      return this.summary;
    }
    this.session = await this.opts.store.beginImport({ large: this.totalBytes >= LARGE_FILE_BYTES });
    this.batchRows = this.session.batchRows ?? BATCH;
    try {
      await this.readAll();
      await this.drain();
      return await this.finish();
    } catch (e) {
      await this.session.rollback();
      await this.discardRejects();
      throw e instanceof StoreFailure ? e.cause : e;
    }
  }

  private async readAll(): Promise<void> {
    const sheets = new Map<string | null, SheetState>();
    let anyHeader = false;
    try {
      for await (const chunk of readRows(this.opts.file, this.kind)) {
        this.bytesRead = chunk.bytesRead;
        let st = sheets.get(chunk.sheet);
        if (!st) {
          st = { sheet: chunk.sheet, bound: null, header: null, layout: null, scanned: [], done: false };
          sheets.set(chunk.sheet, st);
        }
        for (const raw of chunk.rows) {
          if (this.fileError) return;
          if (st.bound) {
            this.row(st, raw);
            if (this.batch.length >= this.batchRows) await this.flush();
            continue;
          }
          if (st.done) continue;
          st.scanned.push(raw);
          if ((this.kind === 'jsonl' && raw.record) || st.scanned.length >= HEADER_SCAN_ROWS) {
            if (this.findHeader(st, false)) anyHeader = true;
            if (this.fileError) return;
            await this.drainScanned(st);
          }
        }
        this.opts.onProgress?.(this.summary.read, this.bytesRead, this.totalBytes);
      }
    } catch (e) {
      // the store failed, not the file: that is the import's error, as it is
      if (e instanceof StoreFailure) throw e.cause;
      this.fileFail(
        'E_READ',
        0,
        null,
        `${tick(basename(this.opts.file))} cannot be read as ${this.kind.toUpperCase()}: ${String((e as Error).message ?? e).toLowerCase()}`,
      );
      return;
    }
    // Short files and sheets: the header search ends with the rows there are.
    for (const st of sheets.values()) {
      if (this.fileError) return;
      if (!st.bound && !st.done && st.scanned.length > 0) {
        if (this.findHeader(st, true)) anyHeader = true;
        if (this.fileError) return;
        await this.drainScanned(st);
      }
    }
    if (!anyHeader && !this.fileError) {
      if ([...sheets.values()].every((s) => s.scanned.length === 0)) {
        this.fileFail('E_FILE_EMPTY', 0, null, `${tick(basename(this.opts.file))} has no rows`);
      } else {
        const first = [...sheets.values()].find((s) => s.scanned.length > 0) as SheetState;
        const d = detect(first.scanned, first.sheet, this.opts.layout ? { layout: this.opts.layout } : {});
        if (!d.ok) this.fileFail(d.code, d.row, d.column, d.reason, first.sheet);
      }
    } else if (anyHeader && this.summary.read === 0 && this.summary.errorCount === 0 && !this.fileError) {
      this.fileFail(
        'E_NO_ROWS',
        this.layoutHeaderRow(sheets),
        null,
        `${tick(basename(this.opts.file))} has a header and no data rows`,
      );
    }
  }

  private layoutHeaderRow(sheets: Map<string | null, SheetState>): number {
    for (const s of sheets.values()) if (s.header) return s.header.row;
    return 1;
  }

  /** Detect the header among the scanned rows; true when found. A sheet with none is skipped only if another sheet has one. */
  private findHeader(st: SheetState, final: boolean): boolean {
    const scanned = this.kind === 'jsonl' ? this.jsonHeaderRows(st.scanned) : st.scanned;
    const d = detect(scanned, st.sheet, this.opts.layout ? { layout: this.opts.layout } : {});
    if (!d.ok) {
      const onlyNoHeader = d.code === 'E_HEADER_UNKNOWN' && this.kind === 'xlsx';
      if (onlyNoHeader && (this.layout !== null || !final)) {
        // a notes or summary sheet in a workbook: skipped, and said so
        this.summary.warningCount++;
        this.summary.warnings.push({
          file: this.opts.file,
          sheet: st.sheet,
          row: d.row,
          column: null,
          value: null,
          code: d.code,
          reason: `sheet skipped: ${d.reason}`,
        });
        st.done = true;
        st.scanned = [];
        return false;
      }
      this.fileFail(d.code, d.row, d.column, d.reason, st.sheet);
      return false;
    }
    if (this.layout && this.layout.id !== d.layout.id) {
      this.fileFail(
        'E_HEADER_UNKNOWN',
        d.header.row,
        null,
        `sheet ${tick(st.sheet ?? '')} is ${tick(d.layout.id)} but an earlier sheet is ${tick(this.layout.id)}; import them as separate files`,
        st.sheet,
      );
      return false;
    }
    let header = d.header;
    if (this.kind === 'jsonl') header = makeHeader([...d.layout.headers], 0, null);
    const bound = d.layout.bind(header, {
      file: this.opts.file,
      ...(this.opts.sheetDate ? { sheetDate: this.opts.sheetDate } : {}),
    });
    if (Array.isArray(bound)) {
      const first = bound[0] as { code: ErrorCode; column: string | null; reason: string };
      for (const p of bound) this.fileFail(p.code, d.header.row, p.column, p.reason, st.sheet);
      void first;
      return false;
    }
    this.layout = d.layout;
    this.summary.layout = d.layout.id;
    st.layout = d.layout;
    st.header = header;
    st.bound = bound;
    // rows before the header are preamble; in JSON Lines every line is data
    if (this.kind !== 'jsonl') st.scanned = st.scanned.filter((r) => r.row > d.header.row);
    return true;
  }

  /** JSON Lines have no header row: the first object's keys stand in for one. */
  private jsonHeaderRows(rows: RawRow[]): Array<{ row: number; cells: string[] }> {
    const first = rows.find((r) => r.record);
    if (!first) {
      const bad = rows[0];
      if (bad?.issue) return [{ row: bad.row, cells: [] }];
      return [];
    }
    return [{ row: first.row, cells: Object.keys(first.record as object) }];
  }

  private async drainScanned(st: SheetState): Promise<void> {
    const rows = st.scanned;
    st.scanned = [];
    if (!st.bound) {
      st.done = true;
      return;
    }
    for (const r of rows) {
      if (this.fileError) return;
      this.row(st, r);
      if (this.batch.length >= this.batchRows) await this.flush();
    }
  }

  private cellsOfRecord(st: SheetState, raw: RawRow): string[] | null {
    const header = st.header as Header;
    const cells = new Array<string>(header.names.length).fill('');
    for (const [k, v] of Object.entries(raw.record as Record<string, unknown>)) {
      const i = header.index.get(k);
      if (i === undefined || header.names[i] !== k) {
        this.current = { row: raw.row, sheet: st.sheet, errors: [] };
        if (REFUSED_COLUMNS.has(k) || PERSONAL_COLUMNS.has(k)) {
          this.sink.add(
            k,
            null,
            'E_PRIVACY_FIELD',
            `${tick(k)} would store personal data, which the ledger never holds`,
          );
        } else {
          this.sink.add(k, null, 'E_COLUMN_UNKNOWN', `${tick(k)} is not a canonical column`);
        }
        this.rowFailed(
          st,
          raw.row,
          Object.values(raw.record as object).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
        );
        return null;
      }
      cells[i] =
        v === null || v === undefined
          ? ''
          : typeof v === 'string'
            ? v
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v);
    }
    return cells;
  }

  /** Map one row into the batch, or record why not. Synchronous: a Promise per row costs more than the row. */
  private row(st: SheetState, raw: RawRow): void {
    const header = st.header as Header;
    const bound = st.bound as BoundLayout;
    let cells = raw.cells;
    if (!raw.record && !raw.issue) {
      // a blank row (ICE's sheets end with dozens) is no row at all
      let blank = true;
      for (let i = 0; i < cells.length; i++) {
        if ((cells[i] as string).trim() !== '') {
          blank = false;
          break;
        }
      }
      if (blank) return;
    }
    this.summary.read++;
    this.current = { row: raw.row, sheet: st.sheet, errors: [] };
    if (raw.issue) {
      const column =
        raw.issue.column === null ? null : (header.names[raw.issue.column] ?? `#${raw.issue.column + 1}`);
      const value = raw.issue.column === null ? null : (cells[raw.issue.column] ?? null);
      this.sink.add(column, value, raw.issue.code, raw.issue.finding);
      this.rowFailed(st, raw.row, cells);
      return;
    }
    if (raw.record) {
      const c = this.cellsOfRecord(st, raw);
      if (c === null) return;
      cells = c;
    } else if (cells.length !== header.names.length) {
      if (
        cells.length > header.names.length &&
        cells.slice(header.names.length).every((c) => c.trim() === '')
      ) {
        cells = cells.slice(0, header.names.length);
      } else if (cells.length < header.names.length && this.kind === 'xlsx') {
        // XLSX rows stop at their last filled cell
        cells = cells.concat(new Array<string>(header.names.length - cells.length).fill(''));
      } else if (raw.last && cells.length < header.names.length) {
        this.sink.add(
          null,
          null,
          'E_TRUNCATED',
          `the last row has ${cells.length} of ${header.names.length} fields`,
        );
        this.rowFailed(st, raw.row, cells);
        return;
      } else {
        this.sink.add(
          null,
          null,
          'E_FIELD_COUNT',
          `the row has ${cells.length} fields, the header ${header.names.length}`,
        );
        this.rowFailed(st, raw.row, cells);
        return;
      }
    }
    const draft = bound.map(cells, { file: this.opts.file, sheet: st.sheet, row: raw.row }, this.sink);
    if (draft === null || this.current.errors.length) {
      this.rowFailed(st, raw.row, cells);
      return;
    }
    this.batch.push({
      draft,
      row: raw.row,
      sheet: st.sheet,
      cells,
      header,
      idColumns: bound.idColumns,
      idScope: scopeOf(draft),
    });
  }

  /** Record the current row's errors; keep its cells for the rejects file. */
  private rowFailed(st: SheetState | null, _row: number, cells: string[]): void {
    const errors = this.current.errors;
    this.summary.rejected++;
    this.summary.errorCount += errors.length;
    for (const e of errors) if (this.summary.errors.length < MAX_REPORTED) this.summary.errors.push(e);
    if (this.opts.acceptPartial && !this.opts.dryRun) this.writeReject(st?.header ?? null, cells, errors);
  }

  private writeReject(header: Header | null, cells: string[], errors: RowError[]): void {
    if (!this.rejects) {
      const target = this.opts.rejectsFile ?? `${this.opts.file}.rejects.csv`;
      this.rejectsTmp = `${target}.tmp`;
      this.rejects = createWriteStream(this.rejectsTmp);
      this.rejectsHeader = [
        ...(header?.names ?? []),
        'error_sheet',
        'error_row',
        'error_column',
        'error_code',
        'error_reason',
      ];
      this.rejects.write(Papa.unparse([this.rejectsHeader]) + '\n');
    }
    const width = (this.rejectsHeader?.length ?? 5) - 5;
    const base = cells.slice(0, width);
    while (base.length < width) base.push('');
    const first = errors[0];
    const line = [
      ...base,
      first?.sheet ?? '',
      String(first?.row ?? ''),
      errors.map((e) => e.column ?? '').join('; '),
      errors.map((e) => e.code).join('; '),
      errors.map((e) => e.reason).join('; '),
    ];
    this.rejects.write(Papa.unparse([line]) + '\n');
  }

  private fileFail(
    code: ErrorCode,
    row: number,
    column: string | null,
    finding: string,
    sheet: string | null = null,
  ): void {
    this.fileError = true;
    this.summary.errorCount++;
    if (this.summary.errors.length < MAX_REPORTED) {
      this.summary.errors.push({
        file: this.opts.file,
        sheet,
        row,
        column,
        value: null,
        code,
        reason: reasonFor(code, finding),
      });
    }
  }

  // ---- ids and names -----------------------------------------------------------------------

  private derivedId(p: Pending): string {
    const h = createHash('sha1').update(p.idScope);
    for (const i of p.idColumns as number[]) h.update('\u001f').update((p.cells[i] ?? '').trim());
    const digest = h.digest('hex');
    const n = (this.derivedCounts.get(digest) ?? 0) + 1;
    this.derivedCounts.set(digest, n);
    return `${(this.layout as Layout).id}:${digest}:${n}`;
  }

  private resolve(name: string | null, state: string, city: string | null, code: string | null): Resolution {
    const key = `${state}\u0001${code ?? ''}\u0001${name ?? ''}\u0001${city ?? ''}`;
    let r = this.resolutions.get(key);
    if (r === undefined) {
      r = resolveName(this.opts.registry, { name: name ?? code ?? '', state, city, code });
      this.resolutions.set(key, r);
    }
    if (r.status !== 'resolved') {
      let u = this.unresolved.get(key);
      if (!u) {
        u = {
          name: name ?? code ?? '',
          city,
          state,
          count: 0,
          status: r.status,
          candidates: r.candidates.slice(0, 5).map((c) => c.id),
        };
        this.unresolved.set(key, u);
      }
      u.count++;
    }
    return r;
  }

  private toRequest(p: Pending, d: RequestDraft): RequestRecord | null {
    const id =
      d.sourceId !== null
        ? this.layout?.id === 'ice-r4'
          ? `ice-r4:${d.sourceId}`
          : d.sourceId
        : this.derivedId(p);
    let divisionId = d.divisionId;
    let agencyId = d.agencyId;
    let facilityId: string | null = null;
    let resolution: string;
    if (divisionId !== null && !this.opts.registry.division(divisionId)) {
      this.current = { row: p.row, sheet: p.sheet, errors: [] };
      this.sink.add(
        'division_id',
        divisionId,
        'E_DIVISION_UNKNOWN',
        `${tick(divisionId)} is not a division the registry knows`,
      );
      this.rowFailed(null, p.row, p.cells);
      return null;
    }
    if (divisionId !== null || agencyId !== null) {
      const agency = agencyId !== null ? this.opts.registry.agency(agencyId) : undefined;
      divisionId ??= agency?.divisionId ?? null;
      resolution = 'source-ids';
    } else {
      const r = this.resolve(d.facilityName, d.state, d.facilityCity, d.facilityCode);
      divisionId = r.divisionId;
      agencyId = r.agencyId;
      facilityId = r.facilityId;
      resolution = r.status === 'resolved' ? r.rule : `unresolved:${r.status}`;
    }
    return {
      id,
      type: d.type,
      infoKind: d.infoKind,
      form: d.form,
      issuedDate: d.issuedDate,
      issuer: d.issuer,
      state: d.state,
      divisionId,
      agencyId,
      facilityId,
      facilityName: d.facilityName,
      facilityCity: d.facilityCity,
      facilityCode: d.facilityCode,
      resolution,
      aor: d.aor,
      citizenship: d.citizenship,
      criminality: d.criminality,
      mostSeriousOffense: d.mostSeriousOffense,
      subjectKey: d.subjectKey,
      synthetic: d.synthetic,
      provenance: { source: this.source, sheet: p.sheet, row: p.row },
    };
  }

  private liftEvent(p: Pending, d: RequestDraft, req: RequestRecord): LedgerEvent | null {
    if (!d.lift) return null;
    const data: Record<string, unknown> = { reason: d.lift.reason, dateBasis: d.lift.dateBasis };
    if (d.lift.code !== null) data.reasonCode = d.lift.code;
    // ICE's transfers name no receiving facility; the sending one is kept as `from`.
    if (d.lift.kind === 'transferred' && req.facilityId) data.from = req.facilityId;
    return {
      key: `lift:${req.id}`,
      requestId: req.id,
      kind: d.lift.kind,
      date: d.lift.date,
      facilityId: d.lift.kind === 'transferred' ? null : req.facilityId,
      data,
      provenance: { source: this.source, sheet: p.sheet, row: p.row },
    };
  }

  private toEvent(p: Pending, d: EventDraft): LedgerEvent {
    let facilityId = d.facilityId;
    const data: Record<string, unknown> = {};
    if (d.reason !== null) data.reason = d.reason;
    if (d.detail !== null) data.detail = d.detail;
    if (facilityId === null && d.facilityCode !== null) {
      facilityId = this.opts.registry.facilityByDetloc(d.facilityCode)?.id ?? `facility:${d.facilityCode}`;
    } else if (facilityId === null && d.facilityName !== null && d.state !== null) {
      const r = this.resolve(d.facilityName, d.state, null, null);
      // the custodian: the facility when the registry has it, else the body or place it resolved to
      facilityId = r.facilityId ?? r.agencyId ?? r.divisionId;
      if (facilityId === null) {
        data.facilityName = d.facilityName;
        data.facilityState = d.state;
      }
    }
    return {
      key: d.key ?? '',
      requestId: d.requestId,
      kind: d.kind,
      date: d.date,
      facilityId,
      data,
      provenance: { source: this.source, sheet: p.sheet, row: p.row },
    };
  }

  private toAgreement(p: Pending, d: AgreementDraft): Agreements287gTable {
    const agency = this.opts.registry
      ? resolveName(this.opts.registry, { name: d.agencyName, state: d.state })
      : null;
    const county =
      d.county !== null ? resolveName(this.opts.registry, { name: d.county, state: d.state }) : null;
    return {
      id: this.derivedId(p),
      agency_id: agency?.status === 'resolved' ? agency.agencyId : null,
      agency_name: d.agencyName,
      agency_type: d.agencyType,
      state: d.state,
      county: d.county,
      division_id:
        county?.status === 'resolved'
          ? county.divisionId
          : agency?.status === 'resolved'
            ? agency.divisionId
            : null,
      support_type: d.supportType,
      signed_date: d.signedDate,
      moa: d.moa,
      status: d.status,
      sheet_date: d.sheetDate,
      source: this.source,
      row: p.row,
    };
  }

  private toArea(p: Pending, d: AreaDraft): AreasOfResponsibilityTable {
    let countyId: string | null = null;
    if (d.countyName !== null) {
      const r = resolveName(this.opts.registry, { name: `${d.countyName} County`, state: d.state });
      const alt =
        r.status === 'resolved' ? r : resolveName(this.opts.registry, { name: d.countyName, state: d.state });
      if (alt.status === 'resolved') countyId = alt.divisionId;
    }
    return {
      id: this.derivedId(p),
      office: d.office,
      state: d.state,
      county_division_id: countyId,
      county_name: d.countyName,
      notes: d.notes,
      source: this.source,
      row: p.row,
    };
  }

  // ---- writing -----------------------------------------------------------------------------

  /**
   * Send the batch to the store and wait only for the batch before it: with a store that writes
   * on another thread, the next batch is parsed while this one is written.
   */
  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0 || !this.session) return;
    const previous = this.inFlight;
    const writing = this.write(batch).catch((e: unknown) => {
      throw new StoreFailure(e);
    });
    // after a failure the batches still in flight fail too, and nobody waits for them: not an
    // unhandled rejection (whoever awaits one still gets its error)
    writing.catch(() => undefined);
    this.inFlight = writing;
    if (previous) await previous;
  }

  /** Wait for every batch sent to the store. */
  private async drain(): Promise<void> {
    await this.flush();
    while (this.inFlight) {
      const last = this.inFlight;
      await last;
      if (this.inFlight === last) this.inFlight = null;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    if (!this.session) return;
    const target = (this.layout as Layout).target;
    if (target === 'requests') {
      const rows: Pending[] = [];
      const reqs: RequestRecord[] = [];
      for (const p of batch) {
        const r = this.toRequest(p, p.draft as RequestDraft);
        if (r) {
          rows.push(p);
          reqs.push(r);
        }
      }
      const out = await this.session.addRequests(reqs);
      const events: LedgerEvent[] = [];
      const eventRows: Pending[] = [];
      out.forEach((o, i) => {
        const p = rows[i] as Pending;
        if (this.count(o, p)) {
          const e = this.liftEvent(p, p.draft as RequestDraft, reqs[i] as RequestRecord);
          if (e) {
            events.push(e);
            eventRows.push(p);
          }
        }
      });
      if (events.length) {
        // lift events ride with their request: counted with it, conflicts still reported
        const eo = await this.session.addEvents(events);
        eo.forEach((o, i) => {
          if (o.status === 'conflict') this.conflict(eventRows[i] as Pending, o.reason);
        });
      }
    } else if (target === 'events') {
      const evs = batch.map((p) => this.toEvent(p, p.draft as EventDraft));
      const out = await this.session.addEvents(evs);
      out.forEach((o, i) => this.count(o, batch[i] as Pending));
    } else if (target === 'agreements') {
      const out = await this.session.addAgreements(
        batch.map((p) => this.toAgreement(p, p.draft as AgreementDraft)),
      );
      out.forEach((o, i) => this.count(o, batch[i] as Pending));
    } else {
      const out = await this.session.addAreas(batch.map((p) => this.toArea(p, p.draft as AreaDraft)));
      out.forEach((o, i) => this.count(o, batch[i] as Pending));
    }
  }

  /** Tally one outcome; true when the row is in the ledger (new or already there). */
  private count(o: RowOutcome, p: Pending): boolean {
    if (o.status === 'inserted') {
      this.summary.loaded++;
      return true;
    }
    if (o.status === 'duplicate') {
      this.summary.duplicates++;
      return true;
    }
    this.conflict(p, o.reason);
    return false;
  }

  private conflict(p: Pending, reason: string): void {
    this.current = { row: p.row, sheet: p.sheet, errors: [] };
    if (/^no request with id/.test(reason)) {
      this.sink.add(
        'request_id',
        (p.draft as EventDraft).requestId ?? null,
        'E_REQUEST_UNKNOWN',
        reason.replace(/: import the request first$/, ''),
      );
    } else {
      const column =
        this.layout?.target === 'requests'
          ? this.layout.id.startsWith('canonical')
            ? 'request_id'
            : null
          : this.layout?.target === 'events'
            ? 'event_id'
            : null;
      this.sink.add(column, null, 'E_ID_CONFLICT', reason.replace(/`/g, '`'));
    }
    this.rowFailed(null, p.row, p.cells);
  }

  private async finish(): Promise<ImportSummary> {
    const s = this.summary;
    const session = this.session as ImportSession;
    s.unresolved = [...this.unresolved.values()].sort((a, b) => b.count - a.count);
    this.opts.onProgress?.(s.read, this.totalBytes, this.totalBytes);
    if (this.fileError || (s.errorCount > 0 && !this.opts.acceptPartial) || this.opts.dryRun) {
      await session.rollback();
      await this.discardRejects();
      if (this.opts.dryRun && !this.fileError) {
        s.status = 'dry-run';
      } else {
        s.status = 'rejected';
        // nothing was written: the counts say so
        s.rejected = this.fileError ? s.read : s.rejected;
      }
      if (s.status === 'rejected') {
        s.loaded = 0;
        s.duplicates = 0;
      }
      return s;
    }
    await session.commit();
    if (this.rejects && this.rejectsTmp) {
      const target = this.rejectsTmp.replace(/\.tmp$/, '');
      await new Promise<void>((res, rej) =>
        (this.rejects as WriteStream).end((e?: Error | null) => (e ? rej(e) : res())),
      );
      await rename(this.rejectsTmp, target);
      s.rejectsFile = target;
    }
    s.status = s.rejected > 0 ? 'partial' : 'loaded';
    return s;
  }

  private async discardRejects(): Promise<void> {
    if (this.rejects && this.rejectsTmp) {
      await new Promise<void>((res) => (this.rejects as WriteStream).end(() => res()));
      await unlink(this.rejectsTmp).catch(() => undefined);
      this.rejects = null;
    }
  }
}

function scopeOf(d: Draft): string {
  // the same agreement is listed again in every later sheet: each sheet is its own snapshot
  return d.target === 'agreements' ? `${d.status}/${d.sheetDate}` : d.target;
}

/** The summary for people: counts, then the errors, then the unresolved names. */
export function formatSummary(s: ImportSummary): string {
  const lines: string[] = [];
  const verdict = {
    loaded: 'imported',
    partial: 'imported in part (bad rows quarantined)',
    rejected: 'rejected: nothing was written',
    'dry-run': 'checked (dry run): nothing was written',
  }[s.status];
  lines.push(`${s.file}: ${verdict}`);
  lines.push(`  layout               ${s.layout ?? 'not recognised'}`);
  lines.push(`  rows read            ${s.read.toLocaleString('en-US')}`);
  lines.push(`  loaded               ${s.loaded.toLocaleString('en-US')}`);
  lines.push(`  duplicates skipped   ${s.duplicates.toLocaleString('en-US')}`);
  lines.push(`  rejected             ${s.rejected.toLocaleString('en-US')}`);
  lines.push(
    `  unresolved names     ${s.unresolved.length.toLocaleString('en-US')} (${s.unresolved.reduce((n, u) => n + u.count, 0).toLocaleString('en-US')} rows)`,
  );
  if (s.rejectsFile) lines.push(`  rejects file         ${s.rejectsFile}`);
  if (s.errorCount) {
    lines.push(
      '',
      `errors (${s.errorCount.toLocaleString('en-US')}${s.errorCount > s.errors.length ? `, first ${s.errors.length} shown` : ''}):`,
    );
    for (const e of s.errors) {
      const where = [
        e.sheet ? `sheet ${e.sheet}` : null,
        e.row ? `row ${e.row}` : null,
        e.column ? `column ${e.column}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${e.code} ${where ? where + ': ' : ''}${e.reason}`);
    }
  }
  if (s.warningCount) {
    lines.push('', `warnings (${s.warningCount.toLocaleString('en-US')}):`);
    for (const e of s.warnings)
      lines.push(
        `  ${e.code} ${e.row ? `row ${e.row}` : ''}${e.column ? `, column ${e.column}` : ''}: ${e.reason}`,
      );
  }
  if (s.unresolved.length) {
    lines.push('', 'unresolved names (state known, facility not; loaded without a division):');
    for (const u of s.unresolved.slice(0, 20)) {
      const cands = u.candidates.length ? ` — candidates: ${u.candidates.slice(0, 3).join(', ')}` : '';
      lines.push(
        `  ${String(u.count).padStart(6)}  ${u.name}${u.city ? `, ${u.city}` : ''} (${u.state ? u.state.toUpperCase() : 'no state'}) ${u.status}${cands}`,
      );
    }
    if (s.unresolved.length > 20) lines.push(`  … and ${s.unresolved.length - 20} more`);
  }
  return lines.join('\n');
}
