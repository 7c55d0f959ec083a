import type { LedgerEvent, RequestRecord } from './types.ts';

/** A plausible request for tests, with any field overridden. */
export function sampleRequest(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req-1',
    type: 'hold',
    infoKind: null,
    form: 'I-247A',
    issuedDate: '2019-03-04',
    issuer: 'ICE',
    state: 'mn',
    divisionId: 'ocd-division/country:us/state:mn/county:hennepin',
    agencyId: 'ocd-division/country:us/state:mn/county:hennepin/agency:sheriff',
    facilityId: 'facility:HENNEPIN',
    facilityName: 'HENNEPIN COUNTY JAIL',
    facilityCity: 'MINNEAPOLIS',
    facilityCode: null,
    resolution: 'test',
    aor: 'St. Paul',
    citizenship: 'MEXICO',
    criminality: 'convicted',
    mostSeriousOffense: 'assault',
    subjectKey: 'subj-1',
    synthetic: true,
    provenance: { source: 'test', row: 1 },
    ...over,
  };
}

export function sampleEvent(over: Partial<LedgerEvent> = {}): LedgerEvent {
  return {
    key: '',
    requestId: 'req-1',
    kind: 'declined',
    date: '2019-03-05',
    facilityId: null,
    data: {},
    provenance: { source: 'test', row: 1 },
    ...over,
  };
}
