/** `GET /api/v1/health`: the law library is loaded and the store answers. */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../../context.ts';
import { ProblemSchema } from '../../problem.ts';
import { Health } from '../../schemas.ts';

export function healthRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['service'],
          summary: 'The service is up: the law library is loaded and the ledger answers',
          response: { 200: Health, 500: ProblemSchema },
        },
      },
      async () => {
        const s = await ctx.ledgerSummary();
        return {
          status: 'ok' as const,
          libraryRevision: ctx.library.revision,
          instruments: ctx.library.instruments.length,
          requests: s.requests,
          syntheticRequests: s.synthetic,
        };
      },
    );
  };
}
