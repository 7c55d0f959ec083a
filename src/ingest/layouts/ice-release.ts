/**
 * The shape every ICE detainer release shares (R1–R5 and NPR's extract of R5): one row per
 * detainer, an issue date, the receiving facility with city and state, a form label and a lift
 * reason. Each layout file names its columns; this maps them.
 */
import { parseDate } from '../dates.ts';
import { tick } from '../errors.ts';
import { lookupLiftReason } from '../lift-reasons.ts';
import { stateCode } from '../states.ts';
import { criminality, detainerType, pick, PERSONAL_COLUMNS, subjectKey, text } from './fields.ts';
import type { BoundLayout, Header, HeaderProblem, Layout, LayoutId, RequestDraft } from './types.ts';

/** Candidate normalised column names per field, best first. */
export interface ReleaseColumns {
  issued: readonly string[];
  state: readonly string[];
  facility: readonly string[];
  facilityCode: readonly string[];
  city: readonly string[];
  aor: readonly string[];
  type: readonly string[];
  lift: readonly string[];
  liftCode: readonly string[];
  liftDate: readonly string[];
  criminality: readonly string[];
  citizenship: readonly string[];
  offense: readonly string[];
  subject: readonly string[];
  /** the release's own detainer id (R4 only) */
  id: readonly string[];
}

export interface ReleaseSpec {
  id: LayoutId;
  title: string;
  headers: readonly string[];
  required: readonly string[];
  distinctive: readonly string[];
  columns: ReleaseColumns;
  /** the date column may hold Excel serials (XLSX sources) */
  serialDates?: boolean;
}

export function releaseLayout(spec: ReleaseSpec): Layout {
  return {
    id: spec.id,
    title: spec.title,
    target: 'requests',
    headers: spec.headers,
    required: spec.required,
    distinctive: spec.distinctive,
    closed: false,
    bind(header: Header, opts): BoundLayout | HeaderProblem[] {
      const c = spec.columns;
      const at = (names: readonly string[]) => pick(header.index, names);
      const col = {
        issued: at(c.issued),
        state: at(c.state),
        facility: at(c.facility),
        facilityCode: at(c.facilityCode),
        city: at(c.city),
        aor: at(c.aor),
        type: at(c.type),
        lift: at(c.lift),
        liftCode: at(c.liftCode),
        liftDate: at(c.liftDate),
        criminality: at(c.criminality),
        citizenship: at(c.citizenship),
        offense: at(c.offense),
        subject: at(c.subject),
        id: at(c.id),
      };
      const problems: HeaderProblem[] = [];
      for (const need of ['issued', 'state'] as const) {
        if (col[need] < 0) {
          problems.push({
            code: 'E_COLUMN_MISSING',
            column: c[need][0] ?? need,
            reason: `no ${need} column (${c[need].join(' or ')})`,
          });
        }
      }
      if (col.facility < 0 && col.facilityCode < 0) {
        problems.push({
          code: 'E_COLUMN_MISSING',
          column: c.facility[0] ?? 'facility',
          reason: 'no facility name or code column',
        });
      }
      if (problems.length) return problems;
      const name = (i: number) => header.names[i] ?? '';
      const xlsx = opts.file.toLowerCase().endsWith('.xlsx');
      const dateOpts = { allowSerial: xlsx || spec.serialDates === true };
      const liftDateOpts = { ...dateOpts, allowBlank: true };
      const idColumns =
        col.id >= 0 ? null : header.norm.flatMap((n, i) => (PERSONAL_COLUMNS.has(n) ? [] : [i]));

      return {
        idColumns,
        map(cells, _ctx, sink): RequestDraft | null {
          let ok = true;
          const issuedRaw = cells[col.issued] ?? '';
          const issued = parseDate(issuedRaw, dateOpts);
          if (!issued.ok) {
            sink.add(name(col.issued), issuedRaw, issued.code, issued.reason);
            ok = false;
          }
          const stateRaw = text(cells, col.state);
          // ICE's own records sometimes name no place at all (its "OTHER-OTHER FACILITY"
          // placeholder): the request is kept, with no state, and can never resolve to a place.
          const state = stateRaw === null ? '' : stateCode(stateRaw);
          if (state === null) {
            sink.add(
              name(col.state),
              stateRaw,
              'E_STATE_UNKNOWN',
              `${tick(stateRaw ?? '')} is not a US state or territory`,
            );
            ok = false;
          }
          const typeRaw = text(cells, col.type);
          const t = detainerType(typeRaw);
          if (typeof t === 'string') {
            sink.add(name(col.type), typeRaw, 'E_DETAINER_TYPE', t);
            ok = false;
          }
          const crimRaw = text(cells, col.criminality);
          const crim = criminality(crimRaw);
          if (crim === undefined) {
            sink.add(
              name(col.criminality),
              crimRaw,
              'E_VALUE',
              `${tick(crimRaw ?? '')} is not a criminality ICE uses`,
            );
            ok = false;
          }
          const liftRaw = text(cells, col.lift);
          let lift: RequestDraft['lift'] = null;
          if (liftRaw !== null) {
            const reason = lookupLiftReason(liftRaw);
            if (!reason) {
              sink.add(
                name(col.lift),
                liftRaw,
                'E_LIFT_REASON',
                `${tick(liftRaw)} is not in data/lift-reasons.csv`,
              );
              ok = false;
            } else if (issued.ok) {
              let date = issued.value as string;
              let basis: 'issue-date' | 'recorded' = 'issue-date';
              if (col.liftDate >= 0) {
                const raw = cells[col.liftDate] ?? '';
                const d = parseDate(raw, liftDateOpts);
                if (!d.ok) {
                  sink.add(name(col.liftDate), raw, d.code, d.reason);
                  ok = false;
                } else if (d.value !== null) {
                  date = d.value;
                  basis = 'recorded';
                }
              }
              lift = {
                kind: reason.eventKind,
                reason: reason.reason,
                code: text(cells, col.liftCode),
                date,
                dateBasis: basis,
              };
            }
          }
          if (!ok || typeof t === 'string' || state === null || crim === undefined || !issued.ok) return null;
          const facilityName = text(cells, col.facility);
          const facilityCode = text(cells, col.facilityCode);
          return {
            target: 'requests',
            sourceId: col.id >= 0 ? (text(cells, col.id) ?? null) : null,
            type: t.type,
            infoKind: null,
            form: t.form,
            issuedDate: issued.value as string,
            issuer: 'ICE',
            state,
            facilityName,
            facilityCity: text(cells, col.city),
            facilityCode: facilityCode === null ? null : facilityCode.toUpperCase(),
            agencyId: null,
            divisionId: null,
            aor: text(cells, col.aor),
            citizenship: text(cells, col.citizenship),
            criminality: crim,
            mostSeriousOffense: text(cells, col.offense),
            subjectKey: subjectKey(text(cells, col.subject)),
            synthetic: false,
            lift,
          };
        },
      };
    },
  };
}

/** Columns an ICE release may lack; an empty list means "this release has no such column". */
export const NONE: readonly string[] = [];
