/** The JSON API under `/api/v1`: one module per area. */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../../context.ts';
import { decideRoutes } from './decide.ts';
import { editionRoutes } from './editions.ts';
import { healthRoutes } from './health.ts';
import { importApiRoutes } from './imports.ts';
import { jurisdictionRoutes } from './jurisdictions.ts';
import { lawRoutes } from './law.ts';
import { requestRoutes } from './requests.ts';

export function apiRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(decideRoutes(ctx));
    await app.register(jurisdictionRoutes(ctx));
    await app.register(lawRoutes(ctx));
    await app.register(healthRoutes(ctx));
    await app.register(requestRoutes(ctx));
    await app.register(editionRoutes(ctx));
    await app.register(importApiRoutes(ctx));
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };
}
