import type { Command } from 'commander';
import { buildServer } from '../../server/server.ts';
import { policyLibrary } from '../decide-lines.ts';
import { CliError } from '../errors.ts';
import { withDb } from '../options.ts';
import { registryFor } from '../../ledger/registry.ts';
import { openCliStore } from '../store-option.ts';

/** `detainer-ledger serve`: the web pages and the HTTP API over the ledger, until stopped. */
export function registerServe(program: Command): void {
  withDb(
    program
      .command('serve')
      .description('serve the web pages and the HTTP API (PORT, default 8080)')
      .option('--port <n>', 'TCP port (env PORT)', process.env.PORT ?? '8080')
      .option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '0.0.0.0')
      .option('--secure-cookies', 'mark session cookies Secure (when TLS ends at a proxy in front)')
      .option(
        '--import-limit <MB>',
        'the largest file the desk and the API take for an import, in megabytes (env IMPORT_LIMIT_MB)',
        process.env.IMPORT_LIMIT_MB ?? '200',
      )
      .option(
        '--log-requests',
        'log every request (JSON lines on standard output); errors are always logged',
      ),
  ).action(
    async (opts: {
      db: string;
      port: string;
      host: string;
      logRequests?: boolean;
      secureCookies?: boolean;
      importLimit: string;
    }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`--port must be a whole number from 0 to 65535, not \`${opts.port}\``, 2);
      }
      const importMb = Number(opts.importLimit);
      if (!Number.isFinite(importMb) || importMb <= 0) {
        throw new CliError(
          `--import-limit must be a number of megabytes above 0, not \`${opts.importLimit}\``,
          2,
        );
      }
      const library = policyLibrary();
      const store = await openCliStore(opts.db);
      const app = await buildServer({
        store,
        library,
        registry: await registryFor(store),
        logger: { level: opts.logRequests ? 'info' : 'warn' },
        secureCookies: opts.secureCookies === true,
        importLimit: Math.round(importMb * 1024 * 1024),
      });
      const stop = async (): Promise<void> => {
        await app.close();
        await store.close();
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      try {
        await app.listen({ port, host: opts.host });
      } catch (e) {
        await store.close();
        throw new CliError(`cannot listen on ${opts.host}:${port}: ${(e as Error).message}`);
      }
      const shown = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
      const actual = (app.server.address() as { port: number } | null)?.port ?? port;
      process.stderr.write(
        `Detainer Ledger on http://${shown}:${actual}/ (ledger ${opts.db}, law library ${library.revision.slice(0, 19)}…)\n`,
      );
    },
  );
}
