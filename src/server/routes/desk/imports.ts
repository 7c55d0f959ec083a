/**
 * `/desk/imports`: upload a file (a plain multipart form, no scripts), watch its import run, read
 * its summary with every bad row the importer reported. Analysts and admins only (`import`).
 *
 * The CSRF token travels in the form's `_csrf` field, placed before the file input, so it is read
 * and checked before a byte of the file is written (the global check runs before the body is
 * read, when a multipart body is still unread: hence `csrf: false` and the check here).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { rm } from 'node:fs/promises';
import { actorOf, guard, sameSecret } from '../../auth/plugin.ts';
import type { Actor } from '../../auth/roles.ts';
import type { ServerContext } from '../../context.ts';
import { html, type Html } from '../../html.ts';
import { megabytes, safeFileName, type ImportJob } from '../../imports.ts';
import { page } from '../../layout.ts';
import { HttpProblem } from '../../problem.ts';
import { csrfField, problemNote } from './forms.ts';

const HTML = 'text/html; charset=utf-8';
const jobHref = (id: string) => `/desk/imports/${encodeURIComponent(id)}`;
const count = (n: number) => n.toLocaleString('en-US');

function checkCsrf(request: FastifyRequest, actor: Actor, field: string | undefined): void {
  if (actor.via !== 'session') return;
  const header = request.headers['x-csrf-token'];
  const given = field ?? (typeof header === 'string' ? header : undefined);
  if (!sameSecret(given, actor.csrf))
    throw new HttpProblem(
      403,
      'the form is out of date or did not come from this site: reload the page and try again',
      { code: 'auth.csrf' },
    );
}

const STATE_LABELS: Record<ImportJob['state'], string> = {
  queued: 'waiting',
  running: 'importing',
  done: 'done',
  failed: 'failed',
};
const VERDICTS = {
  loaded: 'Imported',
  partial: 'Imported in part',
  rejected: 'Rejected: nothing was written, the ledger is as it was',
  'dry-run': 'Checked (dry run): nothing was written',
} as const;

function outcome(job: ImportJob): string {
  if (job.state === 'failed') return 'failed';
  if (job.summary) return job.summary.status;
  return STATE_LABELS[job.state];
}

export function importRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    // this plugin's own context: only these routes read multipart bodies
    await app.register(multipart, {
      limits: { fileSize: ctx.imports.limit, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
    });

    const importsPage = (actor: Actor, problem: Html | '' = '') => {
      const jobs = ctx.imports.list(actor);
      return page(
        { title: 'Import a file', nav: 'desk', actor },
        html`<h1>Import a file</h1>
          <p>
            Any file <code>detainer-ledger import</code> takes: canonical requests or events (CSV, JSON
            Lines), the NPR extract, ICE detainer releases (R1–R5, CSV or XLSX), ICE 287(g) sheets, ICE areas
            of responsibility. The layout is found from the header. A file with a bad row is rejected whole
            and every bad row is listed; importing the same file again adds nothing. Up to
            ${megabytes(ctx.imports.limit)}.
          </p>
          ${problem}
          <form method="post" action="/desk/imports" enctype="multipart/form-data" id="import">
            ${csrfField(actor)}
            <label
              ><input type="checkbox" name="dryRun" value="1" /> Check only (dry run): report what would load,
              write nothing</label
            >
            <label
              >Date of a 287(g) sheet (only when its file name does not carry it)
              <input type="date" name="sheetDate"
            /></label>
            <label
              >File
              <input type="file" name="file" required accept=".csv,.tsv,.txt,.jsonl,.ndjson,.xlsx,.xlsm"
            /></label>
            <button type="submit">Import</button>
          </form>
          <h2>Recent imports</h2>
          <p class="muted">
            Kept while the server runs and lost when it restarts; the ledger keeps the file and row of every
            row it loaded, and the audit log every import.
          </p>
          ${
            jobs.length
              ? html`<table id="recent-imports">
                  <thead>
                    <tr>
                      <th>Queued (UTC)</th>
                      <th>File</th>
                      <th>By</th>
                      <th>Outcome</th>
                      <th>Loaded</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${jobs.map(
                      (j) =>
                        html`<tr>
                          <td>${j.queuedAt.slice(0, 19).replace('T', ' ')}</td>
                          <td><a href="${jobHref(j.id)}">${j.file}</a></td>
                          <td>${j.user}</td>
                          <td>${outcome(j)}</td>
                          <td>${j.summary ? count(j.summary.loaded) : ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p class="muted">None since the server started.</p>`
          }`,
      );
    };

    app.get('/desk/imports', { preHandler: guard('import') }, async (request, reply) =>
      reply.type(HTML).send(importsPage(actorOf(request))),
    );

    app.post(
      '/desk/imports',
      { preHandler: guard('import'), config: { csrf: false } },
      async (request, reply) => {
        const actor = actorOf(request);
        if (!request.isMultipart())
          throw new HttpProblem(415, 'send the form as multipart/form-data, with the file in `file`');
        const fields: Record<string, string> = {};
        let upload: { dir: string; path: string; bytes: number; name: string } | null = null;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'field') {
              if (!upload) fields[part.fieldname] = String(part.value);
              continue;
            }
            // the token comes before the file: nothing is written for a request without it
            checkCsrf(request, actor, fields._csrf);
            if (part.fieldname !== 'file' || upload || !part.filename) {
              part.file.resume();
              continue;
            }
            const name = safeFileName(part.filename, 'upload.csv');
            const received = await ctx.imports.receive(part.file, name, actor, request.ip);
            upload = { ...received, name };
          }
        } catch (e) {
          if (upload) await rm(upload.dir, { recursive: true, force: true });
          throw e;
        }
        checkCsrf(request, actor, fields._csrf);
        if (!upload)
          return reply
            .code(400)
            .type(HTML)
            .send(importsPage(actor, problemNote('Choose a file to import.')));
        const job = ctx.imports.start({
          actor,
          ip: request.ip,
          file: upload.name,
          bytes: upload.bytes,
          dir: upload.dir,
          path: upload.path,
          dryRun: fields.dryRun === '1',
          sheetDate: fields.sheetDate || undefined,
        });
        return reply.redirect(jobHref(job.id), 303);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/desk/imports/:id',
      { preHandler: guard('import') },
      async (request, reply) => {
        const actor = actorOf(request);
        const job = ctx.imports.get(request.params.id);
        if (!job || !ctx.imports.mayRead(actor, job))
          throw new HttpProblem(
            404,
            `there is no import ${request.params.id} here: imports are listed while the server runs and lost when it restarts`,
          );
        const ended = job.state === 'done' || job.state === 'failed';
        return reply.type(HTML).send(
          page(
            {
              title: `Import of ${job.file}`,
              nav: 'desk',
              actor,
              // no scripts: the page reloads itself until the import has ended
              ...(ended ? {} : { head: html`<meta http-equiv="refresh" content="2" />` }),
            },
            html`<h1>Import of <code>${job.file}</code></h1>
              <p>
                ${count(job.bytes)} bytes, uploaded by ${job.user} at
                ${job.queuedAt.slice(0, 19).replace('T', ' ')} UTC${job.dryRun ? ' (dry run)' : ''}.
              </p>
              ${ended ? finished(job) : progress(job)}
              <p>
                <a href="/desk/imports">Import another file</a> ·
                <a href="/desk/imports#recent-imports">Recent imports</a>
              </p>`,
          ),
        );
      },
    );
  };
}

function progress(job: ImportJob): Html {
  if (job.state === 'queued')
    return html`<p id="import-state" role="status">
      Waiting: an earlier import is running. This page reloads every 2 seconds.
    </p>`;
  const elapsed = Math.max(0, (Date.now() - Date.parse(job.startedAt ?? job.queuedAt)) / 1000);
  const rate = elapsed > 0 ? job.rowsRead / elapsed : 0;
  return html`<section id="import-state" role="status">
    <p>Importing… This page reloads every 2 seconds.</p>
    <p><progress max="${job.bytes}" value="${job.bytesRead}"></progress></p>
    <table class="figures">
      <tbody>
        <tr>
          <th scope="row">Rows read</th>
          <td>${count(job.rowsRead)}</td>
        </tr>
        <tr>
          <th scope="row">Bytes read</th>
          <td>
            ${count(job.bytesRead)} of ${count(job.bytes)}
            (${job.bytes ? Math.floor((100 * job.bytesRead) / job.bytes) : 0}%)
          </td>
        </tr>
        <tr>
          <th scope="row">Rate</th>
          <td>${count(Math.round(rate))} rows a second</td>
        </tr>
        <tr>
          <th scope="row">Elapsed</th>
          <td>${elapsed.toFixed(0)} s</td>
        </tr>
      </tbody>
    </table>
  </section>`;
}

function finished(job: ImportJob): Html {
  const s = job.summary;
  if (!s)
    return html`<section class="problem" id="import-state" role="alert">
      <p>${job.error ?? 'The import failed.'}</p>
    </section>`;
  const seconds =
    job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000 : 0;
  return html`<section id="import-state">
    <p class="${s.status === 'rejected' ? 'problem' : ''}"><strong>${VERDICTS[s.status]}</strong>.</p>
    <table class="figures" id="import-summary">
      <tbody>
        <tr>
          <th scope="row">Layout</th>
          <td>${s.layout ?? 'not recognised'}</td>
        </tr>
        <tr>
          <th scope="row">Rows read</th>
          <td>${count(s.read)}</td>
        </tr>
        <tr>
          <th scope="row">Loaded</th>
          <td id="loaded">${count(s.loaded)}</td>
        </tr>
        <tr>
          <th scope="row">Already present</th>
          <td id="duplicates">${count(s.duplicates)}</td>
        </tr>
        <tr>
          <th scope="row">Rejected</th>
          <td id="rejected">${count(s.rejected)}</td>
        </tr>
        <tr>
          <th scope="row">Unresolved names</th>
          <td>
            ${count(s.unresolved.length)} (${count(s.unresolved.reduce((n, u) => n + u.count, 0))} rows)
          </td>
        </tr>
        <tr>
          <th scope="row">Time</th>
          <td>${seconds.toFixed(1)} s</td>
        </tr>
      </tbody>
    </table>
    ${
      s.errorCount
        ? html`<h2>Errors</h2>
            <p>
              ${count(s.errorCount)}
              ${s.errorCount === 1 ? 'error' : 'errors'}${s.errorCount > s.errors.length ? html`; the first ${s.errors.length} are listed` : ''}.
              Fix ${s.errorCount === 1 ? 'it' : 'them'} in the file and import it again.
            </p>
            <table id="import-errors">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Sheet</th>
                  <th>Row</th>
                  <th>Column</th>
                  <th>Value</th>
                  <th>Code</th>
                  <th>What is wrong and how to fix it</th>
                </tr>
              </thead>
              <tbody>
                ${s.errors.map(
                  (e) =>
                    html`<tr>
                      <td>${e.file}</td>
                      <td>${e.sheet ?? ''}</td>
                      <td>${e.row || ''}</td>
                      <td>${e.column ?? ''}</td>
                      <td>${e.value ?? ''}</td>
                      <td><code>${e.code}</code></td>
                      <td>${e.reason}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ''
    }
    ${
      s.warningCount
        ? html`<h2>Warnings</h2>
            <ul>
              ${s.warnings.map(
                (w) =>
                  html`<li>
                    ${w.sheet ? html`sheet ${w.sheet}, ` : ''}${w.row ? html`row ${w.row}` : ''}${w.column ? html`, column ${w.column}` : ''}:
                    ${w.reason}
                  </li>`,
              )}
            </ul>`
        : ''
    }
    ${
      s.unresolved.length
        ? html`<h2>Names that did not resolve</h2>
            <p class="muted">Loaded without a jurisdiction; the state is known.</p>
            <ul>
              ${s.unresolved
                .slice(0, 50)
                .map(
                  (u) =>
                    html`<li>
                      ${u.name}${u.city ? `, ${u.city}` : ''}
                      (${u.state ? u.state.toUpperCase() : 'no state'}): ${count(u.count)} rows,
                      ${u.status}${u.candidates.length ? html` — candidates: ${u.candidates.slice(0, 3).join(', ')}` : ''}
                    </li>`,
                )}
            </ul>`
        : ''
    }
  </section>`;
}
