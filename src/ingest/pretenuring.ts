import { setFlagsFromString } from 'node:v8';

/**
 * V8 notes where objects are made and, when one allocation site's objects are all still alive
 * at a young-generation collection, makes that site's later objects straight in the old
 * generation ("pretenuring"), which is collected far less often. A large import keeps each batch
 * of rows alive while the store writes the batch before it, so whether its per-row sites are
 * tenured came down to timing: in about a third of runs they were, and a million-row import
 * peaked at ~490 MB instead of ~360 MB, and ran slower for the larger collections. So the
 * heuristic is off while any large import runs, and on again after (unless the process was
 * started with it off).
 */
let running = 0;
const OFF = '--no-allocation-site-pretenuring';
const offFromStart = process.execArgv.includes(OFF);

export async function withoutPretenuring<T>(work: () => Promise<T>): Promise<T> {
  if (running++ === 0) setFlagsFromString(OFF);
  try {
    return await work();
  } finally {
    if (--running === 0 && !offFromStart) setFlagsFromString('--allocation-site-pretenuring');
  }
}
