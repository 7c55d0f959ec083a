import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../jurisdictions/registry.ts';
import { loadLibrary } from './load.ts';
import { runPolicyCases } from './policy-test.ts';

describe('policy library', () => {
  it('loads and compiles within budget', () => {
    const lib = loadLibrary();
    expect(lib.instruments.length).toBeGreaterThan(0);
    expect(lib.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('passes every instrument test case', () => {
    const report = runPolicyCases(loadLibrary(), loadRegistry());
    const failures = report.failures.map((f) => `${f.file}:${f.line} ${f.case}: ${f.message}`);
    expect(failures).toEqual([]);
    expect(report.cases).toBeGreaterThan(20);
  });
});
