/** The canonical events file: outcome events for requests already in the ledger (or in the same import). */
import { parseDate } from '../dates.ts';
import { tick, type ErrorCode } from '../errors.ts';
import { stateCode } from '../states.ts';
import { EVENT_KINDS, type EventKind } from '../../ledger/types.ts';
import { checkClosedHeader } from './canonical.ts';
import { text } from './fields.ts';
import type { BoundLayout, ErrorSink, EventDraft, Layout } from './types.ts';

export const CANONICAL_EVENT_HEADERS = [
  'event_id',
  'request_id',
  'kind',
  'date',
  'facility_id',
  'facility_code',
  'facility_name',
  'state',
  'reason',
  'detail',
] as const;

/** `received` is written by the store with each request, never imported. */
export const IMPORTABLE_KINDS = EVENT_KINDS.filter((k) => k !== 'received');
const KINDS = new Set<string>(IMPORTABLE_KINDS);

export const canonicalEvents: Layout = {
  id: 'canonical-events',
  title: 'canonical events (CSV or JSON Lines)',
  target: 'events',
  headers: CANONICAL_EVENT_HEADERS,
  required: ['request_id', 'kind', 'date'],
  distinctive: ['event_id', 'facility_id', 'reason', 'detail'],
  closed: true,
  bind(header): BoundLayout | ReturnType<typeof checkClosedHeader> {
    const problems = checkClosedHeader(header, CANONICAL_EVENT_HEADERS, ['request_id', 'kind', 'date']);
    if (problems.length) return problems;
    const ix = (n: string) => header.index.get(n) ?? -1;
    const c = {
      key: ix('event_id'),
      request: ix('request_id'),
      kind: ix('kind'),
      date: ix('date'),
      facilityId: ix('facility_id'),
      code: ix('facility_code'),
      name: ix('facility_name'),
      state: ix('state'),
      reason: ix('reason'),
      detail: ix('detail'),
    };
    // one set of helpers per bound layout, not per row: map() runs a million times
    let ok = true;
    let out: ErrorSink | null = null;
    const bad = (column: string, value: string | null, code: ErrorCode, reason: string) => {
      (out as ErrorSink).add(column, value, code, reason);
      ok = false;
    };
    return {
      idColumns: null,
      map(cells, _ctx, sink): EventDraft | null {
        ok = true;
        out = sink;
        const requestId = text(cells, c.request);
        if (requestId === null) bad('request_id', '', 'E_REQUIRED', 'the request_id is blank');
        const kind = text(cells, c.kind);
        if (kind === null) bad('kind', '', 'E_REQUIRED', 'the kind is blank');
        else if (!KINDS.has(kind))
          bad('kind', kind, 'E_VALUE', `${tick(kind)} is not an event kind (${IMPORTABLE_KINDS.join(', ')})`);
        const dateRaw = cells[c.date] ?? '';
        const date = parseDate(dateRaw, { isoOnly: true, keepTime: true });
        if (!date.ok) bad('date', dateRaw, date.code, date.reason);
        const stateRaw = text(cells, c.state);
        const state = stateRaw === null ? null : stateCode(stateRaw);
        if (stateRaw !== null && state === null)
          bad('state', stateRaw, 'E_STATE_UNKNOWN', `${tick(stateRaw)} is not a US state or territory`);
        const facilityName = text(cells, c.name);
        const facilityId = text(cells, c.facilityId);
        const facilityCode = text(cells, c.code);
        if (facilityName !== null && facilityId === null && facilityCode === null && state === null && ok) {
          bad('state', '', 'E_REQUIRED', `the facility ${tick(facilityName)} needs its state to be resolved`);
        }
        let detail: Record<string, unknown> | null = null;
        const detailRaw = text(cells, c.detail);
        if (detailRaw !== null) {
          try {
            const v: unknown = JSON.parse(detailRaw);
            if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
            detail = v as Record<string, unknown>;
          } catch {
            bad('detail', detailRaw, 'E_DETAIL_JSON', `${tick(detailRaw)} is not a JSON object`);
          }
        }
        if (!ok) return null;
        return {
          target: 'events',
          key: text(cells, c.key),
          requestId: requestId as string,
          kind: kind as EventKind,
          date: (date as { value: string }).value,
          facilityId,
          facilityCode: facilityCode === null ? null : facilityCode.toUpperCase(),
          facilityName,
          state,
          reason: text(cells, c.reason),
          detail,
        };
      },
    };
  },
};
