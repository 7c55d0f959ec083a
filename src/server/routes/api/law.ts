/** The law library: `GET /law/instruments`, `GET /law/instruments/:id`. */
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { parseState } from '../../../jurisdictions/normalize.ts';
import type { ServerContext } from '../../context.ts';
import { instrumentVersions, listInstruments } from '../../law-library.ts';
import { HttpProblem, ProblemSchema } from '../../problem.ts';
import { InstrumentDetail, InstrumentIdParams, InstrumentList, InstrumentListQuery } from '../../schemas.ts';

export function lawRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Static<typeof InstrumentListQuery> }>(
      '/law/instruments',
      {
        schema: {
          tags: ['law'],
          summary: 'Every instrument version in the law library',
          querystring: InstrumentListQuery,
          response: { 200: InstrumentList, 400: ProblemSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const state = q.state === undefined ? undefined : parseState(q.state);
        if (state === null) {
          throw new HttpProblem(400, `query parameter \`state\`: unknown state \`${q.state}\``, {
            code: 'request.bad-value',
            field: 'state',
            value: q.state,
          });
        }
        const rows = listInstruments(ctx.library, { ...q, state }).map((i) => ({
          id: i.id,
          version: i.version,
          title: i.title,
          layer: i.layer,
          division: i.division,
          validFrom: i.ref.validFrom,
          validTo: i.ref.validTo,
          confidence: i.confidence,
          clauses: i.clauses.length,
          file: i.file,
        }));
        return { revision: ctx.library.revision, instruments: rows };
      },
    );

    app.get<{ Params: Static<typeof InstrumentIdParams> }>(
      '/law/instruments/:id',
      {
        schema: {
          tags: ['law'],
          summary: 'One instrument: every version as written, with clauses, citations and summaries',
          params: InstrumentIdParams,
          response: { 200: InstrumentDetail, 404: ProblemSchema },
        },
      },
      async (request) => {
        const versions = instrumentVersions(ctx.library, request.params.id);
        if (versions.length === 0) {
          throw new HttpProblem(
            404,
            `unknown instrument \`${request.params.id}\`; see GET /api/v1/law/instruments`,
            {
              code: 'law.unknown-instrument',
              field: 'id',
              value: request.params.id,
            },
          );
        }
        return {
          id: versions[0]!.id,
          revision: ctx.library.revision,
          versions: versions.map((i) => ({ file: i.file, version: i.version, ...i.data })),
        };
      },
    );
  };
}
