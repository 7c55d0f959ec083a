/** The canonical requests file (CSV or JSON Lines), fixed by the README: snake_case, one request a row. */
import { parseDate } from '../dates.ts';
import { tick, type ErrorCode } from '../errors.ts';
import { stateCode } from '../states.ts';
import { REQUEST_TYPES, type RequestType } from '../../ledger/types.ts';
import { checkClosedHeader, isTrue } from './canonical.ts';
import { text } from './fields.ts';
import type { BoundLayout, ErrorSink, Layout, RequestDraft } from './types.ts';

export const CANONICAL_REQUEST_HEADERS = [
  'request_id',
  'type',
  'info_kind',
  'form',
  'issued_date',
  'issuer',
  'state',
  'agency_id',
  'facility_code',
  'facility_name',
  'facility_city',
  'division_id',
  'aor',
  'citizenship',
  'criminality',
  'most_serious_offense',
  'subject_key',
  'synthetic',
] as const;

export const INFO_KINDS = [
  'immigration-status',
  'criminal-history',
  'release-date',
  'address',
  'court-date',
] as const;
export const FORMS = ['I-247', 'I-247D', 'I-247N', 'I-247X', 'I-247A'] as const;
export const ISSUERS = ['ICE', 'CBP', 'USCIS'] as const;
export const CRIMINALITIES = ['convicted', 'pending-charges', 'other-immigration-violator'] as const;

const TYPES = new Set<string>(REQUEST_TYPES);
const INFO = new Set<string>(INFO_KINDS);
const FORM_SET = new Set<string>(FORMS);
const ISSUER_SET = new Set<string>(ISSUERS);
const CRIM = new Set<string>(CRIMINALITIES);
const REQUIRED = ['request_id', 'type', 'issued_date', 'state'];

export const canonicalRequests: Layout = {
  id: 'canonical-requests',
  title: 'canonical requests (CSV or JSON Lines)',
  target: 'requests',
  headers: CANONICAL_REQUEST_HEADERS,
  required: ['request_id', 'type', 'issued_date'],
  distinctive: ['state', 'info_kind', 'form', 'issuer', 'facility_code', 'facility_name', 'subject_key'],
  closed: true,
  bind(header): BoundLayout | ReturnType<typeof checkClosedHeader> {
    const problems = checkClosedHeader(header, CANONICAL_REQUEST_HEADERS, REQUIRED);
    if (problems.length) return problems;
    const ix = (n: string) => header.index.get(n) ?? -1;
    const c = {
      id: ix('request_id'),
      type: ix('type'),
      infoKind: ix('info_kind'),
      form: ix('form'),
      issued: ix('issued_date'),
      issuer: ix('issuer'),
      state: ix('state'),
      agency: ix('agency_id'),
      code: ix('facility_code'),
      name: ix('facility_name'),
      city: ix('facility_city'),
      division: ix('division_id'),
      aor: ix('aor'),
      citizenship: ix('citizenship'),
      criminality: ix('criminality'),
      offense: ix('most_serious_offense'),
      subject: ix('subject_key'),
      synthetic: ix('synthetic'),
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
      map(cells, _ctx, sink): RequestDraft | null {
        ok = true;
        out = sink;
        const id = text(cells, c.id);
        if (id === null) bad('request_id', '', 'E_REQUIRED', 'the request_id is blank');
        const type = text(cells, c.type);
        if (type === null) bad('type', '', 'E_REQUIRED', 'the type is blank');
        else if (!TYPES.has(type))
          bad('type', type, 'E_VALUE', `${tick(type)} is not a request type (${REQUEST_TYPES.join(', ')})`);
        const infoKind = text(cells, c.infoKind);
        if (type === 'info') {
          if (infoKind === null) bad('info_kind', '', 'E_INFO_KIND', 'an info request needs its info_kind');
          else if (!INFO.has(infoKind))
            bad('info_kind', infoKind, 'E_INFO_KIND', `${tick(infoKind)} is not an info kind`);
        } else if (infoKind !== null) {
          bad(
            'info_kind',
            infoKind,
            'E_INFO_KIND',
            `info_kind ${tick(infoKind)} is only for type \`info\`; clear it or set the type`,
          );
        }
        const form = text(cells, c.form);
        if (form !== null && !FORM_SET.has(form))
          bad('form', form, 'E_VALUE', `${tick(form)} is not a form (${FORMS.join(', ')})`);
        const issuedRaw = cells[c.issued] ?? '';
        const issued = parseDate(issuedRaw, { isoOnly: true });
        if (!issued.ok) bad('issued_date', issuedRaw, issued.code, issued.reason);
        const issuer = text(cells, c.issuer) ?? 'ICE';
        if (!ISSUER_SET.has(issuer))
          bad('issuer', issuer, 'E_VALUE', `${tick(issuer)} is not an issuer (ICE, CBP, USCIS)`);
        const stateRaw = text(cells, c.state);
        const state = stateRaw === null ? null : stateCode(stateRaw);
        if (stateRaw === null)
          bad('state', '', 'E_REQUIRED', 'the state is blank; every request needs its state');
        else if (state === null)
          bad('state', stateRaw, 'E_STATE_UNKNOWN', `${tick(stateRaw)} is not a US state or territory`);
        const agencyId = text(cells, c.agency);
        const facilityCode = text(cells, c.code);
        const facilityName = text(cells, c.name);
        const divisionId = text(cells, c.division);
        if (agencyId === null && facilityCode === null && facilityName === null && divisionId === null) {
          bad(
            'facility_name',
            '',
            'E_LOCATION_MISSING',
            'the row names no agency_id, facility_code, facility_name or division_id',
          );
        }
        const crim = text(cells, c.criminality);
        if (crim !== null && !CRIM.has(crim)) {
          bad(
            'criminality',
            crim,
            'E_VALUE',
            `${tick(crim)} is not a criminality (${CRIMINALITIES.join(', ')})`,
          );
        }
        const synRaw = text(cells, c.synthetic);
        const synthetic = isTrue(synRaw);
        if (synthetic === undefined)
          bad('synthetic', synRaw, 'E_VALUE', `${tick(synRaw ?? '')} is not true or false`);
        if (!ok) return null;
        return {
          target: 'requests',
          sourceId: id,
          type: type as RequestType,
          infoKind,
          form,
          issuedDate: (issued as { value: string }).value,
          issuer,
          state: state as string,
          facilityName,
          facilityCity: text(cells, c.city),
          facilityCode: facilityCode === null ? null : facilityCode.toUpperCase(),
          agencyId,
          divisionId,
          aor: text(cells, c.aor),
          citizenship: text(cells, c.citizenship),
          criminality: crim,
          mostSeriousOffense: text(cells, c.offense),
          subjectKey: text(cells, c.subject),
          synthetic: synthetic as boolean,
          lift: null,
        };
      },
    };
  },
};
