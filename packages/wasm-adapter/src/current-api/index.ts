// Owns the folder surface of the current-API host modules: what the worker runtime wires in.
export { createCurrentImports } from './current-imports.ts';
export type { CurrentApiGuest, CurrentImportsOptions } from './current-imports.ts';
export { maxSubscriptionTopicBytes } from './messaging-imports.ts';
export type { CurrentMessagingPort } from './messaging-imports.ts';
export { errno } from './errno.ts';
export type { GuestAllocator } from './event-data.ts';
export { CurrentEventQueue, resourceType } from './event-queue.ts';
export type { CurrentEvent, MessageEvent } from './event-queue.ts';
export { TimerTable } from './timer-table.ts';
export { utsnameBytes } from './utsname.ts';
export { createDeviceImports } from './device-imports.ts';
export {
  SensorBoard,
  loadScriptedSensor,
  parseSensorScript,
  randomSensor,
  rngChannelType,
  scriptedSensor,
} from './sensors.ts';
export { VirtualGpio } from './virtual-gpio.ts';
export type { GpioChange } from './virtual-gpio.ts';
export { createCurrentContainerHost } from './container-host.ts';
