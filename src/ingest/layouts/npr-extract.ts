/**
 * NPR's six-column extract of R5 (data/npr/residents.csv, americans.csv): one detainer per row,
 * `date` as "YYYY-MM-DD 00:00:00", `state` as the full upper-case name, `detainer_type` blank
 * before ~2014.
 */
import { NONE, releaseLayout } from './ice-release.ts';

export const NPR_HEADERS = ['date', 'lift_reason', 'det_facility', 'city', 'state', 'detainer_type'] as const;

export const nprExtract = releaseLayout({
  id: 'npr-extract',
  title: 'NPR six-column detainer extract',
  headers: NPR_HEADERS,
  required: [...NPR_HEADERS],
  distinctive: [],
  columns: {
    issued: ['date'],
    state: ['state'],
    facility: ['det_facility'],
    facilityCode: NONE,
    city: ['city'],
    aor: NONE,
    type: ['detainer_type'],
    lift: ['lift_reason'],
    liftCode: NONE,
    liftDate: NONE,
    criminality: NONE,
    citizenship: NONE,
    offense: NONE,
    subject: NONE,
    id: NONE,
  },
});

/** NPR's per-city aggregate tables (data/npr/california/*.csv): counts, refused with a message. */
export const NPR_AGGREGATE_HEADERS = ['year', 'det_facility', 'lift_reason', 'count'] as const;
