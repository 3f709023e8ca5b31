// Owns the public surface of @ocre-ts/actors: every export is named here, and each is documented in the package README.
export { createOcreSystem } from './system/create-ocre-system.ts';
export type { OcreSystem, StopOptions, SystemState, SystemStopped } from './system/ocre-system.ts';
export type {
  MessagingOptions,
  OcreSystemOptions,
  RootSupervisorOptions,
} from './system/system-options.ts';
export { defineContainer } from './container/define-container.ts';
export { defaultHandlerTimeoutMs, defaultStartTimeoutMs } from './defaults.ts';
export type {
  ContainerContext,
  ContainerHandler,
  ContainerOptions,
  TypeScriptContainerDefinition,
} from './container/define-container.ts';
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
  InFlightProgress,
  RuntimeFactory,
  RuntimeFault,
  RuntimeHost,
  RuntimeMessaging,
} from './runtime.ts';
export { realClock, VirtualClock } from './clock.ts';
export type { Clock, TimerHandle } from './clock.ts';
export { SystemError } from './errors.ts';
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
  ContainerGpioEvent,
  ContainerStoppedEvent,
  ContainerUnresponsiveEvent,
  FaultPhase,
  MessageDeadLetteredEvent,
  QueueFullEvent,
  SupervisorEscalatedEvent,
  SystemEvent,
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
export type {
  ContainerCounters,
  ContainerInfo,
  ContainerStatus,
  SystemCounters,
  TopicCounters,
} from './counters.ts';
export type { SystemMetrics } from './streams/metrics.ts';
