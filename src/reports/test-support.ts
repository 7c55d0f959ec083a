/**
 * Ledgers for report tests, built through the real importer from canonical and NPR-layout files,
 * shaped after the 2017 report's errors (ddor.md). Every request here is synthetic.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type Registry } from '../jurisdictions/registry.ts';
import { createEngine, loadLibrary, type Engine } from '../law/index.ts';
import { importFile } from '../ingest/run.ts';
import type { FreshStore } from '../ledger/store-suite.ts';
import { freshSqliteStore } from '../ledger/test-stores.ts';
import type { ReportContext } from './build.ts';

export interface TestLedger extends ReportContext {
  engine: Engine;
  registry: Registry;
  dir: string;
  /** import more files (CSV text by file name) into the same ledger */
  load(files: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

let shared: { registry: Registry; engine: Engine } | undefined;

/** A ledger in a fresh store (default: an embedded file; `eachStore` gives PostgreSQL too). */
export async function testLedger(
  files: Record<string, string> = {},
  fresh: () => Promise<FreshStore> = freshSqliteStore,
): Promise<TestLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  const f = await fresh();
  const store = f.store;
  shared ??= (() => {
    const registry = loadRegistry();
    return { registry, engine: createEngine(loadLibrary(), registry) };
  })();
  const load = async (more: Record<string, string>) => {
    for (const [name, text] of Object.entries(more)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const s = await importFile({ store, registry: shared!.registry, file });
      if (s.status !== 'loaded')
        throw new Error(`${name}: ${s.status}: ${JSON.stringify(s.errors.slice(0, 3))}`);
    }
  };
  await load(files);
  return {
    store,
    ...shared,
    dir,
    load,
    close: async () => {
      await f.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const REQ =
  'request_id,type,form,issued_date,state,facility_name,facility_city,citizenship,most_serious_offense,subject_key,synthetic';
const EV = 'event_id,request_id,kind,date,facility_name,state,reason,detail';

/**
 * The DDOR's first week (Saturday 2017-01-28 to Friday 2017-02-03) with its errors:
 * - t-1 Williamson County (TX), transferred to Travis then Bastrop, declined and released there;
 * - e-1 Chester County (PA), declined, later marked issued in error;
 * - h-1 Hennepin County (MN), hold declined, ICE notified and took custody (confirmed by the agency);
 * - f-1 Franklin County (PA), declined;
 * - c-1…c-3 Cook County (IL), no outcome yet (section I);
 * - an NPR-layout row naming FRANKLIN COUNTY JAIL with no city or state, declined.
 * And the next week (2017-02-04 to 02-10): twelve Cook County requests issued in January all
 * recorded as declined on 2017-02-07 (a policy date), plus two ordinary declines elsewhere.
 */
export function ddorWeekFiles(): Record<string, string> {
  const requests = [
    REQ,
    't-1,hold,I-247A,2017-01-30,TX,WILLIAMSON COUNTY JAIL,GEORGETOWN,MEXICO,assault,subj-t1,true',
    'e-1,hold,I-247A,2017-01-30,PA,CHESTER COUNTY PRISON,WEST CHESTER,GUATEMALA,larceny,subj-e1,true',
    'h-1,hold,I-247A,2017-01-30,MN,HENNEPIN COUNTY JAIL,MINNEAPOLIS,SOMALIA,burglary,subj-h1,true',
    'f-1,hold,I-247A,2017-01-29,PA,FRANKLIN COUNTY JAIL,CHAMBERSBURG,HONDURAS,dangerous drugs,subj-f1,true',
    'c-1,hold,I-247A,2017-01-31,IL,COOK COUNTY JAIL,CHICAGO,MEXICO,traffic offense,subj-c1,true',
    'c-2,hold,I-247A,2017-02-01,IL,COOK COUNTY JAIL,CHICAGO,MEXICO,assault,subj-c2,true',
    'c-3,notify,I-247A,2017-02-02,IL,COOK COUNTY JAIL,CHICAGO,POLAND,,subj-c3,true',
    ...Array.from(
      { length: 12 },
      (_, i) =>
        `s-${i + 1},hold,I-247A,2017-01-${String(10 + i).padStart(2, '0')},IL,COOK COUNTY JAIL,CHICAGO,MEXICO,traffic offense,subj-s${i + 1},true`,
    ),
    'o-1,hold,I-247A,2017-02-05,CA,SANTA CLARA COUNTY JAIL,SAN JOSE,INDIA,assault,subj-o1,true',
    'o-2,hold,I-247A,2017-02-06,OR,MULTNOMAH COUNTY JAIL,PORTLAND,MEXICO,larceny,subj-o2,true',
  ];
  const events = [
    EV,
    'ev-t1,t-1,transferred,2017-01-31,TRAVIS COUNTY JAIL,TX,,',
    'ev-t2,t-1,transferred,2017-02-01,BASTROP COUNTY JAIL,TX,,',
    'ev-t3,t-1,declined,2017-02-02,,,,',
    'ev-t4,t-1,released,2017-02-02,,,,',
    'ev-e1,e-1,declined,2017-02-01,,,,',
    'ev-e2,e-1,issued-in-error,2017-03-01,,,the person was held in another county,',
    `ev-h1,h-1,declined,2017-02-01,,,,"{""reportedBy"":""agency""}"`,
    'ev-h2,h-1,notified,2017-02-01,,,,',
    'ev-h3,h-1,released,2017-02-01,,,,',
    'ev-h4,h-1,ice-custody,2017-02-01,,,,',
    'ev-f1,f-1,declined,2017-02-01,,,,',
    ...Array.from({ length: 12 }, (_, i) => `ev-s${i + 1},s-${i + 1},declined,2017-02-07,,,,`),
    'ev-o1,o-1,declined,2017-02-08,,,,',
    'ev-o2,o-2,declined,2017-02-09,,,,',
  ];
  const npr = [
    'date,lift_reason,det_facility,city,state,detainer_type',
    '2017-01-31 00:00:00,Detainer Declined by LEA,FRANKLIN COUNTY JAIL,,,',
  ];
  return {
    'requests.csv': requests.join('\n') + '\n',
    'events.csv': events.join('\n') + '\n',
    'npr.csv': npr.join('\n') + '\n',
  };
}
