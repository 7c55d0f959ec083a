/** Name resolution and cooperation profiles: `GET /jurisdictions`, `GET /jurisdictions/:id/profile`. */
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { parseState } from '../../../jurisdictions/normalize.ts';
import { resolveName, searchJurisdictions } from '../../../jurisdictions/resolve.ts';
import { collectionLimits } from '../../../law/index.ts';
import type { ServerContext } from '../../context.ts';
import { findJurisdiction, profileFor, today } from '../../jurisdiction.ts';
import { HttpProblem, ProblemSchema } from '../../problem.ts';
import {
  IdParams,
  JurisdictionSearchQuery,
  JurisdictionSearchResult,
  ProfileQuery,
  ProfileSchema,
} from '../../schemas.ts';

export function jurisdictionRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Static<typeof JurisdictionSearchQuery> }>(
      '/jurisdictions',
      {
        schema: {
          tags: ['jurisdictions'],
          summary: 'Resolve a name to a division, agency or facility, with ranked candidates',
          description:
            'A name resolves only with its state, and is never guessed: ambiguous and unknown names come back with candidates.',
          querystring: JurisdictionSearchQuery,
          response: { 200: JurisdictionSearchResult, 400: ProblemSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const state = q.state === undefined ? null : parseState(q.state);
        if (q.state !== undefined && !state) {
          throw new HttpProblem(
            400,
            `query parameter \`state\`: unknown state \`${q.state}\`; give a two-letter code such as PA or a full name`,
            { code: 'request.bad-value', field: 'state', value: q.state },
          );
        }
        return {
          resolution: resolveName(ctx.registry, { name: q.name, state, city: q.city ?? null }),
          candidates: searchJurisdictions(ctx.registry, q.name, state ?? undefined, q.limit ?? 15),
        };
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ProfileQuery> }>(
      '/jurisdictions/:id/profile',
      {
        schema: {
          tags: ['jurisdictions'],
          summary: 'The cooperation profile of a division on a date, with 287(g) agreements from the ledger',
          params: IdParams,
          querystring: ProfileQuery,
          response: { 200: ProfileSchema, 400: ProblemSchema, 404: ProblemSchema },
        },
      },
      async (request) => {
        const j = findJurisdiction(ctx, request.params.id);
        if (!j) {
          throw new HttpProblem(404, `unknown division or agency \`${request.params.id}\``, {
            code: 'request.unknown-division',
            field: 'id',
            value: request.params.id,
          });
        }
        const date = request.query.date ?? today();
        const agencyKind = request.query.agencyKind ?? j.agencyKind;
        const profile = await profileFor(ctx, j, date, agencyKind);
        const collection = collectionLimits(ctx.engine, { division: j.division.id, agencyKind, date });
        return { name: j.division.name, ...profile, collectionLimits: collection };
      },
    );
  };
}
