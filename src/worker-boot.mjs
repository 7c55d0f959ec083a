// Entry of every worker thread: a worker starts without the parent's TypeScript loader, so it
// registers one, then loads the module named in workerData.entry (a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
