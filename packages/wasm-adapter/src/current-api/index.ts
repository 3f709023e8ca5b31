// Owns the folder surface of the current-API host modules: what the worker runtime wires in.
export { createCurrentImports, cutUtf8, maxSubscriptionTopicBytes } from './current-imports.ts';
export type {
  CurrentApiGuest,
  CurrentImports,
  CurrentImportsOptions,
  CurrentMessagingPort,
  SubscriptionSet,
} from './current-imports.ts';
export { errno } from './errno.ts';
export type { ErrnoResult } from './errno.ts';
export { EventDataTable, defaultMaxOutstandingMessages } from './event-data.ts';
export type { GuestAllocator, PlacedEventData } from './event-data.ts';
export { CurrentEventQueue, defaultEventQueueCapacity, resourceType } from './event-queue.ts';
export type {
  CurrentEvent,
  GpioEvent,
  MessageEvent,
  PushVerdict,
  TimerEvent,
} from './event-queue.ts';
export { TimerTable, defaultMaxTimers, maxTimerIntervalMs } from './timer-table.ts';
export type { TimerTableOptions } from './timer-table.ts';
export { currentImportSignatures } from './signatures.ts';
export { systemDescription, utsnameBytes, writeUtsname } from './utsname.ts';
export type { SystemDescription } from './utsname.ts';
export { createDeviceImports, maxDeviceNameBytes } from './device-imports.ts';
export type { DeviceImportsOptions } from './device-imports.ts';
export {
  SensorBoard,
  loadScriptedSensor,
  parseSensorScript,
  randomSensor,
  rngChannelType,
  scriptedSensor,
} from './sensors.ts';
export type { SensorChannel, SimulatedSensor } from './sensors.ts';
export { VirtualGpio } from './virtual-gpio.ts';
export type { GpioChange, GpioDirection, VirtualGpioOptions } from './virtual-gpio.ts';
export { createCurrentContainerHost } from './container-host.ts';
export type { CurrentContainerHost, CurrentContainerHostOptions } from './container-host.ts';
