/** The law library's public API: load the policy files, build an engine, decide requests. */
export { loadLibrary, buildLibrary, DEFAULT_POLICY_ROOT } from './load.ts';
export type { Library, InstrumentRef, CompiledInstrument, CompiledClause, PolicyFile } from './load.ts';
export { createEngine } from './evaluate.ts';
export type { Engine, DecideOptions } from './evaluate.ts';
export { validateRequest, REQUEST_ERRORS } from './request.ts';
export type { DecisionRequest, DecisionRequestInput } from './request.ts';
export { collectionLimits, forbiddenFields } from './collection.ts';
export type { CollectionLimit, CollectionQuery } from './collection.ts';
export { explain } from './trace.ts';
export type { DecisionResult, TraceEntry, ObligationResult, ClauseOutcome } from './trace.ts';
export { PolicyLoadError, RequestError, formatIssue } from './errors.ts';
export type { PolicyIssue } from './errors.ts';
export { runPolicyCases } from './policy-test.ts';
export type { CaseFailure, CaseReport } from './policy-test.ts';
export { probesFor, jailHoldingAgencyKind, DIMENSIONS } from './probes.ts';
export type { Probe, ProbeDivision, Dimension } from './probes.ts';
export { profileOf, answerProbes, agreementModel } from './profile.ts';
export type {
  Profile,
  DimensionProfile,
  ProbeAnswer,
  ClauseRef,
  Agreement287g,
  AgreementModel,
  AgreementsProfile,
} from './profile.ts';
export { diffPolicies } from './diff.ts';
export type { PolicyDiff, ProbeChange, ProbeSide } from './diff.ts';
