/**
 * The desk's forms: intake of a request (DESIGN §4 fields) and an outcome event. The intake form
 * offers a fact about the person only where no law in force for the agency forbids collecting it.
 */
import type { CollectionLimit } from '../../../law/index.ts';
import {
  AUTHORITIES,
  FORMS,
  INFO_KINDS,
  LEVELS,
  PURPOSES,
  REQUEST_TYPES,
  SENTENCES,
  type CollectedField,
} from '../../../law/vocabulary.ts';
import type { Actor } from '../../auth/roles.ts';
import { html, type Html } from '../../html.ts';
import { OUTCOME_KINDS } from '../../intake.ts';
import { CONVICTION_ROWS, SUBJECT_FLAG_LABELS, many, one, type FormValues } from '../pages/ask-form.ts';
import { options } from '../pages/parts.ts';

export const csrfField = (actor: Actor): Html =>
  html`<input type="hidden" name="_csrf" value="${actor.csrf ?? ''}" />`;

/** What went wrong, shown above the form it came from. */
export const problemNote = (message: string): Html =>
  html`<section class="problem" role="alert"><p>${message}</p></section>`;

/** How the form names each collected field in its "not asked" note. */
const FIELD_LABELS: Record<CollectedField, string> = {
  citizenship: 'country of citizenship',
  'subject.convictions': 'convictions',
  'subject.pendingCharges': 'pending charges',
  'subject.juvenile': 'juvenile',
  'subject.sexArsonRegistrant': 'sex or arson registration',
  'subject.outstandingFederalFelonyWarrant': 'outstanding federal felony warrant',
  'subject.priorRemoval': 'prior removal',
  'subject.terroristScreeningMatch': 'terrorist screening match',
  'subject.proofOfLawfulStatus': 'proof of lawful status',
};

/** One note per forbidding clause: which fields it keeps off the form, and why. */
function notAsked(limits: readonly CollectionLimit[]): Html | '' {
  const byClause = new Map<string, { limit: CollectionLimit; fields: string[] }>();
  for (const l of limits) {
    const at = byClause.get(l.clause) ?? { limit: l, fields: [] };
    at.fields.push(FIELD_LABELS[l.field]);
    byClause.set(l.clause, at);
  }
  if (byClause.size === 0) return '';
  return html`${[...byClause.values()].map(
    ({ limit, fields }) =>
      html`<p class="muted not-asked" data-clause="${limit.clause}">
        Not asked (${fields.join(', ')}): ${limit.summary}
        (${limit.citation}${limit.confidence === 'high' ? '' : html`; ${limit.confidence} confidence`})
      </p>`,
  )}`;
}

export function intakeForm(
  actor: Actor,
  v: FormValues,
  agencyName: string | null,
  limits: readonly CollectionLimit[] = [],
): Html {
  const val = (k: string) => one(v, k);
  const check = (k: string) => (val(k) ? html` checked` : '');
  const authority = new Set(many(v, 'authority'));
  const forbidden = new Set<string>(limits.map((l) => l.field));
  const asks = (field: CollectedField) => !forbidden.has(field);
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
      ${notAsked(limits)}
      ${Object.entries(SUBJECT_FLAG_LABELS)
        .filter(([k]) => asks(`subject.${k}` as CollectedField))
        .map(
          ([k, label]) =>
            html`<label><input type="checkbox" name="${k}" value="1" ${check(k)} /> ${label}</label>`,
        )}
      ${
        asks('citizenship')
          ? html`<label
              >Country of citizenship (optional)
              <input type="text" name="citizenship" value="${val('citizenship')}" maxlength="60"
            /></label>`
          : ''
      }
      ${Array.from({ length: asks('subject.convictions') ? CONVICTION_ROWS : 0 }, (_, i) => i + 1).map(
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
      ${asks('subject.pendingCharges') ? pendingCharge(val) : ''}
    </fieldset>
    <button type="submit">Record and decide</button>
  </form>`;
}

function pendingCharge(val: (k: string) => string): Html {
  return html`<p>
    Pending charge:
    <label>code <input type="text" name="chargeCode" value="${val('chargeCode')}" /></label>
    <label
      >level
      <select name="chargeLevel">
        ${options(LEVELS, val('chargeLevel'), '—')}
      </select></label
    >
  </p>`;
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
