/** The desk's forms: intake of a request (DESIGN §4 fields) and an outcome event. */
import {
  AUTHORITIES,
  FORMS,
  INFO_KINDS,
  LEVELS,
  PURPOSES,
  REQUEST_TYPES,
  SENTENCES,
} from '../../../law/vocabulary.ts';
import type { Actor } from '../../auth/roles.ts';
import { html, type Html } from '../../html.ts';
import { OUTCOME_KINDS } from '../../intake.ts';
import { CONVICTION_ROWS, SUBJECT_FLAG_LABELS, many, one, type FormValues } from '../pages/ask-form.ts';
import { options } from '../pages/parts.ts';

export const csrfField = (actor: Actor): Html =>
  html`<input type="hidden" name="_csrf" value="${actor.csrf ?? ''}" />`;

export function intakeForm(actor: Actor, v: FormValues, agencyName: string | null): Html {
  const val = (k: string) => one(v, k);
  const check = (k: string) => (val(k) ? html` checked` : '');
  const authority = new Set(many(v, 'authority'));
  return html`<form method="post" action="/desk/requests" id="intake">
    ${csrfField(actor)}
    <fieldset>
      <legend>Received by</legend>
      ${
        actor.role === 'admin'
          ? html`<label
              >Agency id
              <input
                type="text"
                name="agency"
                value="${val('agency') || actor.agencyId || ''}"
                size="60"
                required
            /></label>`
          : html`<p>${agencyName ?? actor.agencyId}</p>`
      }
      <label
        >Request id (optional; the form's own number)
        <input type="text" name="id" value="${val('id')}" size="30"
      /></label>
    </fieldset>
    <fieldset>
      <legend>The request</legend>
      <label
        >Type
        <select name="type" required>
          ${options(REQUEST_TYPES, val('type') || 'hold')}
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
      <label>Date issued <input type="date" name="date" value="${val('date')}" required /></label>
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
    </fieldset>
    <fieldset>
      <legend>The person (facts the law turns on; never a name, birth date or file number)</legend>
      ${Object.entries(SUBJECT_FLAG_LABELS).map(([k, label]) => html`<label><input type="checkbox" name="${k}" value="1" ${check(k)} /> ${label}</label>`)}
      ${Array.from({ length: CONVICTION_ROWS }, (_, i) => i + 1).map(
        (n) =>
          html`<p>
            Conviction ${n}:
            <label
              >code <input type="text" name="conviction${n}Code" value="${val(`conviction${n}Code`)}"
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
        <label>code <input type="text" name="chargeCode" value="${val('chargeCode')}" /></label>
        <label
          >level
          <select name="chargeLevel">
            ${options(LEVELS, val('chargeLevel'), '—')}
          </select></label
        >
      </p>
    </fieldset>
    <button type="submit">Record and decide</button>
  </form>`;
}

export function outcomeForm(actor: Actor, requestId: string): Html {
  return html`<form
    method="post"
    action="/desk/requests/${encodeURIComponent(requestId)}/events"
    id="outcome"
  >
    ${csrfField(actor)}
    <label
      >What happened
      <select name="kind" required>
        ${options(OUTCOME_KINDS, 'declined')}
      </select></label
    >
    <label>Date <input type="date" name="date" /></label>
    <label>Receiving facility id (transfers) <input type="text" name="facility" size="50" /></label>
    <label>Reason <input type="text" name="reason" size="40" /></label>
    <button type="submit">Record</button>
  </form>`;
}
