/** `POST /api/v1/decide`: the decision request of DESIGN §4 in, the decision JSON out. Nothing is stored. */
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { RequestError, validateRequest } from '../../../law/index.ts';
import { DecisionJsonWriter } from '../../../law/json.ts';
import { DecisionRequestSchema } from '../../../law/request.ts';
import type { ServerContext } from '../../context.ts';
import { HttpProblem, ProblemSchema } from '../../problem.ts';
import { DecideQuery, DecisionResultSchema } from '../../schemas.ts';
import { passThrough, typeboxValidator } from '../../validation.ts';

export function decideRoutes(ctx: ServerContext): FastifyPluginAsync {
  // the law library's byte-exact writer (the same JSON as `decide`), one buffer reused: answers
  // are written one at a time on the event loop
  const writer = new DecisionJsonWriter();
  return async (app) => {
    app.post<{ Body: unknown; Querystring: Static<typeof DecideQuery> }>(
      '/decide',
      {
        schema: {
          tags: ['decide'],
          summary: 'Decide a request under the law in force on its date (nothing is stored)',
          description:
            'The request contract is the CLI’s (`detainer-ledger decide`): unknown fields, impossible dates and unknown divisions are errors naming the field and value.',
          body: DecisionRequestSchema,
          querystring: DecideQuery,
          response: { 200: DecisionResultSchema, 400: ProblemSchema },
        },
        // stores nothing: callers with a session cookie need no CSRF token
        config: { csrf: false },
        // the law library's own validator checks the body: the same messages as the CLI
        validatorCompiler: (route) =>
          route.httpPart === 'body' ? passThrough(route) : typeboxValidator(route),
      },
      async (request, reply) => {
        let valid;
        try {
          valid = validateRequest(request.body, ctx.registry);
        } catch (e) {
          if (e instanceof RequestError) {
            throw new HttpProblem(400, e.message, { code: e.code, field: e.field, value: e.value });
          }
          throw e;
        }
        const result = ctx.engine.decide(valid, { trace: request.query.trace !== false });
        writer.decision(result);
        return reply.type('application/json; charset=utf-8').send(writer.copy());
      },
    );
  };
}
