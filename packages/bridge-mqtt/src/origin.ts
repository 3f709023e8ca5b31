// Owns the origin a bridged message carries as one MQTT 5 user property, and reading it back from untrusted packets.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, extname, resolve } from 'node:path';

/**
 * The one user property a bridged message carries: `<mid> <run> <system>`, its id in decimal,
 * the run of its system (ids restart at 0 with each run), and the system id (the rest of the
 * value, which may hold spaces). One property rather than three: every user property costs
 * mqtt.js a handful of stream writes on one side and a parsed pair on the other.
 */
export const originProperty = 'ocre-origin';

/** Where a bridged message came from. */
export interface MessageOrigin {
  /** The system id. */
  readonly system: string;
  /** The whole property value: unique per (system, run, mid), the key duplicates are found by. */
  readonly key: string;
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

/** A fresh run id, one per bridge runtime: 72 random bits, 12 characters without spaces. */
export function newRunId(): string {
  return randomBytes(9).toString('base64url');
}

/** The origin property's value for message `mid`, given `' <run> <system>'` of this bridge. */
export function originValue(mid: bigint, runAndSystem: string): string {
  return mid.toString() + runAndSystem;
}

/** The largest uint64 in decimal: a 20-digit mid is compared against it. */
const maxMid = 18_446_744_073_709_551_615n;

/**
 * The origin in a packet's user properties: undefined when it carries none (a plain MQTT
 * publisher), `'bad-origin'` when the property is there but malformed (repeated, not
 * `<mid> <run> <system>`, or a mid that is not a uint64 in canonical decimal).
 */
export function readOrigin(
  userProperties: Readonly<Record<string, string | string[]>> | undefined,
): MessageOrigin | OriginProblem | undefined {
  if (userProperties === undefined) return undefined;
  const value = userProperties[originProperty];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return 'bad-origin';
  const midEnd = value.indexOf(' ');
  const runEnd = value.indexOf(' ', midEnd + 1);
  // A mid of 1..20 digits, a non-empty run, a non-empty system.
  if (midEnd < 1 || midEnd > 20 || runEnd < midEnd + 2 || runEnd >= value.length - 1)
    return 'bad-origin';
  if (value.charCodeAt(0) === 0x30 && midEnd > 1) return 'bad-origin'; // a leading zero
  for (let i = 0; i < midEnd; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return 'bad-origin';
  }
  if (midEnd === 20 && BigInt(value.slice(0, midEnd)) > maxMid) return 'bad-origin';
  return { system: value.slice(runEnd + 1), key: value };
}
