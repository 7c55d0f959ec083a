import type { EventKind } from './types.ts';

/**
 * Outcome categories for reports (DESIGN §5). They keep apart what the 2017 report conflated:
 * a transfer is not a decline, a request issued in error is not a decline, and a declined hold
 * after which ICE was notified and took custody is not a release.
 */
export const OUTCOME_CATEGORIES = [
  'open',
  'ice-custody',
  'declined-released-without-notice',
  'declined-ice-notified-took-custody',
  'declined-ice-notified-not-taken',
  'declined-outcome-unknown',
  'released-without-decline',
  'transferred-elsewhere',
  'lifted-by-ice',
  'cancelled',
  'issued-in-error',
] as const;
export type OutcomeCategory = (typeof OUTCOME_CATEGORIES)[number];

export const OUTCOME_LABELS: Record<OutcomeCategory, string> = {
  open: 'open: no outcome recorded',
  'ice-custody': 'ICE took custody (request honoured)',
  'declined-released-without-notice': 'declined and released without notice to ICE',
  'declined-ice-notified-took-custody': 'hold declined, but ICE was notified and took custody',
  'declined-ice-notified-not-taken': 'hold declined, ICE notified, ICE did not take custody',
  'declined-outcome-unknown': 'declined; what followed is not recorded',
  'released-without-decline': 'released without a recorded decline (e.g. early release)',
  'transferred-elsewhere': 'transferred elsewhere: the receiving facility owns the outcome',
  'lifted-by-ice': 'lifted by ICE',
  cancelled: 'cancelled by ICE (duplicate or superseded)',
  'issued-in-error': 'issued to the wrong agency (in error)',
};

/** Categories that count as declines in a report. */
export const DECLINE_CATEGORIES: ReadonlySet<OutcomeCategory> = new Set([
  'declined-released-without-notice',
  'declined-ice-notified-took-custody',
  'declined-ice-notified-not-taken',
  'declined-outcome-unknown',
]);

export interface OutcomeEventInput {
  kind: EventKind;
  date: string;
  facilityId: string | null;
  data: Record<string, unknown>;
}

export interface RequestState {
  outcome: OutcomeCategory;
  /** the facility that owns the outcome: the one holding custody when it happened */
  outcomeFacilityId: string | null;
  /** every facility that held the person, in order, starting with the one the request went to */
  custodyChain: (string | null)[];
  declined: { date: string; dateBasis: string; facilityId: string | null } | null;
  notified: boolean;
  transferred: boolean;
  disputed: boolean;
  lastEventDate: string | null;
}

/**
 * The current state of one request, derived from its events in ledger order. Outcome events after
 * a transfer belong to the receiving facility, so the custody chain decides who owns the outcome.
 */
export function deriveState(initialFacilityId: string | null, events: OutcomeEventInput[]): RequestState {
  const custodyChain: (string | null)[] = [initialFacilityId];
  let custody = initialFacilityId;
  let declined: RequestState['declined'] = null;
  let notified = false;
  let iceCustody = false;
  let released = false;
  let lifted = false;
  let cancelled = false;
  let inError = false;
  let disputed = false;
  let transferredLast = false;
  let outcomeFacilityId: string | null = initialFacilityId;
  let lastEventDate: string | null = null;

  for (const e of events) {
    lastEventDate = e.date;
    const at = e.facilityId ?? custody;
    switch (e.kind) {
      case 'transferred':
        // Custody moves; whatever was recorded at the sending facility no longer decides the outcome.
        custody = e.facilityId;
        custodyChain.push(custody);
        transferredLast = true;
        declined = null;
        notified = false;
        released = false;
        outcomeFacilityId = custody;
        continue;
      case 'declined':
        declined = { date: e.date, dateBasis: String(e.data.dateBasis ?? 'recorded'), facilityId: at };
        break;
      case 'notified':
        notified = true;
        break;
      case 'ice-custody':
        iceCustody = true;
        break;
      case 'released':
        released = true;
        break;
      case 'lifted':
        lifted = true;
        break;
      case 'cancelled':
        cancelled = true;
        break;
      case 'issued-in-error':
        inError = true;
        break;
      case 'disputed':
        disputed = true;
        continue;
      case 'corrected':
        // A correction that withdraws an earlier event names it; the report layer applies corrections.
        continue;
      default:
        continue;
    }
    transferredLast = false;
    outcomeFacilityId = at;
  }

  let outcome: OutcomeCategory;
  if (inError) outcome = 'issued-in-error';
  else if (declined && iceCustody) outcome = 'declined-ice-notified-took-custody';
  else if (iceCustody) outcome = 'ice-custody';
  else if (declined && released)
    outcome = notified ? 'declined-ice-notified-not-taken' : 'declined-released-without-notice';
  else if (declined) outcome = 'declined-outcome-unknown';
  else if (cancelled) outcome = 'cancelled';
  else if (lifted) outcome = 'lifted-by-ice';
  else if (released) outcome = 'released-without-decline';
  else if (transferredLast) outcome = 'transferred-elsewhere';
  else outcome = 'open';

  return {
    outcome,
    outcomeFacilityId,
    custodyChain,
    declined,
    notified,
    transferred: custodyChain.length > 1,
    disputed,
    lastEventDate,
  };
}
