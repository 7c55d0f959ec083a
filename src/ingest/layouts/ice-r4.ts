/**
 * R4: TRAC's FOIA 2025-ICFO-18038 (FY17–FY25, ~130 columns) with names as R's reader writes them
 * (spaces → underscores). Only R4 has a lift date and its own detainer id. The header lists the
 * columns this importer reads and the ones ice-formats.md names; the other ~100 are ignored.
 */
import { releaseLayout } from './ice-release.ts';

export const R4_HEADERS = [
  'Detainer_ID',
  'Detainer_Prepare_Date',
  'Detainer_Prepare_Fiscal_Year',
  'Facility_State',
  'Facility_City',
  'Detainer_AOR',
  'Detainer_Detention_Facility',
  'Detainer_Detention_Facility_Code',
  'Detainer_Facility_Type',
  'Detainer_Facility_Function',
  'Detainer_Type',
  'Detainer_Prepared_Criminality',
  'Citizenship_Country',
  'MSC_Charge',
  'Detainer_Lift_Date',
  'Detainer_Lift_Reason',
  'Detainer_Lift_Reason_Code',
  'Detainer_Lift_Reason2',
  'Detainer_Lift_Reason_Code2',
  'Projected_Release_Date',
  'Request_Acceptance_Yes_No',
  'Previous_Detainer_Cancel_Yes_No',
  'Previous_Detainer_Prep_Date',
  'Latest_Detainer_Yes_No',
  'Active_Yes_No',
  'Apprehension_AOR',
  'Apprehension_Site',
  'Race',
  'Ethnicity',
  'Alien_Number_Unique_Identifier',
] as const;

export const iceR4 = releaseLayout({
  id: 'ice-r4',
  title: 'TRAC FOIA release R4 (FY17–FY25, with lift dates)',
  headers: R4_HEADERS,
  required: [
    'detainer_id',
    'detainer_prepare_date',
    'detainer_detention_facility',
    'detainer_lift_date',
    'detainer_lift_reason',
    'detainer_type',
  ],
  distinctive: [
    'detainer_aor',
    'detainer_detention_facility_code',
    'detainer_lift_reason2',
    'request_acceptance_yes_no',
    'alien_number_unique_identifier',
    'detainer_prepare_fiscal_year',
  ],
  columns: {
    issued: ['detainer_prepare_date'],
    state: ['facility_state', 'detainer_facility_state', 'detainer_detention_facility_state', 'state'],
    facility: ['detainer_detention_facility'],
    facilityCode: ['detainer_detention_facility_code'],
    city: ['facility_city', 'detainer_facility_city', 'detainer_detention_facility_city', 'city'],
    aor: ['detainer_aor'],
    type: ['detainer_type'],
    lift: ['detainer_lift_reason'],
    liftCode: ['detainer_lift_reason_code'],
    liftDate: ['detainer_lift_date'],
    criminality: ['detainer_prepared_criminality', 'detainer_criminality'],
    citizenship: ['citizenship_country'],
    offense: ['msc_charge', 'most_serious_conviction_msc_charge'],
    subject: ['alien_number_unique_identifier'],
    id: ['detainer_id'],
  },
});
