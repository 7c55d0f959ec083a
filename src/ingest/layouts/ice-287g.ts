/**
 * ICE's 287(g) sheets (participatingAgencies<MMDDYYYY>{am,pm}.xlsx, pendingAgencies…): one row per
 * signed agreement. The sheet's date comes from the file name, else `--sheet-date`. A malformed
 * SIGNED cell is reported with its row and the agreement still loads, with no signing date: the
 * agreement's existence is what the sheet asserts, and ICE typed the date by hand.
 */
import { basename } from 'node:path';
import { parseDate } from '../dates.ts';
import { tick } from '../errors.ts';
import { stateCode } from '../states.ts';
import { text } from './fields.ts';
import type { AgreementDraft, BoundLayout, HeaderProblem, Layout } from './types.ts';

export const PARTICIPATING_HEADERS = [
  'STATE',
  'LAW ENFORCEMENT AGENCY',
  'TYPE',
  'COUNTY',
  'SUPPORT TYPE',
  'SIGNED',
  'MOA',
  'ADDENDUM',
] as const;
export const PENDING_HEADERS = ['STATE', 'LAW ENFORCEMENT AGENCY', 'TYPE', 'COUNTY', 'SUPPORT TYPE'] as const;

/** `participatingAgencies07182025pm.xlsx` → 2025-07-18. */
export function sheetDateFromName(file: string): string | null {
  const m = /(\d{2})(\d{2})(\d{4})(?:am|pm)?\.[a-z.]+$/i.exec(basename(file));
  if (!m) return null;
  const d = parseDate(`${m[3]}-${m[1]}-${m[2]}`);
  return d.ok ? d.value : null;
}

export const ice287g: Layout = {
  id: 'ice-287g',
  title: "ICE's 287(g) participating or pending agencies sheet",
  target: 'agreements',
  headers: PARTICIPATING_HEADERS,
  required: ['state', 'law_enforcement_agency', 'type', 'county', 'support_type'],
  distinctive: ['signed', 'moa', 'addendum'],
  closed: false,
  bind(header, opts): BoundLayout | HeaderProblem[] {
    let sheetDate: string | null = null;
    if (opts.sheetDate) {
      const d = parseDate(opts.sheetDate, { isoOnly: true });
      if (!d.ok) return [{ code: 'E_SHEET_DATE', column: null, reason: `--sheet-date ${d.reason}` }];
      sheetDate = d.value;
    } else {
      sheetDate = sheetDateFromName(opts.file);
    }
    if (sheetDate === null) {
      return [
        {
          code: 'E_SHEET_DATE',
          column: null,
          reason: `the file name ${tick(basename(opts.file))} carries no MMDDYYYY date`,
        },
      ];
    }
    const ix = (n: string) => header.index.get(n) ?? -1;
    const c = {
      state: ix('state'),
      agency: ix('law_enforcement_agency'),
      type: ix('type'),
      county: ix('county'),
      support: ix('support_type'),
      signed: ix('signed'),
      moa: ix('moa'),
    };
    const name = basename(opts.file).toLowerCase();
    const status: AgreementDraft['status'] =
      name.startsWith('pending') || (c.signed < 0 && !name.startsWith('participating'))
        ? 'pending'
        : 'participating';
    const date = sheetDate;
    return {
      idColumns: header.norm.map((_, i) => i),
      map(cells, _ctx, sink): AgreementDraft | null {
        let ok = true;
        const stateRaw = text(cells, c.state);
        const state = stateRaw === null ? null : stateCode(stateRaw);
        if (state === null) {
          sink.add(
            header.names[c.state] ?? 'STATE',
            stateRaw ?? '',
            stateRaw === null ? 'E_REQUIRED' : 'E_STATE_UNKNOWN',
            `${tick(stateRaw ?? '')} is not a US state or territory`,
          );
          ok = false;
        }
        const agency = text(cells, c.agency);
        if (agency === null) {
          sink.add(
            header.names[c.agency] ?? 'LAW ENFORCEMENT AGENCY',
            '',
            'E_REQUIRED',
            'the agency name is blank',
          );
          ok = false;
        }
        const support = text(cells, c.support);
        if (support === null) {
          sink.add(header.names[c.support] ?? 'SUPPORT TYPE', '', 'E_REQUIRED', 'the support type is blank');
          ok = false;
        }
        let signedDate: string | null = null;
        if (c.signed >= 0) {
          const raw = cells[c.signed] ?? '';
          const d = parseDate(raw, { allowSerial: true, allowBlank: true });
          if (d.ok) signedDate = d.value;
          else
            sink.warn(
              header.names[c.signed] ?? 'SIGNED',
              raw,
              d.code,
              `${d.reason}; the agreement is kept without a signing date`,
            );
        }
        if (!ok) return null;
        return {
          target: 'agreements',
          agencyName: agency as string,
          agencyType: text(cells, c.type) ?? '',
          state: state as string,
          county: text(cells, c.county),
          supportType: support as string,
          signedDate,
          moa: text(cells, c.moa)?.replace(/\u00a0/g, ' ') ?? null,
          status,
          sheetDate: date,
        };
      },
    };
  },
};
