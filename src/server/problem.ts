/**
 * RFC 9457 problem details: every API error is one of these, sent as `application/problem+json`
 * and naming the field and value at fault where there is one.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';

export const PROBLEM_TYPE = 'application/problem+json';

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'a URI naming the kind of problem; `about:blank` for plain HTTP errors',
    }),
    title: Type.String({ description: 'the kind of problem, in words' }),
    status: Type.Integer({ description: 'the HTTP status code' }),
    detail: Type.String({ description: 'what went wrong with this request and how to fix it' }),
    instance: Type.Optional(Type.String({ description: 'the path that was asked for' })),
    code: Type.Optional(Type.String({ description: 'a stable error code, e.g. `request.bad-value`' })),
    field: Type.Optional(
      Type.String({ description: 'the field at fault, e.g. `subject.convictions[0].date`' }),
    ),
    value: Type.Optional(Type.Unknown({ description: 'the value at fault, as given' })),
    clause: Type.Optional(
      Type.String({ description: 'the policy clause that refuses it, `<instrument>#<clause id>`' }),
    ),
  },
  { $id: 'Problem', title: 'Problem', description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** An error a handler throws to answer with a problem document. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly extra: { code?: string; field?: string; value?: unknown; title?: string; clause?: string } = {},
  ) {
    super(detail);
  }

  toProblem(instance: string): Problem {
    const { code, field, value, title, clause } = this.extra;
    return {
      type: code ? `urn:detainer-ledger:problem:${code}` : 'about:blank',
      title: title ?? TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      instance,
      ...(code !== undefined ? { code } : {}),
      ...(field !== undefined ? { field } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(clause !== undefined ? { clause } : {}),
    };
  }
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_TYPE).send(JSON.stringify(problem));
}
