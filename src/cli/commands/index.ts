import type { Command } from 'commander';
import { registerCopy } from './copy.ts';
import { registerDecide } from './decide.ts';
import { registerDemo } from './demo.ts';
import { registerImport } from './import.ts';
import { registerJurisdictions } from './jurisdictions.ts';
import { registerMigrate } from './migrate.ts';
import { registerPolicy } from './policy.ts';
import { registerReplay } from './replay.ts';
import { registerReport } from './report.ts';
import { registerServe } from './serve.ts';
import { registerStats } from './stats.ts';
import { registerUsers } from './users.ts';
import { registerVerify } from './verify.ts';

/** Each command lives in its own file beside this one and registers itself here. */
export function registerCommands(program: Command): void {
  registerImport(program);
  registerDemo(program);
  registerVerify(program);
  registerStats(program);
  registerJurisdictions(program);
  registerDecide(program);
  registerPolicy(program);
  registerReplay(program);
  registerReport(program);
  registerMigrate(program);
  registerCopy(program);
  registerServe(program);
  registerUsers(program);
}
