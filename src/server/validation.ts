/**
 * Route validation with the TypeBox schemas themselves (compiled once per route), so the schema a
 * route declares, the check it runs and the OpenAPI document are one thing. A failure becomes a
 * 400 problem naming the field and its value.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { pointerToField } from '../law/errors.ts';
import { schemaIssues } from '../law/schema.ts';
import { HttpProblem } from './problem.ts';

const PART_NAMES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'field',
};

export const typeboxValidator: FastifySchemaCompiler<unknown> = ({ schema: raw, httpPart }) => {
  const schema = raw as TSchema;
  const check = TypeCompiler.Compile(schema);
  // query strings and path segments are text: numbers and booleans are read from it first
  const convert = httpPart === 'querystring' || httpPart === 'params';
  return (input: unknown) => {
    if (check.Check(input)) return { value: input };
    const value = convert ? Value.Convert(schema, input) : input;
    if (check.Check(value)) return { value };
    const first = schemaIssues(schema, value)[0] ?? { pointer: '', message: 'is not valid' };
    const field = pointerToField(first.pointer);
    const given = valueAt(value, first.pointer);
    const what = PART_NAMES[httpPart ?? 'body'] ?? 'field';
    const detail =
      first.message === 'unknown field'
        ? `unknown ${what} \`${field}\``
        : first.message === 'is required'
          ? `missing ${what} \`${field}\``
          : `${what} \`${field}\`: ${first.message}`;
    return {
      error: new HttpProblem(400, detail, {
        code: first.message === 'is required' ? 'request.missing-field' : 'request.bad-value',
        field,
        value: given,
      }),
    };
  };
};

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** No check at all: for routes that validate with the domain's own validator (`POST /decide`). */
export const passThrough: FastifySchemaCompiler<unknown> = () => (value: unknown) => ({ value });
