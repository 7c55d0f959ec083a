import type { Agency, Facility } from '../jurisdictions/types.ts';
import type { Agreements287gTable, AreasOfResponsibilityTable } from './schema.ts';
import type { ImportSession, RowOutcome } from './store.ts';
import type { LedgerEvent, RequestRecord } from './types.ts';
import type { WorkerChannel } from './worker-channel.ts';

/**
 * What the two import sessions that work through a worker thread have in common: every kind of
 * row but requests goes to the worker's own session as it is, and commit and rollback end the
 * worker. Each adapter prepares its requests on this thread in its own way (addRequests) and
 * words its calls for its own worker (call).
 */
export abstract class WorkerImportSession implements ImportSession {
  protected constructor(protected readonly channel: WorkerChannel) {}

  abstract addRequests(rows: RequestRecord[]): Promise<RowOutcome[]>;

  /** the worker session's method `name` with `rows`, answered in the order asked */
  protected abstract call<T>(name: string, rows?: unknown): Promise<T>;

  addEvents(rows: LedgerEvent[]): Promise<RowOutcome[]> {
    return this.call('addEvents', rows);
  }
  addAgencies(rows: Agency[]): Promise<RowOutcome[]> {
    return this.call('addAgencies', rows);
  }
  addFacilities(rows: Facility[]): Promise<RowOutcome[]> {
    return this.call('addFacilities', rows);
  }
  addAgreements(rows: Agreements287gTable[]): Promise<RowOutcome[]> {
    return this.call('addAgreements', rows);
  }
  addAreas(rows: AreasOfResponsibilityTable[]): Promise<RowOutcome[]> {
    return this.call('addAreas', rows);
  }
  async commit(): Promise<void> {
    await this.call('commit');
    await this.channel.worker.terminate();
  }
  async rollback(): Promise<void> {
    // a failed worker is gone, and its transaction ended with its connection
    if (!this.channel.failed) await this.call('rollback');
    await this.channel.worker.terminate();
  }
}
