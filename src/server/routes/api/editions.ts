/** Published report editions (public): list, one edition as JSON, one section as CSV. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { EditionError, listEditions, readEdition } from '../../../reports/editions.ts';
import { renderCsv } from '../../../reports/render/csv.ts';
import type { ServerContext } from '../../context.ts';
import { HttpProblem, ProblemSchema } from '../../problem.ts';

const IdParams = Type.Object({
  id: Type.String({ minLength: 6, description: 'an edition id (`sha256:…`) or a unique prefix' }),
});
const SectionParams = Type.Object({
  id: IdParams.properties.id,
  file: Type.String({ pattern: '^[a-z0-9-]+\\.csv$', description: 'a section file, e.g. `section-2.csv`' }),
});

/** An edition, or a 404 problem naming the id. */
export async function editionOr404(ctx: ServerContext, id: string) {
  try {
    return await readEdition(ctx.store, id);
  } catch (e) {
    if (e instanceof EditionError)
      throw new HttpProblem(404, e.message, { code: 'edition.not-found', field: 'id', value: id });
    throw e;
  }
}

export function editionRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/editions',
      {
        schema: {
          tags: ['editions'],
          summary: 'Every published edition, newest first',
          response: { 200: Type.Unknown() },
        },
      },
      async () => listEditions(ctx.store),
    );
    app.get<{ Params: Static<typeof IdParams> }>(
      '/editions/:id',
      {
        schema: {
          tags: ['editions'],
          summary: 'One edition: the report JSON with its edition stamp',
          params: IdParams,
          response: { 200: Type.Unknown(), 404: ProblemSchema },
        },
      },
      async (request) => editionOr404(ctx, request.params.id),
    );
    app.get<{ Params: Static<typeof SectionParams> }>(
      '/editions/:id/sections/:file',
      {
        schema: {
          tags: ['editions'],
          summary: 'One section of an edition as CSV (`section-1.csv` … `section-4-*.csv`)',
          params: SectionParams,
          response: { 200: Type.String(), 404: ProblemSchema },
        },
      },
      async (request, reply) => {
        const report = await editionOr404(ctx, request.params.id);
        const files = renderCsv(report);
        const csv = files[request.params.file];
        if (csv === undefined)
          throw new HttpProblem(
            404,
            `no section file \`${request.params.file}\`: the edition has ${Object.keys(files).join(', ')}`,
            {
              code: 'edition.no-section',
              field: 'file',
              value: request.params.file,
            },
          );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.params.file}"`)
          .send(csv);
      },
    );
  };
}
