#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: from a bundle kept up to date with the sources
// (src/compiled-start.mjs), or else through tsx.
import { compiledCli } from '../src/compiled-start.mjs';

const bundle = await compiledCli();
if (bundle) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
