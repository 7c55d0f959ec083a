/**
 * Offense lists as data (e.g. Cal. Gov. Code §7282.5(a)(3)(A)–(AE)): parsing of the section
 * strings a reviewer writes, and matching of conviction codes against them.
 */
import type { OffenseList } from './schema.ts';
import type { Confidence, Level } from './vocabulary.ts';

export interface OffenseEntry {
  /** category id within the list, e.g. `A` */
  category: string;
  /** the category only counts convictions of this level (e.g. felony DUI) */
  level: Level | undefined;
}

export interface CompiledOffenseList {
  id: string;
  title: string;
  citation: string;
  confidence: Confidence;
  /** conviction flags that match the list whatever the code */
  flags: readonly string[];
  /** the list entries a conviction code falls under; empty when none */
  match(code: string): readonly OffenseEntry[];
}

const NONE: readonly OffenseEntry[] = Object.freeze([]);
/** `245`, `264.1`, `288a(c)`, and New York's lettered inserts such as `120.04-a` or `265.01-b` */
const SECTION = /^[0-9]+[a-z]*(\.[0-9]+[a-z]*(-[a-z]+)?)?(\([a-z0-9]+\))*$/i;
const CACHE_LIMIT = 10_000;

/** `ca pc §245 (a)(1)` → `CA PC 245(a)(1)`: codes compare in one spelling. */
export function normalizeCode(code: string): string {
  return code.replace(/§/g, ' ').replace(/\s+/g, ' ').replace(/\s+\(/g, '(').trim().toUpperCase();
}

/**
 * Split a statute-style section string into full sections. A part that starts with `(` repeats
 * the previous section with its last subdivision replaced, as statutes write `26100(c),(d)`.
 */
export function parseSections(text: string): { sections: string[]; bad: string[] } {
  const sections: string[] = [];
  const bad: string[] = [];
  let previous: string | null = null;
  for (const raw of text.split(/[,;]/)) {
    const part = raw.trim();
    if (part === '') continue;
    let full = part;
    if (part.startsWith('(')) {
      if (previous === null || !previous.endsWith(')')) {
        bad.push(part);
        continue;
      }
      full = previous.slice(0, previous.lastIndexOf('(')) + part;
    }
    if (!SECTION.test(full)) {
      bad.push(part);
      continue;
    }
    sections.push(full);
    previous = full;
  }
  return { sections, bad };
}

export function compileOffenseList(list: OffenseList): CompiledOffenseList {
  const exact = new Map<string, OffenseEntry[]>();
  const ranges: { prefix: string; from: number; to: number; entry: OffenseEntry }[] = [];
  for (const cat of list.categories) {
    const entry: OffenseEntry = Object.freeze({ category: cat.id, level: cat.level });
    const prefix = normalizeCode(cat.code);
    for (const s of parseSections(cat.sections ?? '').sections) {
      const key = normalizeCode(`${prefix} ${s}`);
      const at = exact.get(key);
      if (at) at.push(entry);
      else exact.set(key, [entry]);
    }
    for (const r of cat.ranges ?? []) ranges.push({ prefix, from: r.from, to: r.to, entry });
  }
  const inchoate = new Set((list.inchoate ?? []).map(normalizeCode));
  const cache = new Map<string, readonly OffenseEntry[]>();

  function lookup(code: string): readonly OffenseEntry[] {
    let key = code;
    // `CA PC 245(a)(1)` falls under a list entry `CA PC 245(a)` or `CA PC 245`
    for (;;) {
      const hit = exact.get(key);
      if (hit) return hit;
      if (!key.endsWith(')')) break;
      key = key.slice(0, key.lastIndexOf('('));
    }
    if (ranges.length > 0) {
      const m = /^(.*) (\d+)/.exec(code);
      if (m) {
        const n = Number(m[2]);
        const found = ranges.filter((r) => r.prefix === m[1] && n >= r.from && n <= r.to).map((r) => r.entry);
        if (found.length > 0) return found;
      }
    }
    return NONE;
  }

  function match(raw: string): readonly OffenseEntry[] {
    const cached = cache.get(raw);
    if (cached) return cached;
    const code = normalizeCode(raw);
    let result = lookup(code);
    if (result === NONE && inchoate.size > 0) {
      // attempt / conspiracy written `CA PC 664/211`: the offense after the slash decides
      const m = /^(.*) ([^ /]+)\/([^ /]+)$/.exec(code);
      if (m && inchoate.has(`${m[1]} ${m[2]}`)) result = lookup(`${m[1]} ${m[3]}`);
    }
    if (cache.size < CACHE_LIMIT) cache.set(raw, result);
    return result;
  }

  return {
    id: list.list,
    title: list.title,
    citation: list.citation,
    confidence: list.confidence,
    flags: list.flags ?? [],
    match,
  };
}
