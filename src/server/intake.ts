/**
 * What the desk and the API share: record a request received by an agency and decide it (the
 * request row, then a `decided` event with the library revision), append outcome events, and read
 * a request back with its events and derived state. Clerks and supervisors act only for their own
 * agency; the role rules are in `auth/roles.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { Agency } from '../jurisdictions/types.ts';
import {
  RequestError,
  collectionLimits,
  validateRequest,
  type CollectionLimit,
  type DecisionRequestInput,
  type DecisionResult,
} from '../law/index.ts';
import { recordDecision, type StoredDecision } from '../ledger/decisions.ts';
import { deriveState, type RequestState } from '../ledger/outcome.ts';
import type { EventKind, LedgerEvent, RequestRecord } from '../ledger/types.ts';
import { audit } from './auth/audit.ts';
import { mayActFor, type Actor } from './auth/roles.ts';
import type { ServerContext } from './context.ts';
import { today } from './jurisdiction.ts';
import { HttpProblem } from './problem.ts';

/** The outcome events staff record at the desk or through the API. */
export const OUTCOME_KINDS = [
  'declined',
  'notified',
  'held',
  'released',
  'ice-custody',
  'transferred',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function agencyFor(ctx: ServerContext, actor: Actor, asked: string | undefined): Agency {
  const id = asked?.trim() || actor.agencyId;
  if (!id)
    throw new HttpProblem(400, 'this account has no agency: name the agency that received the request', {
      code: 'request.missing-field',
      field: 'agency',
    });
  if (!mayActFor(actor, id, 'write'))
    throw new HttpProblem(
      403,
      `a ${actor.role} records requests for their own agency only (${actor.agencyId ?? 'none'})`,
      {
        code: 'auth.other-agency',
        field: 'agency',
        value: id,
      },
    );
  const agency = ctx.registry.agency(id);
  if (!agency)
    throw new HttpProblem(
      400,
      `no agency \`${id}\` in the registry: \`detainer-ledger jurisdictions search\` finds ids`,
      {
        code: 'request.unknown-agency',
        field: 'agency',
        value: id,
      },
    );
  return agency;
}

export interface Intake {
  /** ledger request id; made up when not given */
  id?: string;
  /** the receiving agency; the user's own when not given */
  agency?: string;
  /** the decision request (DESIGN §4); its receiver is the agency */
  request: Record<string, unknown>;
  /** the person's country of citizenship, only where no law in force for the agency forbids asking */
  citizenship?: string;
}

/**
 * What the law in force today forbids this agency to collect at intake (policy clauses with
 * `forbidsCollecting`): today, because the collecting happens when the request is recorded, not
 * when ICE issued it. The desk leaves these fields out; the API refuses them.
 */
export function intakeLimits(ctx: ServerContext, agency: Agency | undefined): CollectionLimit[] {
  if (!agency) return [];
  return collectionLimits(ctx.engine, {
    division: agency.divisionId,
    agencyKind: agency.kind,
    date: today(),
  });
}

/** The value given for a collected field (`citizenship`, `subject.…`), or undefined if none. */
function givenValue(intake: Intake, field: string): unknown {
  if (field === 'citizenship') return intake.citizenship?.trim() || undefined;
  let v: unknown = intake.request;
  for (const seg of field.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function refuseForbidden(intake: Intake, limits: readonly CollectionLimit[]): void {
  for (const l of limits) {
    const value = givenValue(intake, l.field);
    if (value === undefined) continue;
    throw new HttpProblem(
      400,
      `\`${l.field}\` may not be collected by this agency: ${l.summary} (${l.citation}, clause ${l.clause}). Leave it out.`,
      { code: 'request.forbidden-field', field: l.field, value, clause: l.clause },
    );
  }
}

const CITIZENSHIP = /^[\p{L}][\p{L} .,'()-]{1,59}$/u;

/** As ICE's releases write it (upper case), so reports group the desk's rows with imported ones. */
function citizenshipOf(given: string | undefined): string | null {
  const c = given?.trim().replace(/\s+/g, ' ');
  if (!c) return null;
  if (!CITIZENSHIP.test(c))
    throw new HttpProblem(400, `citizenship \`${c}\`: give a country name of up to 60 letters`, {
      code: 'request.bad-value',
      field: 'citizenship',
      value: c,
    });
  return c.toUpperCase();
}

export interface IntakeResult {
  id: string;
  agency: Agency;
  result: DecisionResult;
}

/** Record a received request for the actor's agency and decide it. */
export async function recordIntake(
  ctx: ServerContext,
  actor: Actor,
  intake: Intake,
  ip: string | null,
): Promise<IntakeResult> {
  const agency = agencyFor(ctx, actor, intake.agency);
  refuseForbidden(intake, intakeLimits(ctx, agency));
  const citizenship = citizenshipOf(intake.citizenship);
  const id = intake.id?.trim() || `desk-${randomUUID()}`;
  if (!ID.test(id))
    throw new HttpProblem(
      400,
      `request id \`${id}\`: use up to 100 letters, digits, dots, dashes, colons or underscores`,
      {
        code: 'request.bad-value',
        field: 'id',
        value: id,
      },
    );
  const input = {
    ...intake.request,
    receiver: { division: agency.divisionId, agencyKind: agency.kind, agency: agency.id },
  } as DecisionRequestInput;
  let valid;
  try {
    valid = validateRequest(input, ctx.registry);
  } catch (e) {
    if (e instanceof RequestError)
      throw new HttpProblem(400, e.message, { code: e.code, field: e.field, value: e.value });
    throw e;
  }
  const result = ctx.engine.decide(valid, { trace: true });
  const subject = valid.subject;
  const record: RequestRecord = {
    id,
    type: valid.type,
    infoKind: valid.infoKind ?? null,
    form: valid.form ?? null,
    issuedDate: valid.date,
    issuer: 'ICE',
    state: agency.state,
    divisionId: agency.divisionId,
    agencyId: agency.id,
    facilityId: null,
    facilityName: null,
    facilityCity: null,
    facilityCode: null,
    resolution: 'agency-id',
    aor: null,
    citizenship,
    criminality: subject?.convictions?.length
      ? 'convicted'
      : subject?.pendingCharges?.length
        ? 'pending-charges'
        : null,
    mostSeriousOffense: null,
    subjectKey: null,
    synthetic: false,
    provenance: { source: 'desk', user: actor.name },
  };
  const session = await ctx.store.beginImport();
  try {
    const [outcome] = await session.addRequests([record]);
    if (outcome?.status !== 'inserted') {
      await session.rollback();
      throw new HttpProblem(
        409,
        `request \`${id}\` is already in the ledger: give another id, or record events on it`,
        {
          code: 'request.duplicate',
          field: 'id',
          value: id,
        },
      );
    }
    await session.commit();
  } catch (e) {
    if (!(e instanceof HttpProblem)) await session.rollback().catch(() => undefined);
    throw e;
  }
  await recordDecision(ctx.store, id, valid, result, { source: 'desk', user: actor.name }, ctx.library, {
    date: new Date().toISOString().slice(0, 10),
  });
  await audit(ctx.store, {
    user: actor.name,
    action: 'request.record',
    target: id,
    ip,
    detail: { agency: agency.id, type: valid.type, decision: result.decision, via: actor.via },
  });
  return { id, agency, result };
}

export interface LedgerRequest {
  id: string;
  type: string;
  issuedDate: string;
  state: string;
  agencyId: string | null;
  divisionId: string | null;
  facilityId: string | null;
  facilityName: string | null;
  citizenship: string | null;
  synthetic: boolean;
  source: string;
  user: string | null;
  /** the agency it was issued to and every agency that held the person after a transfer */
  owners: (string | null)[];
  events: {
    seq: number;
    key: string;
    kind: string;
    date: string;
    facilityId: string | null;
    data: Record<string, unknown>;
    user: string | null;
    recordedAt: string;
  }[];
  state_: RequestState;
}

/** The agencies of the custody chain: the one the request went to, then each receiving one. */
function agenciesInCustody(
  ctx: ServerContext,
  agencyId: string | null,
  chain: readonly (string | null)[],
): (string | null)[] {
  const out = new Set<string | null>([agencyId]);
  for (const f of chain) {
    if (!f) continue;
    const agency = ctx.registry.facility(f)?.agencyId ?? (ctx.registry.agency(f) ? f : undefined);
    if (agency) out.add(agency);
  }
  return [...out];
}

/** A request with its events, if the actor may read it (else 404, so ids of others do not leak). */
export async function readRequest(ctx: ServerContext, actor: Actor, id: string): Promise<LedgerRequest> {
  const r = await ctx.store.db.selectFrom('requests_v').selectAll().where('id', '=', id).executeTakeFirst();
  const notFound = () =>
    new HttpProblem(404, `no request \`${id}\` that you may read`, {
      code: 'request.not-found',
      field: 'id',
      value: id,
    });
  if (!r) throw notFound();
  const rows = await ctx.store.db
    .selectFrom('events_v')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('seq')
    .execute();
  const events = rows.map((e) => ({
    seq: Number(e.seq),
    key: e.key,
    kind: e.kind,
    date: e.date,
    facilityId: e.facility_id,
    data: JSON.parse(e.data) as Record<string, unknown>,
    user: e.user,
    recordedAt: e.recorded_at,
  }));
  const state = deriveState(
    r.facility_id,
    events.map((e) => ({ kind: e.kind as EventKind, date: e.date, facilityId: e.facilityId, data: e.data })),
  );
  const owners = agenciesInCustody(ctx, r.agency_id, state.custodyChain);
  if (!owners.some((a) => mayActFor(actor, a, 'read'))) throw notFound();
  return {
    id: r.id,
    type: r.type,
    issuedDate: r.issued_date,
    state: r.state,
    agencyId: r.agency_id,
    divisionId: r.division_id,
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    citizenship: r.citizenship,
    synthetic: Number(r.synthetic) === 1,
    source: r.source,
    user: r.user,
    events,
    owners,
    state_: state,
  };
}

/** The last decision stored for a request, decided again with its trace for display. */
export function latestDecision(
  ctx: ServerContext,
  req: LedgerRequest,
): { stored: StoredDecision; result: DecisionResult } | null {
  const ev = [...req.events].reverse().find((e) => e.kind === 'decided');
  if (!ev) return null;
  const stored = ev.data as unknown as StoredDecision;
  // the stored request is already valid; decided again under the current library for its trace
  const result = ctx.engine.decide(validateRequest(stored.request, ctx.registry), { trace: true });
  return { stored, result };
}

export interface OutcomeInput {
  kind: string;
  date?: string;
  /** for `transferred`: the receiving facility (or agency) id */
  facility?: string;
  reason?: string;
  /** idempotency key; made up when not given */
  key?: string;
}

/** Append one outcome event (append-only: nothing is ever changed or removed). */
export async function recordOutcome(
  ctx: ServerContext,
  actor: Actor,
  requestId: string,
  o: OutcomeInput,
  ip: string | null,
): Promise<{ seq: number; key: string; created: boolean }> {
  const req = await readRequest(ctx, actor, requestId);
  // the agency it was issued to, and after a transfer the receiving one, record what happened
  if (!req.owners.some((a) => mayActFor(actor, a, 'write')))
    throw new HttpProblem(403, `a ${actor.role} records events for their own agency's requests only`, {
      code: 'auth.other-agency',
      field: 'requestId',
      value: requestId,
    });
  if (!(OUTCOME_KINDS as readonly string[]).includes(o.kind))
    throw new HttpProblem(400, `event kind \`${o.kind}\`: use one of ${OUTCOME_KINDS.join(', ')}`, {
      code: 'request.bad-value',
      field: 'kind',
      value: o.kind,
    });
  const date = o.date?.trim() || new Date().toISOString().slice(0, 10);
  if (!ISO_DAY.test(date) || Number.isNaN(Date.parse(date)))
    throw new HttpProblem(400, `date \`${date}\`: use YYYY-MM-DD`, {
      code: 'request.bad-value',
      field: 'date',
      value: date,
    });
  if (date < req.issuedDate)
    throw new HttpProblem(400, `date ${date} is before the request was issued (${req.issuedDate})`, {
      code: 'request.bad-value',
      field: 'date',
      value: date,
    });
  let facilityId: string | null = null;
  if (o.kind === 'transferred') {
    const f = o.facility?.trim();
    if (!f)
      throw new HttpProblem(400, 'a transfer names the facility that receives custody (its registry id)', {
        code: 'request.missing-field',
        field: 'facility',
      });
    if (!ctx.registry.facility(f) && !ctx.registry.agency(f))
      throw new HttpProblem(400, `no facility or agency \`${f}\` in the registry`, {
        code: 'request.unknown-facility',
        field: 'facility',
        value: f,
      });
    facilityId = f;
  }
  const data: Record<string, unknown> = {};
  if (o.reason?.trim()) data.reason = o.reason.trim();
  // recorded by the agency itself: section IV counts it as confirmed by the agency
  if (o.kind === 'declined') data.reportedBy = 'agency';
  const key = o.key?.trim() || `desk-${randomUUID()}`;
  if (!ID.test(key))
    throw new HttpProblem(
      400,
      `event key \`${key}\`: use up to 100 letters, digits, dots, dashes, colons or underscores`,
      {
        code: 'request.bad-value',
        field: 'key',
        value: key,
      },
    );
  const event: LedgerEvent = {
    key,
    requestId,
    kind: o.kind as OutcomeKind,
    date,
    facilityId,
    data,
    provenance: { source: 'desk', user: actor.name },
  };
  const stored = await ctx.store.appendEvents([event]);
  await audit(ctx.store, {
    user: actor.name,
    action: 'event.record',
    target: requestId,
    ip,
    detail: { kind: o.kind, date, key, ...(facilityId ? { facility: facilityId } : {}), via: actor.via },
  });
  const s = stored[0];
  return { seq: s?.seq ?? -1, key, created: s !== undefined };
}
