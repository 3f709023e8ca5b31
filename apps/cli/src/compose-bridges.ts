// Owns turning a system file's `bridges:` entries into bridge containers: TLS files read, the system id derived from the file.
import { readFileSync } from 'node:fs';
import { defineMqttBridge, systemIdFor } from '@ocre-ts/bridge-mqtt';
import type { ContainerSpec } from '@ocre-ts/actors';
import type { BridgeEntry } from './system-file/bridges.ts';

/**
 * One container per bridge, named `bridge:<name>`. Its system id is the entry's `systemId`, else
 * one derived from the system file's host and path (stable across runs of the same file).
 *
 * @param bridges - validated entries whose `ca`/`cert`/`key`/`outboxFile` paths are absolute
 * @param systemFile - the system file's absolute path
 * @throws Error when a TLS file cannot be read
 */
export function composeBridges(
  bridges: readonly BridgeEntry[],
  systemFile: string,
): ContainerSpec[] {
  return bridges.map((entry) =>
    defineMqttBridge({
      name: entry.name,
      url: entry.mqtt,
      systemId: entry.systemId ?? systemIdFor(systemFile),
      ...(entry.export === undefined ? {} : { export: entry.export }),
      ...(entry.import === undefined ? {} : { import: entry.import }),
      ...(entry.prefix === undefined ? {} : { prefix: entry.prefix }),
      ...(entry.qos === undefined ? {} : { qos: entry.qos }),
      ...(entry.retain === undefined ? {} : { retain: entry.retain }),
      ...(entry.outboxCapacity === undefined ? {} : { outboxCapacity: entry.outboxCapacity }),
      ...(entry.outboxFile === undefined ? {} : { outboxFile: entry.outboxFile }),
      ...(entry.outboxSync === undefined ? {} : { outboxSync: entry.outboxSync }),
      ...(entry.username === undefined ? {} : { username: entry.username }),
      ...(entry.password === undefined ? {} : { password: entry.password }),
      tls: {
        ...(entry.ca === undefined ? {} : { ca: readFileSync(entry.ca) }),
        ...(entry.cert === undefined ? {} : { cert: readFileSync(entry.cert) }),
        ...(entry.key === undefined ? {} : { key: readFileSync(entry.key) }),
      },
    }),
  );
}
