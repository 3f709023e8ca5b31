// Owns the public surface of @ocre-ts/actors/testing: test systems on virtual time, seeded fault injection, probes and history checks.
export { createTestSystem } from './test-system.ts';
export type { TestSystem, TestSystemOptions } from './test-system.ts';
export { injectFaults } from './inject-faults.ts';
export type { InjectOptions } from './inject-faults.ts';
export type { FaultInjection, FaultRecord, LiveFault } from './fault-plan.ts';
export { faultKinds, FaultPlanError } from './fault-plan.ts';
export { checkFaultPlan } from './check-fault-plan.ts';
export type { PlanTargets } from './check-fault-plan.ts';
export type {
  CrashSupervisorFault,
  DelayFault,
  DropFault,
  FailStartFault,
  Fault,
  FaultKind,
  FaultPlan,
  FillQueueFault,
  HandlerFault,
  KillFault,
  MessageTrigger,
  SlowFault,
} from './fault-plan.ts';
export { InjectedFault } from './trigger.ts';
export { recordHistory } from './history.ts';
export type { HistoryEntry, HistoryRecorder } from './history.ts';
export { checkHistory } from './check-history.ts';
export type { CheckHistoryOptions, HistoryRule, HistoryViolation } from './check-history.ts';
export { assertHistory, HistoryError } from './assert-history.ts';
export { probe } from './probe.ts';
export type { Probe } from './probe.ts';
export { combineHooks } from './combine-hooks.ts';
export { createRandom, resolveSeed } from './random.ts';
export type { RandomSource } from './random.ts';
