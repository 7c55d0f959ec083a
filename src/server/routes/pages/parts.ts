/** Small pieces several pages share: links, dates, confidence marks, clause references. */
import type { ClauseRef, CompiledInstrument, InstrumentRef } from '../../../law/index.ts';
import { html, type Html } from '../../html.ts';

export function jurisdictionHref(id: string, date?: string): string {
  return `/jurisdictions/${encodeURIComponent(id)}${date ? `?date=${encodeURIComponent(date)}` : ''}`;
}

/** `ca-values-act#b-1` or `ca-values-act` → the instrument page, anchored at the clause. */
export function instrumentHref(ref: string, version?: string): string {
  const [id, clause] = ref.split('#');
  const anchor = clause ? `#${version ? `${version}-` : ''}${clause}` : version ? `#v${version}` : '';
  return `/law/${encodeURIComponent(id!)}${anchor}`;
}

export function validity(ref: Pick<InstrumentRef, 'validFrom' | 'validTo'>): Html {
  return html`${ref.validFrom} – ${ref.validTo ?? 'open'}`;
}

export function confidence(c: string): Html {
  return html`<span class="confidence-${c}">${c} confidence</span>`;
}

/** A link to a source URL only when it is a web address: data never makes a `javascript:` link. */
export function sourceLink(source: { title: string; url?: string }): Html {
  return source.url && /^https?:\/\//i.test(source.url)
    ? html`<a href="${source.url}" rel="noopener noreferrer">${source.title}</a>`
    : html`${source.title}`;
}

export function clauseRefs(refs: readonly ClauseRef[]): Html {
  if (refs.length === 0) return html`<span class="muted">none</span>`;
  return html`<ul>
    ${refs.map(
      (c) =>
        html`<li>
          <a href="${instrumentHref(c.clause, c.version)}">${c.clause}</a> — ${c.citation}
          (${confidence(c.confidence)})
        </li>`,
    )}
  </ul>`;
}

export function instrumentTitle(i: CompiledInstrument): Html {
  return html`<a href="${instrumentHref(i.id, i.version)}">${i.title}</a>
    <span class="muted">(${i.id}@${i.version})</span>`;
}

/** `<option>`s for a closed word list, with the current value selected. */
export function options(words: readonly string[], current: string | undefined, blank?: string): Html {
  return html`${blank !== undefined ? html`<option value="" ${current ? '' : html` selected`}>${blank}</option>` : ''}${words.map(
    (w) => html`<option value="${w}" ${w === current ? html` selected` : ''}>${w}</option>`,
  )}`;
}

/** `YYYY-MM-DD` that exists, or undefined. */
export function calendarDate(s: unknown): string | undefined {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : undefined;
}
