// Owns the origin a bridged message carries as MQTT 5 user properties, and reading it back from untrusted packets.
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, extname, resolve } from 'node:path';

/** User property naming the system a message was first published in. */
export const originProperty = 'ocre-origin';
/** User property naming that system's run (one per bridge process start): ids restart at 0 with each run. */
export const runProperty = 'ocre-run';
/** User property holding the message's id (`mid`) in its origin system, in decimal. */
export const midProperty = 'ocre-mid';

/** Where a bridged message came from. */
export interface MessageOrigin {
  /** The system id. */
  readonly system: string;
  /** The run of that system. */
  readonly run: string;
  /** The message id there, decimal. */
  readonly mid: string;
}

/** Why an origin read from the broker was refused. */
export type OriginProblem = 'bad-origin';

/**
 * A system id that is stable for one system file on one host: `<host>:<file name>-<hash of its
 * absolute path>`. Two hosts running copies of the same file get different ids.
 *
 * @example
 * systemIdFor('/etc/ocre/system-a.yaml'); // 'edge-7:system-a-3f9c0d12'
 */
export function systemIdFor(systemFile: string): string {
  const path = resolve(systemFile);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return `${hostname()}:${basename(path, extname(path))}-${hash}`;
}

/** A fresh run id, one per bridge runtime. */
export function newRunId(): string {
  return randomUUID();
}

const decimal = /^(0|[1-9][0-9]{0,19})$/;

/**
 * The origin in a packet's user properties: undefined when it carries none (a plain MQTT
 * publisher), `'bad-origin'` when the properties are there but malformed (a repeated property,
 * an empty system id, a mid that is not a uint64 in decimal).
 */
export function readOrigin(
  userProperties: Readonly<Record<string, string | string[]>> | undefined,
): MessageOrigin | OriginProblem | undefined {
  if (userProperties === undefined) return undefined;
  const system = userProperties[originProperty];
  const run = userProperties[runProperty];
  const mid = userProperties[midProperty];
  if (system === undefined && run === undefined && mid === undefined) return undefined;
  if (typeof system !== 'string' || typeof run !== 'string' || typeof mid !== 'string')
    return 'bad-origin';
  if (system.length === 0 || run.length === 0 || !decimal.test(mid) || BigInt(mid) >= 2n ** 64n)
    return 'bad-origin';
  return { system, run, mid };
}
