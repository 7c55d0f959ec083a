/**
 * Errors of the law library. Each kind has a stable code (documented in policies/README.md),
 * names the place (file and line, or request field) and the offending value.
 */

/** One problem found in a policy file. */
export interface PolicyIssue {
  code: string;
  /** path relative to the library root, e.g. `us/ca/sb54@2018-01-01.yaml` */
  file: string;
  /** 1-based; 0 when the problem is the file as a whole */
  line: number;
  /** field path inside the file, e.g. `clauses[2].when.authority` */
  field: string;
  message: string;
}

export function formatIssue(i: PolicyIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}` : i.file;
  return `${where}: ${i.field ? `\`${i.field}\`: ` : ''}${i.message} [${i.code}]`;
}

/** The library could not be loaded; `issues` lists every problem found, not only the first. */
export class PolicyLoadError extends Error {
  readonly code = 'policy.load';
  constructor(readonly issues: PolicyIssue[]) {
    super(
      issues.length === 1
        ? formatIssue(issues[0]!)
        : `${issues.length} problems in the policy library:\n${issues.map(formatIssue).join('\n')}`,
    );
  }
}

/** A decision request that does not meet the contract of DESIGN §4. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    /** dotted field path, e.g. `subject.convictions[0].date`; empty for the whole request */
    readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** Render a user value for a message: short, in backticks. */
export function showValue(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v === undefined) s = 'undefined';
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  if (s.length > 80) s = `${s.slice(0, 77)}...`;
  return `\`${s}\``;
}

/** `/clauses/3/when` → `clauses[3].when` */
export function pointerToField(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

export function pointerSegments(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(seg) ? Number(seg) : seg;
    });
}
