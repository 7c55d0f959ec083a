/**
 * The large-file PostgreSQL session does not wait for its worker to start: a call made before
 * then waits in the worker's queue, and if the worker cannot begin its transaction, that call
 * fails with the reason (not "the import writer stopped"), and rolling back ends cleanly.
 */
import { describe, expect, it } from 'vitest';
import { PostgresBulkSession } from '../../src/ledger/postgres-bulk-session.ts';
import { freePort } from './cluster.ts';
import { sampleRequest } from '../../src/ledger/test-fixtures.ts';

describe('PostgreSQL large-file session', () => {
  it('fails its first call with the reason the worker could not begin', async () => {
    // a port nothing listens on: no server is needed to see the failure
    const session = PostgresBulkSession.start(`postgres://postgres@127.0.0.1:${await freePort()}/none`);
    await expect(session.addRequests([sampleRequest()])).rejects.toThrow(/ECONNREFUSED/);
    await expect(session.addEvents([])).rejects.toThrow(/ECONNREFUSED/);
    await session.rollback();
  });
});
