// Entry of every worker thread: a worker starts without the parent's TypeScript loader, so it
// loads the bundle of the module named in workerData.entry (a file URL) if there is one up to
// date (compiled-start.mjs), or else registers tsx and loads the module itself.
import { workerData } from 'node:worker_threads';
import { compiledEntry } from './compiled-start.mjs';

const bundle = compiledEntry(workerData.entry);
if (bundle) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.entry);
}
