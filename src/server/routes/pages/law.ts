/** `/law` (instruments by state and layer) and `/law/:id` (every version, clause by clause). */
import type { FastifyPluginAsync } from 'fastify';
import type { CompiledInstrument } from '../../../law/index.ts';
import type { ServerContext } from '../../context.ts';
import { html } from '../../html.ts';
import { page } from '../../layout.ts';
import { groupByStateAndLayer, instrumentVersions } from '../../law-library.ts';
import { HttpProblem } from '../../problem.ts';
import { confidence, instrumentHref, jurisdictionHref, sourceLink, validity } from './parts.ts';

export function lawPages(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    const groups = groupByStateAndLayer(ctx.library);
    const opts = (title: string) => ({ title, nav: 'law' as const, libraryRevision: ctx.library.revision });

    app.get('/law', async (_request, reply) => {
      const body = html`<h1>Law library</h1>
        <p>
          Every instrument the decisions rest on, one file per version, with its validity, its source and how
          sure the reading is. With no rule, a detainer is a request the agency may honour; states set a
          ceiling or a floor; localities may be stricter under a ceiling.
        </p>
        <p class="muted">
          ${ctx.library.instruments.length} instrument versions · revision
          <code>${ctx.library.revision}</code>
        </p>
        ${groups.map(
          (g) =>
            html`<h2 id="state-${g.state || 'us'}">${g.label}</h2>
              ${g.byLayer.map(
                (l) =>
                  html`<h3>${l.layer}</h3>
                    <ul>
                      ${l.instruments.map((versions) => {
                        const last = versions[versions.length - 1]!;
                        return html`<li>
                          <a href="${instrumentHref(last.id)}">${last.title}</a>
                          <span class="muted"
                            >${last.id} ·
                            ${versions.map((v) => html`${validity(v.ref)}`).reduce((a, b) => html`${a}; ${b}`)}</span
                          >
                        </li>`;
                      })}
                    </ul>`,
              )}`,
        )}`;
      return reply.type('text/html; charset=utf-8').send(page(opts('Law library'), body));
    });

    app.get<{ Params: { id: string } }>('/law/:id', async (request, reply) => {
      const versions = instrumentVersions(ctx.library, request.params.id);
      if (versions.length === 0)
        throw new HttpProblem(404, `there is no instrument \`${request.params.id}\` in the law library`);
      const latest = versions[versions.length - 1]!;
      const division = ctx.registry.division(latest.division);
      const body = html`<p><a href="/law">Law library</a></p>
        <h1>${latest.title}</h1>
        <dl class="facts">
          <dt>Instrument</dt>
          <dd><code>${latest.id}</code></dd>
          <dt>Jurisdiction</dt>
          <dd>
            <a href="${jurisdictionHref(latest.division)}">${division?.name ?? latest.division}</a>
            <span class="muted"
              >(${latest.layer} layer${latest.stateRole ? html`, a ${latest.stateRole}` : ''})</span
            >
          </dd>
          <dt>Versions</dt>
          <dd>
            ${versions.map((v) => html`<a href="#v${v.version}">${validity(v.ref)}</a>`).reduce((a, b) => html`${a} · ${b}`)}
          </dd>
        </dl>
        ${[...versions].reverse().map(versionSection)}`;
      return reply.type('text/html; charset=utf-8').send(page(opts(latest.title), body));
    });
  };
}

function versionSection(i: CompiledInstrument) {
  const d = i.data;
  return html`<section id="v${i.version}">
    <h2>Version of ${i.version}</h2>
    <dl class="facts">
      <dt>Valid</dt>
      <dd>${validity(i.ref)}</dd>
      <dt>Confidence</dt>
      <dd>${confidence(i.confidence)}</dd>
      <dt>Source</dt>
      <dd>${sourceLink(d.source)}</dd>
      ${
        d.references?.length
          ? html`<dt>References</dt>
              <dd>${d.references.map((r) => html`${sourceLink(r)}<br />`)}</dd>`
          : ''
      }
      ${
        d.agencyKinds?.length
          ? html`<dt>Agencies</dt>
              <dd>${d.agencyKinds.join(', ')}</dd>`
          : ''
      }
      <dt>File</dt>
      <dd><code>policies/${i.file}</code></dd>
    </dl>
    ${d.notes ? html`<p class="muted">${d.notes}</p>` : ''}
    <table>
      <thead>
        <tr>
          <th>Clause</th>
          <th>Citation</th>
          <th>What it says</th>
          <th>Effect</th>
        </tr>
      </thead>
      <tbody>
        ${i.clauses.map((c) => {
          const raw = d.clauses.find((x) => x.id === c.id);
          const types = raw?.appliesTo?.types;
          return html`<tr id="${i.version}-${c.id}">
            <td><code>${c.id}</code></td>
            <td>${c.citation}</td>
            <td>
              ${c.summary}${types ? html`<br /><span class="muted">requests: ${types.join(', ')}</span>` : ''}${
                c.unless.length ? html`<br /><span class="muted">unless: ${c.unless.join(', ')}</span>` : ''
              }${
                // a provision that starts or ends inside the instrument's validity says when
                c.validFromText !== i.ref.validFrom || c.validToText !== i.ref.validTo
                  ? html`<br /><span class="muted"
                        >in force ${validity({ validFrom: c.validFromText, validTo: c.validToText })}</span
                      >`
                  : ''
              }${c.confidence !== i.confidence ? html`<br />${confidence(c.confidence)}` : ''}${
                c.obligations.length
                  ? html`<ul>
                      ${c.obligations.map((o) => html`<li>duty: ${o.text} <span class="muted">(${o.citation})</span></li>`)}
                    </ul>`
                  : ''
              }${
                c.forbidsCollecting.length
                  ? html`<p class="intake-limit">
                      intake may not collect:
                      ${c.forbidsCollecting.join(', ')}${c.collectingConfidence !== c.confidence ? html` (${confidence(c.collectingConfidence)})` : ''}${c.collectingNote ? html`<br /><span class="muted">${c.collectingNote}</span>` : ''}
                    </p>`
                  : ''
              }
            </td>
            <td>
              ${c.effect ?? html`<span class="muted">${c.obligations.length ? 'duties only' : 'intake only'}</span>`}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}
