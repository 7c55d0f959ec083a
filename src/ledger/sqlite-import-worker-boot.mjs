// Entry of the import writer thread: a worker starts without the parent's TypeScript loader,
// so it registers one before loading the writer itself.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-import-worker.ts');
