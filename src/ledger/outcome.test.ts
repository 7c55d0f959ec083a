import { describe, expect, it } from 'vitest';
import { deriveState, type OutcomeEventInput } from './outcome.ts';

const ev = (
  kind: OutcomeEventInput['kind'],
  facilityId: string | null = null,
  date = '2017-02-01',
): OutcomeEventInput => ({
  kind,
  date,
  facilityId,
  data: {},
});

describe('outcome derivation', () => {
  it('attributes a release after a transfer chain to the last facility', () => {
    // Williamson County (TX), 2017: people transferred elsewhere and released there.
    const s = deriveState('facility:WILLIAMSON', [
      ev('transferred', 'facility:TRAVIS'),
      ev('transferred', 'facility:BASTROP'),
      ev('declined'),
      ev('released'),
    ]);
    expect(s.custodyChain).toEqual(['facility:WILLIAMSON', 'facility:TRAVIS', 'facility:BASTROP']);
    expect(s.outcome).toBe('declined-released-without-notice');
    expect(s.outcomeFacilityId).toBe('facility:BASTROP');
    expect(s.declined?.facilityId).toBe('facility:BASTROP');
  });

  it('a transfer with nothing after it is not a decline', () => {
    const s = deriveState('facility:A', [ev('transferred', 'facility:B')]);
    expect(s.outcome).toBe('transferred-elsewhere');
    expect(s.declined).toBeNull();
  });

  it('a decline at the sending facility does not follow the person', () => {
    const s = deriveState('facility:A', [ev('declined'), ev('transferred', 'facility:B'), ev('ice-custody')]);
    expect(s.outcome).toBe('ice-custody');
    expect(s.outcomeFacilityId).toBe('facility:B');
  });

  it('keeps a declined hold with ICE notified and taking custody apart from a release', () => {
    // Hennepin County (MN), 2017.
    const s = deriveState('facility:HENNEPIN', [
      ev('declined'),
      ev('notified'),
      ev('released'),
      ev('ice-custody'),
    ]);
    expect(s.outcome).toBe('declined-ice-notified-took-custody');
  });

  it('removes a request issued in error from the declines', () => {
    // Chester County (PA) and Richmond County (NC), 2017.
    const s = deriveState('facility:CHESTER', [ev('declined'), ev('released'), ev('issued-in-error')]);
    expect(s.outcome).toBe('issued-in-error');
  });

  it('declined and released with notice but not picked up', () => {
    expect(deriveState('f', [ev('declined'), ev('notified'), ev('released')]).outcome).toBe(
      'declined-ice-notified-not-taken',
    );
  });

  it('lifted, cancelled, open and released without decline', () => {
    expect(deriveState('f', [ev('lifted')]).outcome).toBe('lifted-by-ice');
    expect(deriveState('f', [ev('cancelled')]).outcome).toBe('cancelled');
    expect(deriveState('f', []).outcome).toBe('open');
    expect(deriveState('f', [ev('released')]).outcome).toBe('released-without-decline');
  });

  it('keeps the decline date basis', () => {
    const s = deriveState('f', [
      { kind: 'declined', date: '2017-01-30', facilityId: null, data: { dateBasis: 'issue-date' } },
    ]);
    expect(s.declined).toEqual({ date: '2017-01-30', dateBasis: 'issue-date', facilityId: 'f' });
    expect(s.outcome).toBe('declined-outcome-unknown');
  });
});
