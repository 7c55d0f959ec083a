/**
 * ICE's area-of-responsibility table (data/ice-reference/ice-areas-of-responsibility.csv): which
 * field office covers a state, or, where a state is split, each county.
 */
import { tick } from '../errors.ts';
import { stateCode } from '../states.ts';
import { text } from './fields.ts';
import type { AreaDraft, BoundLayout, Layout } from './types.ts';

export const AOR_HEADERS = ['office_name', 'state_name', 'county_name', 'notes'] as const;

export const iceAor: Layout = {
  id: 'ice-aor',
  title: "ICE's area-of-responsibility table",
  target: 'areas',
  headers: AOR_HEADERS,
  required: ['office_name', 'state_name', 'county_name'],
  distinctive: ['notes'],
  closed: false,
  bind(header): BoundLayout {
    const ix = (n: string) => header.index.get(n) ?? -1;
    const c = {
      office: ix('office_name'),
      state: ix('state_name'),
      county: ix('county_name'),
      notes: ix('notes'),
    };
    return {
      idColumns: [c.office, c.state, c.county],
      map(cells, _ctx, sink): AreaDraft | null {
        const office = text(cells, c.office);
        const stateRaw = text(cells, c.state);
        const state = stateRaw === null ? null : stateCode(stateRaw);
        if (office === null) sink.add('office_name', '', 'E_REQUIRED', 'the office name is blank');
        if (state === null) {
          sink.add(
            'state_name',
            stateRaw ?? '',
            stateRaw === null ? 'E_REQUIRED' : 'E_STATE_UNKNOWN',
            `${tick(stateRaw ?? '')} is not a US state or territory`,
          );
        }
        if (office === null || state === null) return null;
        return {
          target: 'areas',
          office,
          state,
          countyName: text(cells, c.county),
          notes: text(cells, c.notes),
        };
      },
    };
  },
};
