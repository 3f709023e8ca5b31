// Owns probe: recording every message a topic pattern carries, for assertions.
import { readText } from '@ocre-ts/core';
import type { OcreMessage } from '@ocre-ts/core';
import type { OcreSystem } from '../system/ocre-system.ts';

/** What a topic pattern carried, from the moment the probe was made. */
export interface Probe {
  /** The pattern watched, in the system's matching mode. */
  readonly pattern: string;
  /** Every routed message on a matching topic, in order (whether or not anyone subscribed). */
  readonly messages: OcreMessage[];
  /** The payloads as text (a trailing NUL dropped). */
  texts(): string[];
  /** The message ids. */
  mids(): bigint[];
  /** Stop recording. */
  stop(): void;
}

/**
 * Record what `pattern` carries on `system` (through `topic$`).
 *
 * @example
 * const readings = probe(system, 'sensors/temperature');
 * await system.settle();
 * expect(readings.texts()).toEqual(['21.5', '22']);
 */
export function probe(system: OcreSystem, pattern: string): Probe {
  const messages: OcreMessage[] = [];
  const subscription = system.topic$(pattern).subscribe((message) => messages.push(message));
  return {
    pattern,
    messages,
    texts: () => messages.map((message) => readText(message)),
    mids: () => messages.map((message) => message.mid),
    stop: () => subscription.unsubscribe(),
  };
}
