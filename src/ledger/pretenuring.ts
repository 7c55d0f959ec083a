import { setFlagsFromString } from 'node:v8';

/**
 * V8 notes where objects are made and, when one allocation site's objects are all still alive
 * at a young-generation collection, makes that site's later objects straight in the old
 * generation ("pretenuring"), which is collected far less often. An import into a ledger file
 * keeps each batch of rows alive while the writer thread inserts the batch before it, so whether
 * its per-row sites were tenured came down to timing: in about half the runs they were, and a
 * million-row import peaked at ~450 MB instead of ~270 MB, and ran ~20% slower for the larger
 * collections. So the heuristic is off while such an import runs, and on again after (unless
 * the process was started with it off). The PostgreSQL import measured ~4% slower without it,
 * and keeps it.
 */
let holders = 0;
const OFF = '--no-allocation-site-pretenuring';
const offFromStart = process.execArgv.includes(OFF);

/** Turn pretenuring off until the function returned is called (once or more). */
export function holdPretenuringOff(): () => void {
  if (holders++ === 0) setFlagsFromString(OFF);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holders === 0 && !offFromStart) setFlagsFromString('--allocation-site-pretenuring');
  };
}
