import { describe, expect, it } from 'vitest';
import { PolicyLoadError, type PolicyIssue } from './errors.ts';
import { FED, instrument, lib } from './test-library.ts';

function issues(files: Record<string, string>): PolicyIssue[] {
  try {
    lib(files);
  } catch (e) {
    if (e instanceof PolicyLoadError) return e.issues;
    throw e;
  }
  return [];
}

const CA = 'ocd-division/country:us/state:ca';

describe('loading the library', () => {
  it('names file, line and field of a bad value', () => {
    const [path, text] = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `  - id: a
    citation: c
    summary: s
    effect: allow
`,
    });
    const [i] = issues({ [path]: text });
    expect(i).toMatchObject({
      file: 'st@2000-01-01.yaml',
      line: 13,
      field: 'clauses[0].effect',
      code: 'policy.bad-value',
    });
    expect(i!.message).toBe('expected one of require, permit, forbid, got `allow`');
  });

  it('names an unknown field and an unknown condition word with their lines', () => {
    const [path, text] = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `  - id: a
    citation: c
    summary: s
    effect: forbid
    when:
      all:
        - authority: judicial-warrant
        - convicted: true
    colour: red
`,
    });
    const found = issues({ [path]: text });
    expect(found.map((i) => [i.line, i.field, i.code]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [17, 'clauses[0].when.all[1].convicted', 'policy.bad-value'],
      [18, 'clauses[0].colour', 'policy.unknown-field'],
    ]);
    expect(found.find((i) => i.line === 17)!.message).toContain('unknown condition `convicted`');
  });

  it('reports an impossible date, an unknown offense list and an unknown unless target', () => {
    const [path, text] = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `  - id: a
    citation: c
    summary: s
    effect: forbid
    unless: [nope]
    when: { convictedOf: { list: no-such-list } }
`,
    });
    const found = issues({ [path]: text });
    expect(found.map((i) => i.code)).toEqual(['policy.unknown-list']);
    const unless = issues({
      [path]: text.replace('    when: { convictedOf: { list: no-such-list } }\n', ''),
    });
    expect(unless[0]).toMatchObject({
      code: 'policy.unknown-clause',
      line: 14,
      field: 'clauses[0].unless[0]',
    });
    expect(found.find((i) => i.code === 'policy.unknown-list')).toMatchObject({
      line: 15,
      field: 'clauses[0].when.convictedOf.list',
    });
    const bad = issues({
      'x@2019-02-30.yaml': text.replace('validFrom: 2000-01-01', 'validFrom: 2019-02-30'),
    });
    expect(bad[0]).toMatchObject({ field: 'validFrom', line: 6 });
    expect(bad[0]!.message).toContain('`2019-02-30`');
  });

  it('rejects overlapping versions, a misnamed file and a state without a role', () => {
    const a = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: '  - { id: a, citation: c, summary: s, effect: forbid }\n',
    });
    const b = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      validFrom: '2010-01-01',
      clauses: '  - { id: a, citation: c, summary: s, effect: forbid }\n',
    });
    expect(issues({ [a[0]]: a[1], [b[0]]: b[1] }).map((i) => i.code)).toEqual(['policy.overlap']);
    expect(issues({ 'wrong.yaml': a[1] }).map((i) => i.code)).toEqual(['policy.file-name']);
    expect(issues({ [a[0]]: a[1].replace('stateRole: ceiling\n', '') }).map((i) => i.code)).toEqual([
      'policy.state-role',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const found = issues({ 'x@2000-01-01.yaml': 'instrument: x\nclauses: [a, b\n' });
    expect(found[0]).toMatchObject({ code: 'policy.yaml', file: 'x@2000-01-01.yaml' });
    expect(found[0]!.line).toBeGreaterThan(0);
  });

  it('names file, line and clause of an unknown field in `forbidsCollecting`', () => {
    const [path, text] = instrument({
      id: 'st',
      division: CA,
      layer: 'state',
      stateRole: 'ceiling',
      clauses: `  - id: a
    citation: c
    summary: s
    effect: forbid
  - id: no-asking
    citation: c
    summary: s
    forbidsCollecting: [citizenship, countryOfBirth]
`,
    });
    const [i, ...rest] = issues({ [path]: text });
    expect(rest).toEqual([]);
    expect(i).toMatchObject({
      file: 'st@2000-01-01.yaml',
      line: 17,
      field: 'clauses[1].forbidsCollecting[1]',
      code: 'policy.intake-field',
    });
    expect(i!.message).toMatch(
      /^clause `no-asking`: `countryOfBirth` is not an intake field; `forbidsCollecting` takes citizenship, subject\.convictions,/,
    );
  });

  it('checks the long form of `forbidsCollecting` too, and lets it stand alone in a clause', () => {
    const clause = (body: string) =>
      instrument({
        id: 'st',
        division: CA,
        layer: 'state',
        stateRole: 'ceiling',
        clauses: `  - id: no-asking
    citation: c
    summary: s
    forbidsCollecting:
${body}`,
      });
    const ok = clause('      fields: [citizenship]\n      confidence: medium\n      note: why\n');
    expect(issues({ [ok[0]]: ok[1] })).toEqual([]);
    const twice = clause('      fields: [citizenship, citizenship]\n');
    expect(issues({ [twice[0]]: twice[1] })).toMatchObject([
      { code: 'policy.duplicate', field: 'clauses[0].forbidsCollecting.fields[1]' },
    ]);
    const unknownKey = clause('      fieldz: [citizenship]\n');
    expect(issues({ [unknownKey[0]]: unknownKey[1] })[0]).toMatchObject({
      code: 'policy.bad-value',
      field: 'clauses[0].forbidsCollecting',
    });
  });

  it('hashes the contents into the revision', () => {
    const a = lib({ 'us/fed@2000-01-01.yaml': FED });
    const b = lib({ 'us/fed@2000-01-01.yaml': `${FED}\n# a comment changes the revision\n` });
    expect(a.revision).not.toBe(b.revision);
    expect(lib({ 'us/fed@2000-01-01.yaml': FED }).revision).toBe(a.revision);
  });
});
