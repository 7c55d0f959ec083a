/**
 * Reading the library: `policies/**\/*.yaml` (one instrument version per file) and the offense
 * lists in `policies/offenses/`, validated and compiled once. Every problem is reported with its
 * file, line and field; the library revision is a hash of the files' contents.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { TSchema } from '@sinclair/typebox';
import { compileCondition, type CompiledCondition, type CompileIssue } from './compile.ts';
import { PolicyLoadError, pointerSegments, pointerToField, type PolicyIssue } from './errors.ts';
import { compileOffenseList, parseSections, type CompiledOffenseList } from './offenses.ts';
import { Instrument, OffenseList, schemaIssues, type Obligation } from './schema.ts';
import {
  AGENCY_KINDS,
  COLLECTED_FIELDS,
  LAYERS,
  REQUEST_TYPES,
  dateNumber,
  type CollectedField,
  type Confidence,
  type DecisionValue,
  type Effect,
  type Layer,
  type StateRole,
} from './vocabulary.ts';

export const DEFAULT_POLICY_ROOT = fileURLToPath(new URL('../../policies/', import.meta.url));
export const OPEN_END = 99991231;

/** How an instrument version is named in results: enough to replay a decision. */
export interface InstrumentRef {
  readonly id: string;
  readonly version: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

export interface CompiledObligation {
  /** `<instrument>#<obligation id>` */
  readonly ref: string;
  readonly citation: string;
  readonly text: string;
  readonly confidence: Confidence;
  /** bit set over DECISIONS; 0 = whatever the decision */
  readonly onDecisionMask: number;
  readonly deadline: Obligation['deadline'] | undefined;
}

export interface CompiledClause {
  /** `<instrument>#<clause id>` */
  readonly ref: string;
  readonly id: string;
  readonly instrument: CompiledInstrument;
  readonly layer: Layer;
  readonly layerIndex: number;
  readonly citation: string;
  readonly summary: string;
  readonly confidence: Confidence;
  readonly effect: Effect | null;
  readonly baseline: boolean;
  readonly typesMask: number;
  readonly kindsMask: number;
  readonly validFrom: number;
  readonly validTo: number;
  readonly validFromText: string;
  readonly validToText: string | null;
  readonly when: CompiledCondition | null;
  readonly except: CompiledCondition | null;
  /** full refs of the clauses that override this one when they apply */
  readonly unless: readonly string[];
  readonly preempts: { readonly effect: Effect; readonly layersMask: number } | null;
  readonly obligations: readonly CompiledObligation[];
  /** the plain words shown when the clause applies */
  readonly appliesText: string;
  /** intake fields the clause forbids collecting while in force for the agency (empty: none) */
  readonly forbidsCollecting: readonly CollectedField[];
  /** how sure the reading behind `forbidsCollecting` is, and why */
  readonly collectingConfidence: Confidence;
  readonly collectingNote: string | null;
  /** false for a clause that only limits intake: decisions never consider it */
  readonly decides: boolean;
}

export interface CompiledInstrument {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly division: string;
  readonly layer: Layer;
  readonly layerIndex: number;
  readonly stateRole: StateRole | null;
  readonly validFrom: number;
  readonly validTo: number;
  readonly confidence: Confidence;
  readonly file: string;
  readonly ref: InstrumentRef;
  readonly source: Instrument['source'];
  readonly clauses: CompiledClause[];
  /** the file as written, for `policy show` */
  readonly data: Instrument;
}

export interface Library {
  readonly revision: string;
  readonly root: string | null;
  readonly instruments: readonly CompiledInstrument[];
  readonly byDivision: ReadonlyMap<string, readonly CompiledInstrument[]>;
  readonly lists: ReadonlyMap<string, CompiledOffenseList>;
  /** test-case files beside the instruments, relative paths */
  readonly caseFiles: readonly PolicyFile[];
  /** the instrument and offense-list files the revision hashes: enough to rebuild this library */
  readonly files: readonly PolicyFile[];
  readonly loadMs: number;
}

export interface PolicyFile {
  /** relative to the library root, `/`-separated */
  path: string;
  text: string;
}

/** Read and compile the library under `root` (default: the package's `policies/`). */
export function loadLibrary(options: { root?: string } = {}): Library {
  const t0 = performance.now();
  const root = options.root ?? DEFAULT_POLICY_ROOT;
  const files: PolicyFile[] = [];
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.yaml')) continue;
    files.push({ path: entry.split(sep).join('/'), text: readFileSync(join(root, entry), 'utf8') });
  }
  const lib = buildLibrary(files, root);
  return { ...lib, loadMs: performance.now() - t0 };
}

const DECISION_BITS: Record<DecisionValue, number> = { required: 1, permitted: 2, forbidden: 4, conflict: 8 };
export function decisionBit(d: DecisionValue): number {
  return DECISION_BITS[d];
}
export function typeBit(t: string): number {
  return 1 << (REQUEST_TYPES as readonly string[]).indexOf(t);
}
export function kindBit(k: string): number {
  return 1 << (AGENCY_KINDS as readonly string[]).indexOf(k);
}

interface Parsed {
  file: PolicyFile;
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

/** Compile files already in memory (tests use this); throws `PolicyLoadError` listing every problem. */
export function buildLibrary(all: PolicyFile[], root: string | null = null): Library {
  const t0 = performance.now();
  const files = [...all].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const issues: PolicyIssue[] = [];
  const hash = createHash('sha256');
  const caseFiles: PolicyFile[] = [];
  const sourceFiles: PolicyFile[] = [];
  const listFiles: Parsed[] = [];
  const instrumentFiles: Parsed[] = [];

  for (const file of files) {
    if (file.path.endsWith('.cases.yaml')) {
      caseFiles.push(file);
      continue;
    }
    hash.update(`${file.path}\0${file.text}\0`);
    sourceFiles.push(file);
    const parsed = parse(file, issues);
    if (!parsed) continue;
    (file.path.startsWith('offenses/') ? listFiles : instrumentFiles).push(parsed);
  }

  const lists = new Map<string, CompiledOffenseList>();
  for (const p of listFiles) {
    if (!validate(p, OffenseList, issues)) continue;
    const data = p.data as OffenseList;
    if (lists.has(data.list)) {
      issues.push(issueAt(p, '/list', 'policy.duplicate', `offense list \`${data.list}\` is defined twice`));
      continue;
    }
    data.categories.forEach((cat, i) => {
      const { bad } = parseSections(cat.sections ?? '');
      for (const b of bad) {
        issues.push(
          issueAt(p, `/categories/${i}/sections`, 'policy.section', `cannot read section \`${b}\``),
        );
      }
    });
    lists.set(data.list, compileOffenseList(data));
  }

  const instruments: CompiledInstrument[] = [];
  for (const p of instrumentFiles) {
    if (!validate(p, Instrument, issues)) continue;
    const inst = compileInstrument(p, lists, issues);
    if (inst) instruments.push(inst);
  }
  checkAcrossInstruments(instruments, instrumentFiles, issues);
  if (issues.length > 0) throw new PolicyLoadError(issues);

  const byDivision = new Map<string, CompiledInstrument[]>();
  for (const inst of instruments) {
    const at = byDivision.get(inst.division);
    if (at) at.push(inst);
    else byDivision.set(inst.division, [inst]);
  }
  return {
    revision: `sha256:${hash.digest('hex')}`,
    root,
    instruments,
    byDivision,
    lists,
    caseFiles,
    files: sourceFiles,
    loadMs: performance.now() - t0,
  };
}

function parse(file: PolicyFile, issues: PolicyIssue[]): Parsed | null {
  const lines = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      issues.push({
        code: 'policy.yaml',
        file: file.path,
        line: e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line,
        field: '',
        message: `not valid YAML: ${e.message.split('\n')[0]!.toLowerCase()}`,
      });
    }
    return null;
  }
  return { file, doc, lines, data: doc.toJS() };
}

function validate(p: Parsed, schema: TSchema, issues: PolicyIssue[]): boolean {
  const found = schemaIssues(schema, p.data);
  for (const s of found) {
    const code =
      s.message === 'unknown field'
        ? 'policy.unknown-field'
        : s.message === 'is required'
          ? 'policy.missing-field'
          : 'policy.bad-value';
    issues.push(issueAt(p, s.pointer, code, s.message));
  }
  return found.length === 0;
}

/** The line of the field at `pointer`, or of its nearest ancestor present in the file. */
export function lineOf(doc: Document, lines: LineCounter, pointer: string): number {
  let node: unknown = doc.contents;
  let best: Node | null = (doc.contents as Node | null) ?? null;
  for (const seg of pointerSegments(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === seg);
      if (!pair) break;
      best = (isScalar(pair.key) ? pair.key : (pair.value as Node | null)) ?? best;
      node = pair.value;
      if (node && (node as Node).range && !isScalar(pair.key)) best = node as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      node = item;
      best = item as Node;
    } else break;
  }
  const at = best?.range?.[0];
  return at === undefined ? 0 : lines.linePos(at).line;
}

function issueAt(p: Parsed, pointer: string, code: string, message: string): PolicyIssue {
  return {
    code,
    file: p.file.path,
    line: lineOf(p.doc, p.lines, pointer),
    field: pointerToField(pointer),
    message,
  };
}

function maskOf(words: readonly string[], bit: (w: string) => number): number {
  let m = 0;
  for (const w of words) m |= bit(w);
  return m;
}

function layerMask(layers: readonly string[]): number {
  let m = 0;
  for (const l of layers) m |= 1 << (LAYERS as readonly string[]).indexOf(l);
  return m;
}

function compileInstrument(
  p: Parsed,
  lists: ReadonlyMap<string, CompiledOffenseList>,
  issues: PolicyIssue[],
): CompiledInstrument | null {
  const data = p.data as Instrument;
  const before = issues.length;
  const at = (pointer: string, code: string, message: string) =>
    issues.push(issueAt(p, pointer, code, message));

  const expectedName = `@${data.validFrom}.yaml`;
  if (!p.file.path.endsWith(expectedName)) {
    at(
      '/validFrom',
      'policy.file-name',
      `the file name must end in \`${expectedName}\` (one file per version, named by its start date)`,
    );
  }
  const validTo = data.validTo ?? null;
  if (validTo !== null && validTo < data.validFrom) {
    at('/validTo', 'policy.validity', `\`validTo\` ${validTo} is before \`validFrom\` ${data.validFrom}`);
  }
  if (data.layer === 'state' && !data.stateRole) {
    at(
      '/layer',
      'policy.state-role',
      'a state instrument must say `stateRole: ceiling` or `stateRole: floor`',
    );
  }
  if (data.layer !== 'state' && data.stateRole) {
    at('/stateRole', 'policy.state-role', '`stateRole` belongs on state instruments only');
  }
  const layerIndex = (LAYERS as readonly string[]).indexOf(data.layer);
  const ref: InstrumentRef = Object.freeze({
    id: data.instrument,
    version: data.validFrom,
    validFrom: data.validFrom,
    validTo,
  });
  const clauses: CompiledClause[] = [];
  const inst: CompiledInstrument = {
    id: data.instrument,
    version: data.validFrom,
    title: data.title,
    division: data.division,
    layer: data.layer,
    layerIndex,
    stateRole: data.stateRole ?? null,
    validFrom: dateNumber(data.validFrom),
    validTo: validTo === null ? OPEN_END : dateNumber(validTo),
    confidence: data.confidence,
    file: p.file.path,
    ref,
    source: data.source,
    clauses,
    data,
  };
  const clauseIds = new Set<string>();
  const obligationIds = new Set<string>();
  data.clauses.forEach((c, i) => {
    const base = `/clauses/${i}`;
    if (clauseIds.has(c.id))
      at(`${base}/id`, 'policy.duplicate', `clause id \`${c.id}\` is used twice in this file`);
    clauseIds.add(c.id);
    if (!c.effect && !c.obligations && !c.preempts && !c.forbidsCollecting) {
      at(
        base,
        'policy.empty-clause',
        'a clause needs an `effect`, `obligations`, `preempts` or `forbidsCollecting`',
      );
    }
    const collecting = Array.isArray(c.forbidsCollecting)
      ? { fields: c.forbidsCollecting, confidence: undefined, note: undefined }
      : c.forbidsCollecting;
    const fieldsPointer = `${base}/forbidsCollecting${Array.isArray(c.forbidsCollecting) ? '' : '/fields'}`;
    const forbidsCollecting: CollectedField[] = [];
    (collecting?.fields ?? []).forEach((f, j) => {
      if (!(COLLECTED_FIELDS as readonly string[]).includes(f)) {
        at(
          `${fieldsPointer}/${j}`,
          'policy.intake-field',
          `clause \`${c.id}\`: \`${f}\` is not an intake field; \`forbidsCollecting\` takes ${COLLECTED_FIELDS.join(', ')}`,
        );
      } else if (forbidsCollecting.includes(f as CollectedField)) {
        at(`${fieldsPointer}/${j}`, 'policy.duplicate', `clause \`${c.id}\`: \`${f}\` is listed twice`);
      } else forbidsCollecting.push(f as CollectedField);
    });
    if (c.baseline && c.effect !== 'permit')
      at(`${base}/baseline`, 'policy.baseline', 'a baseline clause must have `effect: permit`');
    if (c.preempts) {
      const bad = c.preempts.layers.filter((l) => (LAYERS as readonly string[]).indexOf(l) <= layerIndex);
      if (bad.length > 0) {
        at(
          `${base}/preempts/layers`,
          'policy.preempts',
          `a clause can pre-empt only layers below its own (\`${data.layer}\`), not ${bad.map((b) => `\`${b}\``).join(', ')}`,
        );
      }
    }
    const cFrom = c.validFrom ?? data.validFrom;
    const cTo = c.validTo === undefined ? validTo : c.validTo;
    if (cFrom < data.validFrom || (validTo !== null && (cTo === null || cTo > validTo))) {
      at(`${base}/validFrom`, 'policy.validity', 'a clause’s validity must lie inside its instrument’s');
    }
    const env = { lists, issues: [] as CompileIssue[] };
    const when = c.when ? compileCondition(c.when, env, `${base}/when`) : null;
    const except = c.except ? compileCondition(c.except, env, `${base}/except`) : null;
    for (const ci of env.issues) at(ci.pointer, ci.code, ci.message);
    const obligations: CompiledObligation[] = (c.obligations ?? []).map((o, j) => {
      if (obligationIds.has(o.id))
        at(
          `${base}/obligations/${j}/id`,
          'policy.duplicate',
          `obligation id \`${o.id}\` is used twice in this file`,
        );
      obligationIds.add(o.id);
      return Object.freeze({
        ref: `${data.instrument}#${o.id}`,
        citation: o.citation,
        text: o.text,
        confidence: o.confidence ?? c.confidence ?? data.confidence,
        onDecisionMask: (o.onDecision ?? []).reduce((m, d) => m | decisionBit(d), 0),
        deadline: o.deadline,
      });
    });
    const kinds = c.appliesTo?.agencyKinds ?? data.agencyKinds;
    let appliesText = when ? `applies: ${when.text}` : 'applies to every such request';
    if (except) appliesText += `; the exception does not hold: ${except.negText}`;
    clauses.push({
      ref: `${data.instrument}#${c.id}`,
      id: c.id,
      instrument: inst,
      layer: data.layer,
      layerIndex,
      citation: c.citation,
      summary: c.summary,
      confidence: c.confidence ?? data.confidence,
      effect: c.effect ?? null,
      baseline: c.baseline === true,
      typesMask: maskOf(c.appliesTo?.types ?? REQUEST_TYPES, typeBit),
      kindsMask: maskOf(kinds ?? AGENCY_KINDS, kindBit),
      validFrom: dateNumber(cFrom),
      validTo: cTo === null ? OPEN_END : dateNumber(cTo),
      validFromText: cFrom,
      validToText: cTo,
      when,
      except,
      unless: (c.unless ?? []).map((u) => (u.includes('#') ? u : `${data.instrument}#${u}`)),
      preempts: c.preempts ? { effect: c.preempts.effect, layersMask: layerMask(c.preempts.layers) } : null,
      obligations,
      appliesText,
      forbidsCollecting,
      collectingConfidence: collecting?.confidence ?? c.confidence ?? data.confidence,
      collectingNote: collecting?.note ?? null,
      decides: c.effect !== undefined || obligations.length > 0 || c.preempts !== undefined,
    });
  });
  return issues.length === before ? inst : null;
}

function checkAcrossInstruments(
  instruments: CompiledInstrument[],
  files: Parsed[],
  issues: PolicyIssue[],
): void {
  const parsedOf = new Map(files.map((p) => [p.file.path, p]));
  const refs = new Set<string>();
  for (const inst of instruments) for (const c of inst.clauses) refs.add(c.ref);
  const versions = new Map<string, CompiledInstrument[]>();
  for (const inst of instruments) {
    const vs = versions.get(inst.id) ?? [];
    vs.push(inst);
    versions.set(inst.id, vs);
  }
  for (const vs of versions.values()) {
    vs.sort((a, b) => a.validFrom - b.validFrom);
    for (let i = 1; i < vs.length; i++) {
      const prev = vs[i - 1]!;
      const cur = vs[i]!;
      if (cur.validFrom <= prev.validTo) {
        const p = parsedOf.get(cur.file)!;
        issues.push(
          issueAt(
            p,
            '/validFrom',
            'policy.overlap',
            `version ${cur.version} of \`${cur.id}\` overlaps version ${prev.version} (${prev.file}); close the earlier one with \`validTo\``,
          ),
        );
      }
      if (cur.division !== prev.division || cur.layer !== prev.layer) {
        const p = parsedOf.get(cur.file)!;
        issues.push(
          issueAt(
            p,
            '/division',
            'policy.version',
            `all versions of \`${cur.id}\` must share division and layer`,
          ),
        );
      }
    }
  }
  // unless links must resolve, and must not loop (a loop has no most-specific clause)
  const edges = new Map<string, string[]>();
  for (const inst of instruments) {
    const p = parsedOf.get(inst.file)!;
    inst.clauses.forEach((c, i) => {
      c.unless.forEach((u, j) => {
        if (!refs.has(u)) {
          issues.push(
            issueAt(
              p,
              `/clauses/${i}/unless/${j}`,
              'policy.unknown-clause',
              `unknown clause \`${u}\` in \`unless\``,
            ),
          );
        }
      });
      edges.set(c.ref, [...(edges.get(c.ref) ?? []), ...c.unless]);
    });
  }
  const state = new Map<string, 1 | 2>();
  const visit = (r: string, path: string[]): void => {
    if (state.get(r) === 2) return;
    if (state.get(r) === 1) {
      const inst = instruments.find((x) => x.clauses.some((c) => c.ref === r))!;
      issues.push({
        code: 'policy.unless-cycle',
        file: inst.file,
        line: 0,
        field: '',
        message: `\`unless\` links loop: ${[...path, r].join(' → ')}`,
      });
      return;
    }
    state.set(r, 1);
    for (const n of edges.get(r) ?? []) visit(n, [...path, r]);
    state.set(r, 2);
  };
  for (const r of edges.keys()) visit(r, []);
}
