/**
 * The instrument test cases: every `*.cases.yaml` beside an instrument holds requests with the
 * decision and deciding clauses they must get, and optionally the intake fields the receiving agency
 * may not collect that day. `detainer-ledger policy test` and `npm test` run them.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { DivisionLookup } from '../jurisdictions/types.ts';
import { collectionLimits, forbiddenFields } from './collection.ts';
import { RequestError } from './errors.ts';
import { createEngine, type Engine } from './evaluate.ts';
import { lineOf, type Library } from './load.ts';
import { validateRequest } from './request.ts';
import { CasesFile, schemaIssues, pointerToField } from './schema.ts';
import type { CollectedField } from './vocabulary.ts';

export interface CaseFailure {
  file: string;
  line: number;
  case: string;
  message: string;
}

export interface CaseReport {
  files: number;
  cases: number;
  failures: CaseFailure[];
}

/** Run every case file of the library; a failure names the file, line and case. */
export function runPolicyCases(library: Library, lookup: DivisionLookup, engine?: Engine): CaseReport {
  const eng = engine ?? createEngine(library, lookup);
  const failures: CaseFailure[] = [];
  let cases = 0;
  for (const file of library.caseFiles) {
    const lines = new LineCounter();
    const doc = parseDocument(file.text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      failures.push({
        file: file.path,
        line: lines.linePos(doc.errors[0]!.pos[0]).line,
        case: '',
        message: `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]!.toLowerCase()}`,
      });
      continue;
    }
    const data = doc.toJS() as unknown;
    const issues = schemaIssues(CasesFile, data);
    if (issues.length > 0) {
      for (const i of issues) {
        failures.push({
          file: file.path,
          line: lineOf(doc, lines, i.pointer),
          case: '',
          message: `\`${pointerToField(i.pointer)}\`: ${i.message}`,
        });
      }
      continue;
    }
    const { defaults, cases: list } = data as CasesFile;
    list.forEach((c, idx) => {
      cases++;
      const line = lineOf(doc, lines, `/cases/${idx}`);
      const fail = (message: string) => failures.push({ file: file.path, line, case: c.name, message });
      let result;
      let req;
      try {
        req = validateRequest(merge(defaults?.request, c.request), lookup);
        result = eng.decide(req, { trace: true });
      } catch (e) {
        fail(e instanceof RequestError ? `invalid request: ${e.message}` : String(e));
        return;
      }
      const x = c.expect;
      if (result.decision !== x.decision)
        fail(
          `expected decision \`${x.decision}\`, got \`${result.decision}\` (by ${result.deciding.join(', ') || 'no clause'})`,
        );
      if (!sameSet(result.deciding, x.deciding)) {
        fail(`expected deciding clauses [${x.deciding.join(', ')}], got [${result.deciding.join(', ')}]`);
      }
      if (
        x.obligations &&
        !sameSet(
          result.obligations.map((o) => o.id),
          x.obligations,
        )
      ) {
        fail(
          `expected obligations [${x.obligations.join(', ')}], got [${result.obligations.map((o) => o.id).join(', ')}]`,
        );
      }
      if (x.missingFacts && !sameSet(result.missingFacts, x.missingFacts)) {
        fail(
          `expected missing facts [${x.missingFacts.join(', ')}], got [${result.missingFacts.join(', ')}]`,
        );
      }
      if (x.certain !== undefined && x.certain !== result.certain)
        fail(`expected certain: ${x.certain}, got ${result.certain}`);
      if (x.forbidsCollecting) {
        const got = forbiddenFields(
          collectionLimits(eng, {
            division: req.receiver.division,
            agencyKind: req.receiver.agencyKind,
            date: req.date,
          }),
        );
        const want = Object.entries(x.forbidsCollecting);
        const show = (m: Iterable<[string, readonly string[]]>) =>
          [...m].map(([f, cs]) => `${f} (${cs.join(', ')})`).join('; ') || 'nothing';
        if (
          got.size !== want.length ||
          want.some(([f, cs]) => !sameSet(got.get(f as CollectedField) ?? [], cs))
        )
          fail(`expected intake to forbid ${show(want)}, got ${show(got)}`);
      }
    });
  }
  return { files: library.caseFiles.length, cases, failures };
}

/** The case's request laid over the file's defaults; nested objects merge, lists replace, `null` removes. */
export function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = merge(base[k], v);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
