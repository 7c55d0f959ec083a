/** `/`: what the ledger holds, where to start. The weekly report pages arrive with the reports. */
import type { FastifyPluginAsync } from 'fastify';
import { listEditions, readEdition } from '../../../reports/editions.ts';
import type { ServerContext } from '../../context.ts';
import { html } from '../../html.ts';
import { page } from '../../layout.ts';
import { stateOfDivision } from '../../law-library.ts';
import { editionHref, headline, latestCurrent, mapAndTrend } from './editions.ts';
import { jurisdictionHref } from './parts.ts';

export function homePage(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    // the divisions that have law of their own in the library: good first jurisdiction pages
    const withLaw = [...new Set(ctx.library.instruments.map((i) => i.division))]
      .filter((d) => stateOfDivision(d) !== '')
      .map((d) => ctx.registry.division(d))
      .filter((d) => d !== undefined)
      .sort((a, b) => a.state.localeCompare(b.state) || a.name.localeCompare(b.name));

    app.get('/', async (request, reply) => {
      const ledger = await ctx.ledgerSummary();
      const current = latestCurrent(await listEditions(ctx.store));
      const latest = current ? await readEdition(ctx.store, current.id) : undefined;
      const body = html`<h1>Detainer Ledger</h1>
        <p>
          ICE asks local agencies to hold, notify, transfer, interview or share information about people in
          custody. Whether an agency may, must or must not comply depends on layered, dated law. This site
          keeps that law as reviewable data with citations and decides requests with a trace of every clause.
        </p>
        <h2>The ledger</h2>
        <p>
          ${ledger.requests.toLocaleString('en-US')} requests
          recorded${ledger.issuedFrom ? html`, issued ${ledger.issuedFrom} to ${ledger.issuedTo}` : ''}.
        </p>
        ${
          latest
            ? html`<h2>The latest report: ${latest.period.from} to ${latest.period.to}</h2>
                ${headline(latest)} ${mapAndTrend(latest, { map: false })}
                <p>
                  <a href="${editionHref(latest.edition!.id)}">Read this edition</a> (with the county map) ·
                  <a href="/editions">every edition</a>
                </p>`
            : html`<p class="muted">No report edition has been published yet.</p>`
        }
        <h2>Start here</h2>
        <ul>
          <li>
            <a href="/law">The law library</a>: federal, state and local instruments, clause by clause, with
            citations.
          </li>
          <li>
            <a href="/ask">What would the law say?</a> Describe a request and see the decision, the duties and
            every clause considered. Nothing is stored.
          </li>
          <li><a href="/api/docs">The API</a> for machine clients.</li>
        </ul>
        <h2>Jurisdictions with law of their own in the library</h2>
        <ul>
          ${withLaw.map(
            (d) =>
              html`<li>
                <a href="${jurisdictionHref(d.id)}">${d.name}</a>
                <span class="muted">${d.state.toUpperCase()}</span>
              </li>`,
          )}
        </ul>`;
      return reply.type('text/html; charset=utf-8').send(
        page(
          {
            title: 'Home',
            nav: 'home',
            ledger,
            libraryRevision: ctx.library.revision,
            actor: request.actor,
          },
          body,
        ),
      );
    });
  };
}
