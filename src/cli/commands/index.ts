import type { Command } from 'commander';
import { registerJurisdictions } from './jurisdictions.ts';
import { registerStats } from './stats.ts';
import { registerVerify } from './verify.ts';

/** Each command lives in its own file beside this one and registers itself here. */
export function registerCommands(program: Command): void {
  registerVerify(program);
  registerStats(program);
  registerJurisdictions(program);
}
