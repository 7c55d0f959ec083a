import { describe, expect, it } from 'vitest';
import { RequestError } from './errors.ts';
import { fixtureLookup } from './fixture-lookup.ts';
import { validateRequest } from './request.ts';

const base = {
  type: 'notify',
  date: '2019-03-04',
  receiver: { division: 'ocd-division/country:us/state:ca/county:los_angeles', agencyKind: 'sheriff' },
};

function error(input: unknown): RequestError {
  try {
    validateRequest(input, fixtureLookup);
  } catch (e) {
    if (e instanceof RequestError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('decision request', () => {
  it('accepts the DESIGN §4 example', () => {
    const r = validateRequest(
      {
        ...base,
        form: 'I-247A',
        authority: ['i-200'],
        purpose: 'civil-immigration',
        nonPublicArea: false,
        subject: {
          juvenile: false,
          convictions: [
            { code: 'CA PC 245(a)(1)', level: 'felony', sentence: 'state-prison', date: '2012-05-01' },
          ],
          pendingCharges: [{ code: 'CA PC 211', level: 'felony', magistrateProbableCause: true }],
          sexArsonRegistrant: false,
          outstandingFederalFelonyWarrant: false,
        },
      },
      fixtureLookup,
    );
    expect(r.receiver.agencyKind).toBe('sheriff');
  });

  it('rejects an unknown field, naming it', () => {
    const e = error({ ...base, subject: { convictions: [{ code: 'x', colour: 'red' }] } });
    expect(e.code).toBe('request.unknown-field');
    expect(e.field).toBe('subject.convictions[0].colour');
  });

  it('rejects an impossible date with field and value', () => {
    const e = error({ ...base, date: '2019-02-30' });
    expect(e).toMatchObject({ code: 'request.bad-date', field: 'date', value: '2019-02-30' });
    expect(e.message).toContain('`2019-02-30`');
    expect(validateRequest({ ...base, date: '2020-02-29' }, fixtureLookup).date).toBe('2020-02-29');
  });

  it('rejects an unknown request type', () => {
    const e = error({ ...base, type: 'detain' });
    expect(e).toMatchObject({ code: 'request.bad-value', field: 'type', value: 'detain' });
  });

  it('rejects an unknown division and an unknown agency', () => {
    expect(
      error({ ...base, receiver: { division: 'ocd-division/country:us/state:zz', agencyKind: 'sheriff' } })
        .code,
    ).toBe('request.unknown-division');
    expect(error({ ...base, receiver: { agency: 'nope' } }).code).toBe('request.unknown-agency');
  });

  it('resolves an agency to its division and kind', () => {
    const r = validateRequest(
      { ...base, receiver: { agency: 'ocd-division/country:us/state:ca/place:los_angeles/agency:lapd' } },
      fixtureLookup,
    );
    expect(r.receiver).toMatchObject({
      division: 'ocd-division/country:us/state:ca/place:los_angeles',
      agencyKind: 'police',
    });
  });

  it('requires infoKind with info, and only with info', () => {
    expect(error({ ...base, type: 'info' }).field).toBe('infoKind');
    expect(error({ ...base, infoKind: 'address' }).field).toBe('infoKind');
  });
});
