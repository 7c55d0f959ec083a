/**
 * Imports started from the desk or the API: an uploaded file is streamed to a temporary file
 * (never held in memory, never past the size limit), then imported by the same `importFile` the
 * CLI's `import` runs, in the background of the server process, one file at a time. The job
 * table lives in memory: it is lost when the server restarts (the ledger's provenance still names
 * the file of every row it loaded, and the audit log every import).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { registryFor } from '../ledger/registry.ts';
import { importFile, type ImportSummary } from '../ingest/run.ts';
import type { Store } from '../ledger/store.ts';
import { audit } from './auth/audit.ts';
import type { Actor } from './auth/roles.ts';
import { HttpProblem } from './problem.ts';

/** The upload limit when the server is not told otherwise. */
export const DEFAULT_IMPORT_LIMIT = 200 * 1024 * 1024;
/** Finished jobs kept in the table (the oldest go first). */
const KEPT = 100;

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  /** the file's name as the uploader gave it (made safe): messages and provenance use it */
  file: string;
  bytes: number;
  user: string;
  state: JobState;
  dryRun: boolean;
  sheetDate: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rowsRead: number;
  bytesRead: number;
  /** present once done: what the importer reported, file names as uploaded */
  summary: ImportSummary | null;
  /** why a job failed (the store was rolled back) */
  error: string | null;
}

export interface ImportRequest {
  actor: Actor;
  ip: string;
  file: string;
  bytes: number;
  /** the temporary directory holding the upload; removed when the job ends */
  dir: string;
  path: string;
  dryRun?: boolean;
  sheetDate?: string;
}

/** Upload file names: the last path segment, printable, short; the extension is kept (it picks the reader). */
export function safeFileName(raw: string | undefined, fallback: string): string {
  const last = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!clean || clean === '.' || clean === '..') return fallback;
  if (clean.length <= 120) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return clean.slice(0, 120 - ext.length) + ext;
}

/**
 * Write `source` to a new temporary directory as `name`, refusing past `limit` bytes with a 413
 * problem (the partial file is removed). The caller owns the directory when this returns.
 */
export async function receiveUpload(
  source: Readable,
  name: string,
  limit: number,
): Promise<{ dir: string; path: string; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'dl-import-'));
  const path = join(dir, name);
  let bytes = 0;
  let over = false;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bytes += chunk.length;
          if (bytes > limit) {
            over = true;
            throw tooLarge(limit);
          }
          yield chunk;
        }
      },
      createWriteStream(path),
    );
    // multipart streams stop at the limit and say so rather than fail
    if ((source as Readable & { truncated?: boolean }).truncated) throw tooLarge(limit);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if (over || (e as { statusCode?: number }).statusCode === 413) throw tooLarge(limit);
    throw e;
  }
  return { dir, path, bytes };
}

export function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(
    413,
    `the file is larger than this server takes (${megabytes(limit)}): import it with \`detainer-ledger import FILE\` on the server, or split it`,
    { code: 'import.too-large' },
  );
}

export const megabytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${n} bytes`;

/** The in-memory job table and the queue that runs one import at a time. */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    readonly limit: number = DEFAULT_IMPORT_LIMIT,
  ) {}

  /** Queue an import of an upload already on disk; returns at once. */
  start(req: ImportRequest): ImportJob {
    const job: ImportJob = {
      id: randomUUID(),
      file: req.file,
      bytes: req.bytes,
      user: req.actor.name,
      state: 'queued',
      dryRun: req.dryRun === true,
      sheetDate: req.sheetDate ?? null,
      queuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      rowsRead: 0,
      bytesRead: 0,
      summary: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.prune();
    // one at a time: two imports would contend for the one writer the store has
    this.tail = this.tail.then(() => this.run(job, req));
    return job;
  }

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id);
  }

  /** Newest first; an admin sees every job, others their own. */
  list(actor: Actor): ImportJob[] {
    return [...this.jobs.values()]
      .filter((j) => this.mayRead(actor, j))
      .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
  }

  mayRead(actor: Actor, job: ImportJob): boolean {
    return actor.role === 'admin' || actor.name === job.user;
  }

  /**
   * Receive an upload into a temporary directory within the limit (`receiveUpload`); one refused
   * for its size is audited before the 413 goes back.
   */
  async receive(
    source: Readable,
    name: string,
    actor: Actor,
    ip: string,
  ): Promise<{ dir: string; path: string; bytes: number }> {
    try {
      return await receiveUpload(source, name, this.limit);
    } catch (e) {
      if (e instanceof HttpProblem && e.status === 413) await this.refused(actor, ip, name, 'too large');
      throw e;
    }
  }

  /** Audit an upload refused before it became a job (too large): who tried, which file, why. */
  async refused(actor: Actor, ip: string, file: string, reason: string): Promise<void> {
    await audit(this.store, {
      user: actor.name,
      action: 'import',
      ip,
      detail: { file, outcome: 'refused', reason, limit: this.limit },
    });
  }

  /** Resolves when every queued job has ended (the server waits for it before it closes the store). */
  idle(): Promise<void> {
    return this.tail;
  }

  private async run(job: ImportJob, req: ImportRequest): Promise<void> {
    job.state = 'running';
    job.startedAt = new Date().toISOString();
    let state: JobState = 'failed';
    try {
      const summary = await importFile({
        store: this.store,
        // the shipped registry plus the agencies and facilities imported so far, as the CLI reads it
        registry: await registryFor(this.store),
        file: req.path,
        dryRun: req.dryRun,
        sheetDate: req.sheetDate,
        onProgress: (rows, bytesRead) => {
          job.rowsRead = rows;
          job.bytesRead = bytesRead;
        },
      });
      job.summary = asUploaded(summary, req.path, job.file);
      job.rowsRead = summary.read;
      job.bytesRead = job.bytes;
      state = 'done';
    } catch (e) {
      job.error = `the import failed and nothing was written: ${(e as Error).message ?? String(e)}`;
    } finally {
      await rm(req.dir, { recursive: true, force: true }).catch(() => undefined);
    }
    const s = job.summary;
    // audited before the job shows as ended, so whoever sees the end finds the entry
    await audit(this.store, {
      user: job.user,
      action: 'import',
      target: job.id,
      ip: req.ip,
      detail: {
        file: job.file,
        bytes: job.bytes,
        outcome: s ? s.status : 'failed',
        ...(s
          ? {
              layout: s.layout,
              read: s.read,
              loaded: s.loaded,
              duplicates: s.duplicates,
              rejected: s.rejected,
              errors: s.errorCount,
            }
          : { error: job.error }),
      },
    }).catch(() => undefined);
    job.finishedAt = new Date().toISOString();
    job.state = state;
  }

  private prune(): void {
    const ended = [...this.jobs.values()].filter((j) => j.state === 'done' || j.state === 'failed');
    for (const j of ended.slice(0, Math.max(0, ended.length - KEPT))) this.jobs.delete(j.id);
  }
}

/** The summary with the temporary path replaced by the name the file was uploaded under. */
function asUploaded(s: ImportSummary, path: string, name: string): ImportSummary {
  const fix = (text: string) => text.split(path).join(name);
  const row = (e: ImportSummary['errors'][number]) => ({ ...e, file: name, reason: fix(e.reason) });
  return {
    ...s,
    file: name,
    errors: s.errors.map(row),
    warnings: s.warnings.map(row),
    rejectsFile: null,
  };
}
