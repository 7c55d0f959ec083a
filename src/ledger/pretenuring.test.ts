import { describe, expect, it, vi } from 'vitest';

const setFlagsFromString = vi.fn();
vi.mock('node:v8', () => ({ setFlagsFromString }));
const { holdPretenuringOff } = await import('./pretenuring.ts');

describe('holdPretenuringOff', () => {
  it('turns pretenuring off for the first holder and on again when the last lets go, once each', () => {
    const first = holdPretenuringOff();
    const second = holdPretenuringOff();
    expect(setFlagsFromString.mock.calls).toEqual([['--no-allocation-site-pretenuring']]);
    first();
    first(); // a second release by the same holder counts for nothing
    expect(setFlagsFromString).toHaveBeenCalledTimes(1);
    second();
    expect(setFlagsFromString.mock.calls).toEqual([
      ['--no-allocation-site-pretenuring'],
      ['--allocation-site-pretenuring'],
    ]);
  });
});
