/**
 * The web application and HTTP API (DESIGN §8) as one Fastify instance, built from what the
 * caller opened (store, law library, registry) so tests drive it with `inject` and the CLI's
 * `serve` puts it on a port. Each area's routes live in their own module under `routes/`.
 */
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from '../jurisdictions/registry.ts';
import { createEngine, type Engine, type Library } from '../law/index.ts';
import type { Store } from '../ledger/store.ts';
import { LoginLimiter, type LimiterOptions } from './auth/limiter.ts';
import { installAuth } from './auth/plugin.ts';
import { ledgerSummaryReader, type ServerContext } from './context.ts';
import { errorPage } from './routes/pages/errors.ts';
import { ImportJobs } from './imports.ts';
import { HttpProblem, sendProblem } from './problem.ts';
import { apiRoutes } from './routes/api/index.ts';
import { deskRoutes } from './routes/desk/index.ts';
import { pageRoutes } from './routes/pages/index.ts';
import { typeboxValidator } from './validation.ts';

export const API_PREFIX = '/api/v1';
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

export interface ServerOptions {
  store: Store;
  library: Library;
  registry: Registry;
  /** built from library and registry when not given */
  engine?: Engine;
  /** Fastify's logger option (default: off, the CLI turns it on) */
  logger?: FastifyServerOptions['logger'];
  /** seconds the ledger summary behind the synthetic-data label is cached */
  summaryTtlMs?: number;
  /** mark session cookies Secure although this process sees plain HTTP (TLS ends at a proxy) */
  secureCookies?: boolean;
  /** login rate limits (defaults: 5 failures per address and name, 20 per address, in 15 minutes) */
  loginLimits?: LimiterOptions;
  /** the largest file the desk and the API take for an import, in bytes (default 200 MB) */
  importLimit?: number;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const ctx: ServerContext = {
    store: opts.store,
    library: opts.library,
    registry: opts.registry,
    engine: opts.engine ?? createEngine(opts.library, opts.registry),
    ledgerSummary: ledgerSummaryReader(opts.store, opts.summaryTtlMs),
    loginLimiter: new LoginLimiter(opts.loginLimits),
    secureCookies: opts.secureCookies ?? false,
    imports: new ImportJobs(opts.store, opts.importLimit),
  };
  const app = Fastify({
    logger: opts.logger ?? false,
    // a decision request is small; anything larger is a mistake or an attack
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(typeboxValidator);
  // responses are plain data: the schemas document them, JSON.stringify writes them
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Detainer Ledger API',
        version: '1',
        description:
          'Decide immigration detainer requests under the law in force on their date, read the law library and jurisdictions. Errors are RFC 9457 problem documents.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'an API token from `detainer-ledger users token NAME`',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'dl_session',
            description: 'a desk session; send `x-csrf-token` with it',
          },
        },
      },
      tags: [
        { name: 'decide', description: 'decisions under the law library' },
        { name: 'jurisdictions', description: 'name resolution and cooperation profiles' },
        { name: 'law', description: 'the law library: instruments, clauses, citations' },
        { name: 'requests', description: 'ledger requests and their events (login or API token)' },
        { name: 'editions', description: 'published report editions' },
        { name: 'imports', description: 'import files into the ledger (analysts and admins)' },
        { name: 'service', description: 'health' },
      ],
    },
    // only the API goes in the document; the pages are for people
    transform: ({ schema, url }) => ({
      schema: url.startsWith(API_PREFIX) ? schema : { ...(schema ?? {}), hide: true },
      url,
    }),
  });
  await app.register(formbody);
  await installAuth(app, { store: opts.store });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h' });

  app.addHook('onSend', async (_request, reply, payload) => {
    // pages have no scripts of their own: the policy forbids any that an escaping slip could let in
    // (a route may set a policy of its own: the printable report needs its inline style sheet)
    if (
      String(reply.getHeader('content-type') ?? '').startsWith('text/html') &&
      !reply.hasHeader('content-security-policy')
    ) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
    }
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  app.setErrorHandler((err: FastifyError | HttpProblem, request, reply) => {
    const isApi = request.url.startsWith('/api/');
    let problem: HttpProblem;
    if (err instanceof HttpProblem) problem = err;
    else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      problem = new HttpProblem(err.statusCode, err.message, {
        code: err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'request.json' : undefined,
      });
    } else {
      request.log.error(err);
      problem = new HttpProblem(500, 'the server failed to answer; the error is logged');
    }
    const path = request.url.split('?')[0]!;
    if (isApi) return sendProblem(reply, problem.toProblem(path));
    return reply.code(problem.status).type('text/html; charset=utf-8').send(errorPage(problem));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const problem = new HttpProblem(
      404,
      path.startsWith('/api/')
        ? `no route ${request.method} ${path}; the API is described at ${API_PREFIX}/openapi.json`
        : `there is no page at ${path}`,
    );
    if (path.startsWith('/api/')) return sendProblem(reply, problem.toProblem(path));
    return reply.code(404).type('text/html; charset=utf-8').send(errorPage(problem));
  });

  // an import still running writes to the store: the caller closes the store after the server
  app.addHook('onClose', () => ctx.imports.idle());
  await app.register(apiRoutes(ctx), { prefix: API_PREFIX });
  await app.register(pageRoutes(ctx));
  await app.register(deskRoutes(ctx));
  return app;
}
