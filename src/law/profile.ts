/**
 * A division's cooperation profile (DESIGN §4): the probe requests decided against its policy
 * stack on a date, summed up per dimension. The value words are a reading of the decisions only
 * (which probes are permitted, required or forbidden); no rule of law is written here.
 */
import type { Engine } from './evaluate.ts';
import type { InstrumentRef } from './load.ts';
import {
  DIMENSIONS,
  jailHoldingAgencyKind,
  probesFor,
  type Dimension,
  type Probe,
  type ProbeDivision,
} from './probes.ts';
import type { DecisionResult } from './trace.ts';
import type { AgencyKind, Confidence, DecisionValue } from './vocabulary.ts';

export const NATION = 'ocd-division/country:us';

/** a judicial warrant is needed, and a listed offense too (New York City) */
export type JudicialAndListed = 'judicial warrant and listed offense';
export type HoldsValue =
  'required' | 'honoured' | 'listed offenses only' | 'judicial warrant only' | JudicialAndListed | 'never';
export type NotificationValue = 'all' | 'listed offenses only' | JudicialAndListed | 'never';
export type TransferValue =
  'all' | 'listed offenses only' | 'judicial warrant only' | JudicialAndListed | 'never';
export type InformationValue = 'shared' | 'restricted';
export type AccessValue = 'allowed' | 'consent only' | 'refused';
/** a layer forbids what another layer requires or permits: reported, never resolved */
export type Conflicted = 'conflict';

/** A clause that decided a probe, with what a reader needs to check it. */
export interface ClauseRef {
  /** `<instrument>#<clause id>` */
  readonly clause: string;
  readonly instrument: string;
  readonly version: string;
  readonly citation: string;
  readonly confidence: Confidence;
  /** the federal default (a detainer is a request), deciding only where nothing else does */
  readonly baseline: boolean;
}

export interface ProbeAnswer {
  readonly probe: string;
  readonly dimension: Dimension;
  readonly question: string;
  readonly decision: DecisionValue;
  readonly certain: boolean;
  readonly deciding: readonly ClauseRef[];
  /** obligation ids, `<instrument>#<obligation id>` */
  readonly obligations: readonly string[];
  /** the decision the federal baseline alone gives */
  readonly baseline: DecisionValue;
}

export interface DimensionProfile<V extends string> {
  readonly value: V | Conflicted;
  /** some probe is forbidden (or in conflict) that the federal baseline alone permits */
  readonly limits: boolean;
  /** false when a missing fact could change a probe's answer */
  readonly certain: boolean;
  /** the deciding clauses of every probe of the dimension, each once */
  readonly clauses: readonly ClauseRef[];
  /** the duties that come with the probes answered yes (the "with duties" of `allowed`), each once */
  readonly obligations: readonly string[];
  readonly probes: readonly ProbeAnswer[];
}

/** One 287(g) agreement as listed in ICE's participating-agency sheets (the `agreements_287g` rows). */
export interface Agreement287g {
  readonly id: string;
  readonly agencyId: string | null;
  readonly agencyName: string;
  /** as ICE writes it: `Jail Enforcement Model`, `Warrant Service Officer`, `Task Force Model` */
  readonly supportType: string;
  readonly signedDate: string | null;
  /** `participating` or `pending` */
  readonly status: string;
  /** the date of the sheet that listed it */
  readonly sheetDate: string;
  readonly source: string;
}

export type AgreementModel = 'jail' | 'warrant service' | 'task force' | 'other';

export interface AgreementsProfile {
  /** `not loaded` when the caller gave no agreements (no ledger) */
  readonly value: readonly AgreementModel[] | 'none' | 'not loaded';
  /** the agreements in force on the date: participating, signed on or before it */
  readonly agreements: readonly (Agreement287g & { readonly model: AgreementModel })[];
}

export interface Profile {
  readonly division: string;
  readonly date: string;
  readonly agencyKind: AgencyKind;
  readonly libraryRevision: string;
  readonly instruments: readonly InstrumentRef[];
  readonly holds: DimensionProfile<HoldsValue>;
  readonly notification: DimensionProfile<NotificationValue>;
  readonly transfer: DimensionProfile<TransferValue>;
  readonly information: DimensionProfile<InformationValue>;
  readonly access: DimensionProfile<AccessValue>;
  readonly agreements: AgreementsProfile;
  /** some dimension is stricter than the federal baseline (report section III) */
  readonly limitsCooperation: boolean;
}

/** Decide every probe for `division` on `date`, with the federal baseline's answer beside each. */
export function answerProbes(engine: Engine, division: ProbeDivision, date: string): ProbeAnswer[] {
  return probesFor(division, date).map((p) => answer(engine, p));
}

function answer(engine: Engine, probe: Probe): ProbeAnswer {
  const r = engine.decide(probe.request);
  const base =
    probe.request.receiver.division === NATION
      ? r
      : engine.decide(
          { ...probe.request, receiver: { ...probe.request.receiver, division: NATION } },
          { trace: false },
        );
  return {
    probe: probe.id,
    dimension: probe.dimension,
    question: probe.question,
    decision: r.decision,
    certain: r.certain,
    deciding: clauseRefs(engine, r),
    obligations: r.obligations.map((o) => o.id),
    baseline: base.decision,
  };
}

/** The deciding clauses of a result, with citation and confidence from its trace. */
export function clauseRefs(engine: Engine, r: DecisionResult): ClauseRef[] {
  const byRef = new Map((r.trace ?? []).map((t) => [t.clause, t]));
  return r.deciding.map((ref) => {
    const t = byRef.get(ref);
    const [instrument] = ref.split('#') as [string];
    const inst = engine.library.instruments.find(
      (i) => i.id === instrument && r.instruments.some((x) => x.id === i.id && x.version === i.version),
    );
    const clause = inst?.clauses.find((c) => c.ref === ref);
    return {
      clause: ref,
      instrument,
      version: t?.version ?? inst?.version ?? '',
      citation: t?.citation ?? clause?.citation ?? '',
      confidence: t?.confidence ?? clause?.confidence ?? 'low',
      baseline: clause?.baseline ?? false,
    };
  });
}

const ok = (d: DecisionValue): boolean => d === 'permitted' || d === 'required';

function dimension<V extends string>(
  answers: readonly ProbeAnswer[],
  value: (byId: (id: string) => DecisionValue) => V,
): DimensionProfile<V> {
  const byId = (id: string): DecisionValue => {
    const a = answers.find((x) => x.probe === id);
    if (!a) throw new Error(`no probe \`${id}\``);
    return a.decision;
  };
  const seen = new Map<string, ClauseRef>();
  for (const a of answers) for (const c of a.deciding) if (!seen.has(c.clause)) seen.set(c.clause, c);
  return {
    value: answers.some((a) => a.decision === 'conflict') ? 'conflict' : value(byId),
    limits: answers.some((a) => (a.decision === 'forbidden' || a.decision === 'conflict') && ok(a.baseline)),
    certain: answers.every((a) => a.certain),
    clauses: [...seen.values()],
    obligations: [...new Set(answers.filter((a) => ok(a.decision)).flatMap((a) => a.obligations))],
    probes: answers,
  };
}

/** ICE's support-type words, read into the three 287(g) models. */
export function agreementModel(supportType: string): AgreementModel {
  const s = supportType.toLowerCase();
  if (s.includes('jail')) return 'jail';
  if (s.includes('warrant')) return 'warrant service';
  if (s.includes('task')) return 'task force';
  return 'other';
}

function agreementsOn(date: string, agreements: readonly Agreement287g[] | undefined): AgreementsProfile {
  if (agreements === undefined) return { value: 'not loaded', agreements: [] };
  // a sheet lists agreements in force when it was published; one not yet signed on `date` was not
  // one agreement appears in every sheet that lists it: keep it once, from the latest sheet
  const latest = new Map<string, Agreement287g>();
  for (const a of agreements) {
    if (a.status !== 'participating' || (a.signedDate ?? a.sheetDate) > date) continue;
    const k = `${a.agencyId ?? a.agencyName}\0${a.supportType}\0${a.signedDate ?? ''}`;
    const seen = latest.get(k);
    if (!seen || seen.sheetDate < a.sheetDate) latest.set(k, a);
  }
  const inForce = [...latest.values()].map((a) => ({ ...a, model: agreementModel(a.supportType) }));
  const models = [...new Set(inForce.map((a) => a.model))].sort();
  return { value: models.length > 0 ? models : 'none', agreements: inForce };
}

/**
 * The cooperation profile of `division` on `date`. `agreements` are the 287(g) rows that concern
 * the division (the caller reads them from the ledger); without them that dimension is
 * `not loaded`.
 */
export function profileOf(
  engine: Engine,
  division: ProbeDivision,
  date: string,
  agreements?: readonly Agreement287g[],
): Profile {
  const agencyKind = division.agencyKind ?? jailHoldingAgencyKind(division);
  const answers = answerProbes(engine, { ...division, agencyKind }, date);
  const of = (d: Dimension) => answers.filter((a) => a.dimension === d);

  const holds = dimension<HoldsValue>(of('holds'), (d) =>
    d('hold-administrative') === 'required'
      ? 'required'
      : ok(d('hold-administrative'))
        ? 'honoured'
        : ok(d('hold-serious-felony'))
          ? 'listed offenses only'
          : ok(d('hold-judicial'))
            ? 'judicial warrant only'
            : ok(d('hold-judicial-serious-felony'))
              ? 'judicial warrant and listed offense'
              : 'never',
  );
  const notification = dimension<NotificationValue>(of('notification'), (d) =>
    ok(d('notify-no-conviction'))
      ? 'all'
      : ok(d('notify-listed-offense')) || ok(d('notify-serious-felony'))
        ? 'listed offenses only'
        : ok(d('notify-judicial-serious-felony'))
          ? 'judicial warrant and listed offense'
          : 'never',
  );
  const transfer = dimension<TransferValue>(of('transfer'), (d) =>
    ok(d('transfer-administrative'))
      ? 'all'
      : ok(d('transfer-listed-offense'))
        ? 'listed offenses only'
        : ok(d('transfer-judicial'))
          ? 'judicial warrant only'
          : ok(d('transfer-judicial-serious-felony'))
            ? 'judicial warrant and listed offense'
            : 'never',
  );
  const information = dimension<InformationValue>(of('information'), (d) =>
    ok(d('info-status')) && ok(d('info-release-date')) && ok(d('info-criminal-history'))
      ? 'shared'
      : 'restricted',
  );
  // consent only: interviews go ahead, but ICE enters no non-public area without a judicial warrant
  const access = dimension<AccessValue>(of('access'), (d) =>
    !ok(d('interview')) ? 'refused' : ok(d('facility-access-non-public')) ? 'allowed' : 'consent only',
  );
  const dims = [holds, notification, transfer, information, access];
  return {
    division: division.id,
    date,
    agencyKind,
    libraryRevision: engine.library.revision,
    instruments: engine.instrumentsInForce(division.id, date),
    holds,
    notification,
    transfer,
    information,
    access,
    agreements: agreementsOn(date, agreements),
    limitsCooperation: dims.some((x) => x.limits),
  };
}

export { DIMENSIONS };
