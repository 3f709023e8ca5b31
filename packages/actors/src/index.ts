// Owns the public surface of @ocre-ts/actors: every export is named here.
export { createOcreSystem, defaultDrainMs } from './system.ts';
export type {
  ContainerInfo,
  ContainerStatus,
  OcreSystem,
  StopOptions,
  SystemState,
  SystemStopped,
} from './system-api.ts';
export type {
  MessagingOptions,
  OcreSystemOptions,
  RootSupervisorOptions,
} from './system-options.ts';
export { defineContainer, TypeScriptRuntime } from './define-container.ts';
export type {
  ContainerContext,
  ContainerHandler,
  ContainerOptions,
  TypeScriptContainerDefinition,
} from './define-container.ts';
export type {
  BackoffOptions,
  ChildOptions,
  ChildSpec,
  ContainerSpec,
  FaultDirective,
  RestartType,
  SupervisionStrategy,
  SupervisorSpec,
} from './spec.ts';
export type {
  ContainerRuntime,
  RuntimeFactory,
  RuntimeFault,
  RuntimeHost,
  RuntimeMessaging,
} from './runtime.ts';
export { realClock, VirtualClock, flushMicrotasks } from './clock.ts';
export type { Clock, TimerHandle } from './clock.ts';
export { SystemError, describeError, reportToStderr } from './errors.ts';
export type { SystemErrorCode, UnhandledErrorReporter } from './errors.ts';
export type { DeadLetter, DeadLetterReason } from './dead-letter.ts';
export type {
  ContainerExitedEvent,
  ContainerFailedEvent,
  ContainerFaultedEvent,
  ContainerRestartingEvent,
  ContainerRunningEvent,
  ContainerStartingEvent,
  ContainerStatusEvent,
  ContainerStoppedEvent,
  ContainerUnresponsiveEvent,
  FaultPhase,
  MessageDeadLetteredEvent,
  QueueFullEvent,
  SupervisorEscalatedEvent,
  SystemEvent,
  SystemEventInput,
  SystemEventType,
  SystemStoppedEvent,
} from './events.ts';
export type {
  DeliveryInterceptor,
  DeliveryVerdict,
  RestartDecision,
  SystemControls,
  SystemHooks,
  SystemTracer,
} from './system-hooks.ts';
export type { ContainerCounters, SystemCounters, TopicCounters } from './counters.ts';
export type { SystemMetrics } from './metrics.ts';
export { backoffDelay, defaultBackoff, resolveBackoff } from './backoff.ts';
export type { ResolvedBackoff } from './backoff.ts';
export { restartGroup } from './strategy.ts';
export { containerMachine } from './container-machine.ts';
export { supervisorMachine } from './supervisor-machine.ts';
export type { SupervisorEvent } from './supervisor-machine.ts';
export { decideChildDown } from './supervisor-decision.ts';
export type { DecisionChild, SupervisorDecision } from './supervisor-decision.ts';
export type { ChildDown } from './child-link.ts';
export type { ContainerEvent, StopMode } from './container-machine.ts';
