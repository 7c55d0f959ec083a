/**
 * `/ask`: the public "what would the law say?" form. A plain HTML form posted to the server, which
 * decides the request under the law in force on its date and shows the decision, the duties and
 * the trace with citations. Nothing is stored.
 */
import type { FastifyPluginAsync } from 'fastify';
import { RequestError, validateRequest, type DecisionResult } from '../../../law/index.ts';
import {
  AGENCY_KINDS,
  AUTHORITIES,
  FORMS,
  INFO_KINDS,
  LEVELS,
  PURPOSES,
  REQUEST_TYPES,
  SENTENCES,
} from '../../../law/vocabulary.ts';
import type { ServerContext } from '../../context.ts';
import { html, type Html } from '../../html.ts';
import { today } from '../../jurisdiction.ts';
import { page } from '../../layout.ts';
import {
  CONVICTION_ROWS,
  FormProblem,
  SUBJECT_FLAG_LABELS,
  many,
  one,
  requestFromForm,
  type FormValues,
} from './ask-form.ts';
import { confidence, instrumentHref, options } from './parts.ts';

export function askPages(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    const show = (values: FormValues, answer: Html) =>
      page(
        { title: 'What would the law say?', nav: 'ask', libraryRevision: ctx.library.revision },
        html`<h1>What would the law say?</h1>
          <p>
            Describe a request ICE sent to a local agency. The answer is worked out from the law library as in
            force on the request's date, with every clause considered and its citation. Nothing you enter is
            stored. This is not legal advice: check each clause against its source.
          </p>
          ${answer} ${form(values)}`,
      );

    app.get<{ Querystring: FormValues }>('/ask', async (request, reply) => {
      // links from a jurisdiction page fill in the receiver and the date
      const q = request.query;
      const values: FormValues = {
        type: 'hold',
        date: today(),
        authority: 'i-200',
        purpose: 'civil-immigration',
        ...pick(q, ['division', 'state', 'agencyKind', 'date', 'type']),
      };
      return reply.type('text/html; charset=utf-8').send(show(values, html``));
    });

    // decides without storing anything: no CSRF token needed, logged in or not
    app.post<{ Body: FormValues }>('/ask', { config: { csrf: false } }, async (request, reply) => {
      const values = (request.body ?? {}) as FormValues;
      let answer: Html;
      let status = 200;
      try {
        const input = requestFromForm(values, ctx.registry);
        const valid = validateRequest(input, ctx.registry);
        answer = result(ctx.engine.decide(valid, { trace: true }), input);
      } catch (e) {
        if (!(e instanceof FormProblem || e instanceof RequestError)) throw e;
        status = 400;
        answer = html`<section class="problem" id="problem" role="alert">
          <h2>The request cannot be decided yet</h2>
          <p>${e.message}</p>
          ${
            e instanceof FormProblem && e.candidates.length
              ? html`<p>It could be:</p>
                  <ul>
                    ${e.candidates.map(
                      (c) =>
                        html`<li>${c.name} <span class="muted">(${c.kind})</span>: <code>${c.id}</code></li>`,
                    )}
                  </ul>
                  <p>Enter one of these ids as the jurisdiction, or the name with its state.</p>`
              : ''
          }
        </section>`;
      }
      return reply.code(status).type('text/html; charset=utf-8').send(show(values, answer));
    });
  };
}

function pick(q: FormValues, keys: string[]): FormValues {
  return Object.fromEntries(
    keys.filter((k) => typeof q[k] === 'string' && q[k] !== '').map((k) => [k, q[k]]),
  );
}

export function result(r: DecisionResult, input: unknown): Html {
  const trace = r.trace ?? [];
  return html`<section id="decision" aria-labelledby="decision-title">
    <h2 id="decision-title">The answer</h2>
    <p>
      Decision:
      <span class="decision ${r.decision}">${r.decision}</span
      >${r.certain ? '' : html` — <em>not certain: a missing fact could change it</em>`}
    </p>
    <p class="muted">As of ${r.asOf}; law library <code>${r.libraryRevision.slice(0, 19)}…</code></p>
    ${r.missingFacts.length ? html`<p>Facts the law needs that the request does not give: ${r.missingFacts.join(', ')}.</p>` : ''}
    <h3>Decided by</h3>
    ${
      r.deciding.length === 0
        ? html`<p class="muted">No clause decides: the federal default applies.</p>`
        : html`<ul>
            ${r.deciding.map((ref) => {
              const t = trace.find((x) => x.clause === ref);
              return html`<li>
                <a href="${instrumentHref(ref, t?.version)}">${t?.citation ?? ref}</a
                >${t ? html`: ${t.summary} (${confidence(t.confidence)})` : ''}
              </li>`;
            })}
          </ul>`
    }
    <h3>Obligations</h3>
    ${
      r.obligations.length === 0
        ? html`<p>None.</p>`
        : html`<ul>
            ${r.obligations.map(
              (o) =>
                html`<li>
                  ${o.text}
                  <span class="muted"
                    >— ${o.citation}
                    (${confidence(o.confidence)})${o.due ? html`; due by ${o.due}` : ''}</span
                  >
                </li>`,
            )}
          </ul>`
    }
    <h3>Every clause considered</h3>
    <table>
      <thead>
        <tr>
          <th>Layer</th>
          <th>Clause</th>
          <th>Citation</th>
          <th>Effect</th>
          <th>Outcome</th>
          <th>Because</th>
        </tr>
      </thead>
      <tbody>
        ${trace.map(
          (t) =>
            html`<tr>
              <td>${t.layer}</td>
              <td>
                <a href="${instrumentHref(t.clause, t.version)}">${t.clause}</a><br /><span class="muted"
                  >${t.version}</span
                >
              </td>
              <td>${t.citation}</td>
              <td>${t.effect ?? '—'}</td>
              <td>${t.outcome}</td>
              <td>${t.because}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <details>
      <summary>The same request for the API (<code>POST /api/v1/decide</code>)</summary>
      <pre>${JSON.stringify(input, null, 2)}</pre>
    </details>
  </section>`;
}

function form(v: FormValues): Html {
  const val = (k: string) => one(v, k);
  const check = (k: string) => (val(k) ? html` checked` : '');
  const authority = new Set(many(v, 'authority'));
  return html`<form method="post" action="/ask#decision">
    <fieldset>
      <legend>The request</legend>
      <label
        >Type
        <select name="type" required>
          ${options(REQUEST_TYPES, val('type'))}
        </select></label
      >
      <label
        >Information asked for (type info)
        <select name="infoKind">
          ${options(INFO_KINDS, val('infoKind'), '—')}
        </select></label
      >
      <label
        >Form
        <select name="form">
          ${options(FORMS, val('form'), '—')}
        </select></label
      >
      <label>Date <input type="date" name="date" value="${val('date')}" required /></label>
      <label
        >Purpose
        <select name="purpose">
          ${options(PURPOSES, val('purpose'), '—')}
        </select></label
      >
      <p>
        Authority presented:
        ${AUTHORITIES.map((a) => html`<label><input type="checkbox" name="authority" value="${a}" ${authority.has(a) ? html` checked` : ''} /> ${a}</label>`)}
      </p>
      <label
        ><input type="checkbox" name="nonPublicArea" value="1" ${check('nonPublicArea')} /> ICE asks to enter
        a non-public area</label
      >
      <label
        ><input
          type="checkbox"
          name="costReimbursementAgreement"
          value="1"
          ${check('costReimbursementAgreement')}
        />
        a written federal cost-reimbursement agreement exists</label
      >
    </fieldset>
    <fieldset>
      <legend>Who received it</legend>
      <label
        >Jurisdiction or agency
        <input
          type="text"
          name="division"
          value="${val('division')}"
          size="40"
          placeholder="Los Angeles County"
          required
      /></label>
      <label
        >State <input type="text" name="state" value="${val('state')}" size="4" placeholder="CA"
      /></label>
      <label
        >Agency kind
        <select name="agencyKind">
          ${options(AGENCY_KINDS, val('agencyKind'), 'the agency that holds the jail')}
        </select></label
      >
    </fieldset>
    <fieldset>
      <legend>The person (facts only, never a name)</legend>
      ${Object.entries(SUBJECT_FLAG_LABELS).map(([k, label]) => html`<label><input type="checkbox" name="${k}" value="1" ${check(k)} /> ${label}</label>`)}
      ${Array.from({ length: CONVICTION_ROWS }, (_, i) => i + 1).map(
        (n) =>
          html`<p>
            Conviction ${n}:
            <label
              >code
              <input
                type="text"
                name="conviction${n}Code"
                value="${val(`conviction${n}Code`)}"
                placeholder="CA PC 245(a)(1)"
            /></label>
            <label
              >level
              <select name="conviction${n}Level">
                ${options(LEVELS, val(`conviction${n}Level`), '—')}
              </select></label
            >
            <label
              >sentence
              <select name="conviction${n}Sentence">
                ${options(SENTENCES, val(`conviction${n}Sentence`), '—')}
              </select></label
            >
            <label
              >date <input type="date" name="conviction${n}Date" value="${val(`conviction${n}Date`)}"
            /></label>
            <label
              ><input
                type="checkbox"
                name="conviction${n}Wobbler"
                value="1"
                ${check(`conviction${n}Wobbler`)}
              />
              wobbler</label
            >
            <label
              ><input
                type="checkbox"
                name="conviction${n}SeriousOrViolent"
                value="1"
                ${check(`conviction${n}SeriousOrViolent`)}
              />
              serious or violent</label
            >
          </p>`,
      )}
      <p>
        Pending charge:
        <label
          >code <input type="text" name="chargeCode" value="${val('chargeCode')}" placeholder="CA PC 211"
        /></label>
        <label
          >level
          <select name="chargeLevel">
            ${options(LEVELS, val('chargeLevel'), '—')}
          </select></label
        >
        <label
          ><input
            type="checkbox"
            name="chargeMagistrateProbableCause"
            value="1"
            ${check('chargeMagistrateProbableCause')}
          />
          a magistrate found probable cause</label
        >
      </p>
    </fieldset>
    <button type="submit">What would the law say?</button>
  </form>`;
}
