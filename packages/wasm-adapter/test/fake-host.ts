// Owns a RuntimeHost for driving a WasmRuntime directly, without a system: a real shared queue and facade, with every report recorded.
import { OcreError, createOcreFacade, defaultLimits } from '@ocre-ts/core';
import { createSharedQueue } from '@ocre-ts/core/internal';
import type { OcreMessage } from '@ocre-ts/core';
import type { SharedQueue } from '@ocre-ts/core/internal';
import type { RuntimeFault, RuntimeHost } from '@ocre-ts/actors';

/** A host plus what the runtime told it. */
export interface FakeHost {
  readonly host: RuntimeHost;
  readonly queue: SharedQueue;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly faults: RuntimeFault[];
  readonly exits: number[];
  readonly subscriptions: { topic: string; handler: string }[];
  readonly warnings: string[];
  /** Publishes that reached the facade (only without a shared queue). */
  readonly published: { topic: string; payload: string }[];
  rejected: number;
}

/**
 * A host whose facade records subscriptions (refusing them all with `refuseSubscribe`) and
 * whose shared queue the test drains itself; with `sharedQueue: false` there is none, and
 * publishes come through the facade.
 */
export function createFakeHost(
  name: string,
  hasHandler: (handler: string) => boolean,
  options: { refuseSubscribe?: boolean; sharedQueue?: boolean } = {},
): FakeHost {
  const queue = createSharedQueue({ capacity: 64 });
  const fake: FakeHost = {
    queue,
    stdout: [],
    stderr: [],
    faults: [],
    exits: [],
    subscriptions: [],
    warnings: [],
    published: [],
    rejected: 0,
    host: undefined as unknown as RuntimeHost,
  };
  const api = createOcreFacade({
    container: name,
    port: {
      publish: (topic, _contentType, payload) => {
        fake.published.push({ topic, payload: new TextDecoder().decode(payload) });
        return BigInt(fake.published.length - 1);
      },
      subscribe: (topic, handler) => {
        if (options.refuseSubscribe === true)
          return new OcreError('SHUTTING_DOWN', 'refused by the test');
        fake.subscriptions.push({ topic, handler });
        return undefined;
      },
    },
    hasHandler,
    onWarning: (message) => fake.warnings.push(message),
  });
  (fake as { host: RuntimeHost }).host = {
    name,
    api,
    fault: (fault) => fake.faults.push(fault),
    exited: (code: number) => fake.exits.push(code),
    messaging: {
      sharedQueue: options.sharedQueue === false ? undefined : queue.buffer,
      producerId: 7,
      limits: defaultLimits,
      topicMatching: 'exact',
    },
    rejected: (count) => (fake.rejected += count),
    output: (stream, line) => (stream === 'stdout' ? fake.stdout : fake.stderr).push(line),
  };
  return fake;
}

/** A text message as the router would hand it over. */
export function textMessage(mid: bigint, topic: string, text: string): OcreMessage {
  const payload = new TextEncoder().encode(`${text}\0`);
  return { mid, topic, contentType: 'text/plain', payload, payloadLen: payload.length };
}
