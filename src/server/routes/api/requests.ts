/**
 * Ledger requests and their events (login or API token): `POST /requests` records a request for
 * the caller's agency and decides it; `POST /requests/:id/events` appends an outcome event (never
 * changes one); `GET /requests/:id` reads a request with its events and derived outcome.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actorOf, guard } from '../../auth/plugin.ts';
import type { ServerContext } from '../../context.ts';
import { OUTCOME_KINDS, readRequest, recordIntake, recordOutcome } from '../../intake.ts';
import { ProblemSchema } from '../../problem.ts';

const IntakeBody = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, description: 'the ledger id; made up when not given' })),
    agency: Type.Optional(
      Type.String({ minLength: 1, description: 'the receiving agency; the caller’s own when not given' }),
    ),
    request: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'the decision request of `POST /decide` without `receiver` (the agency is the receiver); checked by the law library’s validator',
    }),
    citizenship: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description:
          'the person’s country of citizenship (optional; decisions do not need it). Refused with 400 `request.forbidden-field`, naming the clause, where a law in force for the agency forbids collecting it; so is any `request.subject` fact such a law names',
      }),
    ),
  },
  { additionalProperties: false },
);
const EventBody = Type.Object(
  {
    kind: Type.Union(OUTCOME_KINDS.map((k) => Type.Literal(k))),
    date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    facility: Type.Optional(Type.String({ description: 'for `transferred`: the receiving facility id' })),
    reason: Type.Optional(Type.String()),
    key: Type.Optional(Type.String({ description: 'idempotency key: the same key again is stored once' })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export function requestRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Static<typeof IntakeBody> }>(
      '/requests',
      {
        preHandler: guard('record'),
        schema: {
          tags: ['requests'],
          summary: 'Record a request received by an agency and decide it',
          security,
          body: IntakeBody,
          response: {
            201: Type.Object({ id: Type.String(), agency: Type.String(), decision: Type.Unknown() }),
            409: ProblemSchema,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const r = await recordIntake(
          ctx,
          actorOf(request),
          { id: body.id, agency: body.agency, request: body.request, citizenship: body.citizenship },
          request.ip,
        );
        return reply
          .code(201)
          .header('location', `/api/v1/requests/${encodeURIComponent(r.id)}`)
          .send({
            id: r.id,
            agency: r.agency.id,
            decision: r.result,
          });
      },
    );

    app.post<{ Body: Static<typeof EventBody>; Params: Static<typeof IdParams> }>(
      '/requests/:id/events',
      {
        preHandler: guard('record'),
        schema: {
          tags: ['requests'],
          summary: 'Append an outcome event to a request (append-only)',
          security,
          params: IdParams,
          body: EventBody,
          response: {
            201: Type.Object({ key: Type.String(), seq: Type.Integer(), created: Type.Boolean() }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const r = await recordOutcome(ctx, actorOf(request), request.params.id, request.body, request.ip);
        return reply.code(r.created ? 201 : 200).send(r);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/requests/:id',
      {
        preHandler: guard('desk'),
        schema: {
          tags: ['requests'],
          summary: 'A request with its events and derived outcome',
          security,
          params: IdParams,
          response: { 200: Type.Unknown(), ...errors },
        },
      },
      async (request) => {
        const r = await readRequest(ctx, actorOf(request), request.params.id);
        const { state_, ...rest } = r;
        return {
          ...rest,
          outcome: state_.outcome,
          custodyChain: state_.custodyChain,
          declined: state_.declined,
        };
      },
    );
  };
}
