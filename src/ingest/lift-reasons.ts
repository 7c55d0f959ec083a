/**
 * ICE's detainer lift reasons → ledger event kinds. The vocabulary changed between releases, so
 * the mapping is data (data/lift-reasons.csv) and an unknown reason is a row error, never a guess.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { EVENT_KINDS, type EventKind } from '../ledger/types.ts';

export interface LiftReason {
  reason: string;
  eventKind: EventKind;
  outcomeNote: string;
  era: string;
}

export const LIFT_REASONS_FILE = new URL('../../data/lift-reasons.csv', import.meta.url);

/** Case, spacing and dash variants differ between releases; the key ignores them. */
export function liftKey(reason: string): string {
  return reason
    .trim()
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/\s*[-–]\s*/g, ' - ');
}

export function parseLiftReasons(text: string): Map<string, LiftReason> {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const out = new Map<string, LiftReason>();
  for (const [i, r] of parsed.data.entries()) {
    const kind = r.event_kind?.trim() as EventKind;
    if (!r.reason || !(EVENT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`lift-reasons.csv row ${i + 2}: \`${r.event_kind ?? ''}\` is not an event kind`);
    }
    out.set(liftKey(r.reason), {
      reason: r.reason.trim(),
      eventKind: kind,
      outcomeNote: r.outcome_note?.trim() ?? '',
      era: r.era?.trim() ?? '',
    });
  }
  return out;
}

let table: Map<string, LiftReason> | undefined;

export function liftReasons(): Map<string, LiftReason> {
  table ??= parseLiftReasons(readFileSync(LIFT_REASONS_FILE, 'utf8'));
  return table;
}

export function lookupLiftReason(reason: string): LiftReason | undefined {
  return liftReasons().get(liftKey(reason));
}
