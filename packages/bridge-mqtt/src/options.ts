// Owns the options of defineMqttBridge and their validation into a resolved form whose errors name the option.
import { resolve } from 'node:path';
import type { Clock } from '@ocre-ts/actors';
import { realClock } from '@ocre-ts/actors';
import { bridgeDefaults, maxBridgeBound } from './defaults.ts';
import { BridgeError } from './errors.ts';
import { checkFilters, isMqttTopicName } from './topic-mapping.ts';

/** TLS material for `mqtts://` (file contents, not paths: the CLI reads the files). */
export interface BridgeTlsOptions {
  /** CA certificate(s) the broker's certificate must chain to. */
  readonly ca?: string | Buffer;
  /** Client certificate, for brokers that authenticate clients by certificate. */
  readonly cert?: string | Buffer;
  /** The client certificate's private key. */
  readonly key?: string | Buffer;
}

/**
 * When the outbox file is flushed to the disk: `'none'` (the operating system writes it when it
 * likes) survives a process kill; `'batch'` (an fsync per batch) survives a power cut too.
 */
export type OutboxSync = 'none' | 'batch';

/** Options of {@link defineMqttBridge}; every bound has a default in `bridgeDefaults`. */
export interface MqttBridgeOptions {
  /** The bridge's name; its container is `bridge:<name>` and imported messages are published by it. */
  readonly name: string;
  /** Broker URL: `mqtt://host:port` or `mqtts://host:port`. */
  readonly url: string;
  /** This system's id, sent with every export and checked on every import (see `systemIdFor`). */
  readonly systemId: string;
  /** Local topic patterns (MQTT filters) sent to the broker. */
  readonly export?: readonly string[];
  /** Local topic patterns (MQTT filters) brought in from the broker. */
  readonly import?: readonly string[];
  /** Broker topic = prefix + local topic, both ways. Default `ocre/`. */
  readonly prefix?: string;
  /** QoS of exports and import subscriptions, 0 or 1. Default 1. */
  readonly qos?: 0 | 1;
  /** Publish exports retained, so a subscriber joining later gets each topic's last value. Default false. */
  readonly retain?: boolean;
  /** Exports held while the broker is away or unacknowledged. Default 10000. */
  readonly outboxCapacity?: number;
  /**
   * Journal the outbox to this file (created if missing; a lock `<file>.lock` beside it), so
   * exports not yet acknowledged survive a process that ends: they are sent again, with their
   * original origin, after the next start. Default none: the outbox lives in memory.
   */
  readonly outboxFile?: string;
  /** With `outboxFile`: `'none'` (default) survives a process kill, `'batch'` (fsync per batch) a power cut too. */
  readonly outboxSync?: OutboxSync;
  /** Recent (origin, run, mid) keys remembered to drop redeliveries. Default 10000. */
  readonly dedupeWindow?: number;
  /** MQTT 5 receive maximum: unacknowledged QoS 1 messages the broker may send us. Default 100. */
  readonly receiveMaximum?: number;
  /** QoS 1 exports in flight at once (also capped by the broker's receive maximum). Default 100. */
  readonly maxInflight?: number;
  /** MQTT client id. Default `ocre-<systemId>-<name>` with characters outside `[A-Za-z0-9_.-]` as `_`. */
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: BridgeTlsOptions;
  /** Reconnect backoff. Defaults 100 ms doubling to 5000 ms, jitter 0.2. */
  readonly reconnect?: {
    readonly minMs?: number;
    readonly maxMs?: number;
    readonly jitter?: number;
  };
  /** How long the broker keeps our session while we are away. Default 3600 s. */
  readonly sessionExpirySeconds?: number;
  /** Timers for reconnects and retries. Default the real clock. */
  readonly clock?: Clock;
  /** Random source for the reconnect jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedBridgeOptions {
  readonly name: string;
  readonly url: string;
  readonly systemId: string;
  readonly export: readonly string[];
  readonly import: readonly string[];
  readonly prefix: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly outboxCapacity: number;
  /** An absolute path, or undefined for an outbox in memory only. */
  readonly outboxFile: string | undefined;
  readonly outboxSync: OutboxSync;
  readonly dedupeWindow: number;
  readonly receiveMaximum: number;
  readonly maxInflight: number;
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: BridgeTlsOptions;
  readonly reconnect: { readonly minMs: number; readonly maxMs: number; readonly jitter: number };
  readonly sessionExpirySeconds: number;
  readonly clock: Clock;
  readonly random: () => number;
}

/**
 * Validate and fill in the options.
 *
 * @throws BridgeError `INVALID_BRIDGE_OPTION` naming the option, what was expected and what was given
 */
export function resolveBridgeOptions(options: MqttBridgeOptions): ResolvedBridgeOptions {
  const text = (key: string, value: unknown): string => {
    if (typeof value !== 'string' || value.length === 0)
      throw invalid(key, 'a non-empty string', value);
    return value;
  };
  const count = (key: string, value: number | undefined, fallback: number, min = 1): number => {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < min || n > maxBridgeBound)
      throw invalid(key, `an integer from ${min} to ${maxBridgeBound}`, value);
    return n;
  };
  const name = text('name', options.name);
  const url = text('url', options.url);
  if (!/^mqtts?:\/\//.test(url)) throw invalid('url', 'an mqtt:// or mqtts:// URL', url);
  const systemId = text('systemId', options.systemId);
  const exports = options.export ?? [];
  const imports = options.import ?? [];
  checkFilters('export', exports);
  checkFilters('import', imports);
  const prefix = options.prefix ?? bridgeDefaults.prefix;
  if (typeof prefix !== 'string' || !isMqttTopicName(prefix))
    throw invalid('prefix', 'a string without "+", "#" or NUL (may be empty)', prefix);
  const qos = options.qos ?? bridgeDefaults.qos;
  if (qos !== 0 && qos !== 1) throw invalid('qos', '0 or 1', qos);
  const minMs = count('reconnect.minMs', options.reconnect?.minMs, bridgeDefaults.reconnectMinMs);
  const maxMs = count(
    'reconnect.maxMs',
    options.reconnect?.maxMs,
    Math.max(bridgeDefaults.reconnectMaxMs, minMs),
    minMs,
  );
  const { outboxFile } = options;
  if (outboxFile !== undefined && (typeof outboxFile !== 'string' || outboxFile.length === 0))
    throw invalid('outboxFile', 'a file path', outboxFile);
  const outboxSync = options.outboxSync ?? bridgeDefaults.outboxSync;
  if (outboxSync !== 'none' && outboxSync !== 'batch')
    throw invalid('outboxSync', '"none" or "batch"', outboxSync);
  const jitter = options.reconnect?.jitter ?? bridgeDefaults.reconnectJitter;
  if (!(jitter >= 0 && jitter <= 1))
    throw invalid('reconnect.jitter', 'a number from 0 to 1', jitter);
  return {
    name,
    url,
    systemId,
    export: [...exports],
    import: [...imports],
    prefix,
    qos,
    retain: options.retain ?? false,
    outboxCapacity: count('outboxCapacity', options.outboxCapacity, bridgeDefaults.outboxCapacity),
    outboxFile: outboxFile === undefined ? undefined : resolve(outboxFile),
    outboxSync,
    dedupeWindow: count('dedupeWindow', options.dedupeWindow, bridgeDefaults.dedupeWindow),
    receiveMaximum: count('receiveMaximum', options.receiveMaximum, bridgeDefaults.receiveMaximum),
    maxInflight: count('maxInflight', options.maxInflight, bridgeDefaults.maxInflight),
    clientId: options.clientId ?? `ocre-${systemId}-${name}`.replace(/[^A-Za-z0-9_.-]/g, '_'),
    username: options.username,
    password: options.password,
    tls: options.tls ?? {},
    reconnect: { minMs, maxMs, jitter },
    sessionExpirySeconds: count(
      'sessionExpirySeconds',
      options.sessionExpirySeconds,
      bridgeDefaults.sessionExpirySeconds,
      0,
    ),
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
  };
}

function invalid(key: string, expected: string, got: unknown): BridgeError {
  return new BridgeError(
    'INVALID_BRIDGE_OPTION',
    `Bridge option ${key}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}.`,
  );
}
