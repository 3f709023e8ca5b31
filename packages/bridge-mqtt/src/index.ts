// Owns the public surface of @ocre-ts/bridge-mqtt: every export is named here.
export { defineMqttBridge } from './define-mqtt-bridge.ts';
export type { MqttBridgeSpec } from './define-mqtt-bridge.ts';
export { resolveBridgeOptions } from './options.ts';
export type {
  BridgeTlsOptions,
  MqttBridgeOptions,
  OutboxSync,
  ResolvedBridgeOptions,
} from './options.ts';
export { bridgeDefaults } from './defaults.ts';
export { importRejectReasons } from './bridge-status.ts';
export type {
  BridgeCounterName,
  BridgeCounters,
  BridgeState,
  BridgeStatus,
  ImportRejectReason,
} from './bridge-status.ts';
export { BridgeError, isBridgeError } from './errors.ts';
export type { BridgeErrorCode } from './errors.ts';
export { systemIdFor, originProperty } from './origin.ts';
export { checkFilters, coveringSubscription, isMqttFilter } from './topic-mapping.ts';
