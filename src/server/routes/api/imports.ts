/**
 * `POST /imports`: the request body is the file itself (CSV, JSON Lines or XLSX, by its content
 * type), streamed to a temporary file and imported in the background; 202 with the job's
 * address. `GET /imports/:id`: how far the job has got, and the importer's summary once it ends.
 * Analysts and admins (`import`), with an API token or a session and its `x-csrf-token`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { sourceKindOf, type SourceKind } from '../../../ingest/readers.ts';
import { actorOf, guard } from '../../auth/plugin.ts';
import type { ServerContext } from '../../context.ts';
import { safeFileName, tooLarge } from '../../imports.ts';
import { HttpProblem, ProblemSchema } from '../../problem.ts';
import { ImportJobSchema, ImportQuery } from '../../schemas.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** the content types taken, and the reader each stands for */
const KINDS: Record<string, SourceKind> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  [XLSX]: 'xlsx',
};
const EXTENSION: Record<SourceKind, string> = { csv: '.csv', jsonl: '.jsonl', xlsx: '.xlsx' };
const KNOWN_EXTENSION = /\.(csv|tsv|txt|jsonl|ndjson|xlsx|xlsm)$/i;

const JobParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

export function importApiRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    // the body stays a stream here: the handler writes it to disk, up to the import limit
    app.addContentTypeParser(Object.keys(KINDS), (_request, _payload, done) => done(null));

    app.post<{ Querystring: Static<typeof ImportQuery> }>(
      '/imports',
      {
        preHandler: guard('import'),
        schema: {
          tags: ['imports'],
          summary: 'Import a file (the body) into the ledger, in the background',
          description:
            'Any file `detainer-ledger import` takes: canonical requests or events, the NPR extract, ICE detainer releases R1–R5, ICE 287(g) sheets, ICE areas of responsibility; the layout is found from the header. A file with a bad row is rejected whole and nothing is written. Answers 202 at once; read the job at `Location` until its `state` is `done` or `failed`.',
          security,
          querystring: ImportQuery,
          body: {
            content: Object.fromEntries(
              Object.keys(KINDS).map((type) => [
                type,
                { schema: Type.Unknown({ description: `the file (${KINDS[type]!.toUpperCase()})` }) },
              ]),
            ),
          },
          response: {
            202: Type.Object({
              id: Type.String(),
              state: Type.String(),
              file: Type.String(),
              bytes: Type.Integer(),
            }),
            413: ProblemSchema,
            415: ProblemSchema,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const type = String(request.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        const kind = KINDS[type];
        if (!kind)
          throw new HttpProblem(
            415,
            `send the file as ${Object.keys(KINDS)
              .map((k) => `\`${k}\``)
              .join(', ')}`,
            { code: 'import.media-type', value: type },
          );
        const declared = Number(request.headers['content-length']);
        let name = safeFileName(request.query.name, `upload${EXTENSION[kind]}`);
        // the reader is chosen by the name's extension: it must agree with the content type
        if (sourceKindOf(name) !== kind) {
          if (KNOWN_EXTENSION.test(name))
            throw new HttpProblem(
              400,
              `the name \`${name}\` says ${sourceKindOf(name).toUpperCase()} but the content type \`${type}\` says ${kind.toUpperCase()}: make them agree`,
              { code: 'request.bad-value', field: 'name', value: name },
            );
          name += EXTENSION[kind];
        }
        // a declared length over the limit is refused before a byte is read
        if (Number.isFinite(declared) && declared > ctx.imports.limit) {
          await ctx.imports.refused(actor, request.ip, name, 'too large');
          throw tooLarge(ctx.imports.limit);
        }
        const upload = await ctx.imports.receive(request.raw, name, actor, request.ip);
        const job = ctx.imports.start({
          actor,
          ip: request.ip,
          file: name,
          bytes: upload.bytes,
          dir: upload.dir,
          path: upload.path,
          dryRun: request.query.dryRun,
          sheetDate: request.query.sheetDate,
        });
        return reply
          .code(202)
          .header('location', `/api/v1/imports/${encodeURIComponent(job.id)}`)
          .send({ id: job.id, state: job.state, file: job.file, bytes: job.bytes });
      },
    );

    app.get<{ Params: Static<typeof JobParams> }>(
      '/imports/:id',
      {
        preHandler: guard('import'),
        schema: {
          tags: ['imports'],
          summary: 'An import: its state, progress and, once ended, the importer’s summary',
          security,
          params: JobParams,
          response: { 200: ImportJobSchema, 404: ProblemSchema, ...errors },
        },
      },
      async (request) => {
        const job = ctx.imports.get(request.params.id);
        if (!job || !ctx.imports.mayRead(actorOf(request), job))
          throw new HttpProblem(
            404,
            `no import \`${request.params.id}\`: imports are kept while the server runs, and an admin or the user who started one may read it`,
            { code: 'import.unknown' },
          );
        return job;
      },
    );
  };
}
