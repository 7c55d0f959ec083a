/**
 * R5: the older releases NPR worked from (FY08–FY17; `.csv` tab-delimited, `.txt` comma-delimited).
 * `Prepare Date` is m/d/yy. ice-formats.md lists the leading columns; the rest are ignored.
 */
import { NONE, releaseLayout } from './ice-release.ts';

export const R5_HEADERS = [
  'Prepare Date',
  'Detainer Lift Reason',
  'Detainer Lift Reason 2 Code',
  'Detainer Detention Facility',
  'City',
  'State',
  'Detainer Type',
  'Area Of Responsibility',
  'OSC Served Yes No',
  'OSC Served Date',
] as const;

export const iceR5 = releaseLayout({
  id: 'ice-r5',
  title: 'ICE detainer release R5 (FY08–FY17, as NPR received it)',
  headers: R5_HEADERS,
  required: [
    'prepare_date',
    'detainer_lift_reason',
    'detainer_detention_facility',
    'city',
    'state',
    'detainer_type',
  ],
  distinctive: [
    'area_of_responsibility',
    'detainer_lift_reason_2_code',
    'osc_served_yes_no',
    'osc_served_date',
  ],
  columns: {
    issued: ['prepare_date'],
    state: ['state'],
    facility: ['detainer_detention_facility'],
    facilityCode: NONE,
    city: ['city'],
    aor: ['area_of_responsibility'],
    type: ['detainer_type'],
    lift: ['detainer_lift_reason'],
    liftCode: ['detainer_lift_reason_2_code'],
    liftDate: NONE,
    criminality: NONE,
    citizenship: NONE,
    offense: NONE,
    subject: NONE,
    id: NONE,
  },
});
