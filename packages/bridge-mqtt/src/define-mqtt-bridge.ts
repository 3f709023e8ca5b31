// Owns defineMqttBridge: a bridge as a container spec, ready to sit in a supervision tree.
import type { ContainerSpec } from '@ocre-ts/actors';
import type { BridgeStatus } from './bridge-status.ts';
import { MqttBridgeRuntime } from './bridge-runtime.ts';
import type { MqttBridgeOptions } from './options.ts';
import { resolveBridgeOptions } from './options.ts';

/** A bridge's container spec, plus a way to read its status from outside the system. */
export interface MqttBridgeSpec extends ContainerSpec {
  /** The bridge's state and counters now. */
  status(): BridgeStatus;
}

/**
 * A bridge to an MQTT 5 broker as a container named `bridge:<name>`: put it among a system's
 * `containers` (or in a nested supervisor) and its supervisor starts, restarts and stops it.
 *
 * @param options - broker, export and import patterns, bounds (see `MqttBridgeOptions`)
 * @throws BridgeError `INVALID_BRIDGE_OPTION` for an option out of range
 * @example
 * const uplink = defineMqttBridge({
 *   name: 'uplink', url: 'mqtt://127.0.0.1:1883', systemId: 'plant-a',
 *   export: ['sensors/#'], import: ['commands/+'],
 * });
 * const system = createOcreSystem({ containers: [sensor, uplink], messaging: { topicMatching: 'wildcard' } });
 */
export function defineMqttBridge(
  options: MqttBridgeOptions,
  spec: Partial<Omit<ContainerSpec, 'kind' | 'name' | 'runtime'>> = {},
): MqttBridgeSpec {
  const resolved = resolveBridgeOptions(options);
  // One runtime for the bridge's whole life: its outbox and counters survive restarts.
  const runtime = new MqttBridgeRuntime(resolved);
  return {
    ...spec,
    kind: 'container',
    name: `bridge:${resolved.name}`,
    runtime: () => runtime,
    status: () => runtime.status(),
  };
}
