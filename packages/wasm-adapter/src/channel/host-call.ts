// Owns answering a worker's blocking host call (a subscribe, or a publish without a shared queue) through the container's facade, as the reply the worker waits for.
import { OcreError } from '@ocre-ts/core';
import type { OcreResult } from '@ocre-ts/core';
import type { RuntimeHost } from '@ocre-ts/actors';
import type { CallReply } from './control-block.ts';
import type { PublishCall, SubscribeCall } from './worker-protocol.ts';

/**
 * Answer a worker's subscribe or publish through the host's facade. A host call that throws
 * fails like any other: -1 to the guest with the reason, never an exception on the main thread
 * (the worker waits for this reply).
 */
export function answerCall(host: RuntimeHost, call: SubscribeCall | PublishCall): CallReply {
  let result: OcreResult<unknown>;
  try {
    if (!host.api.initialized) host.api.ocre_msg_system_init();
    result =
      call.type === 'subscribe'
        ? call.matching === undefined
          ? host.api.subscribe(call.topic, call.handler)
          : host.api.subscribe(call.topic, call.handler, call.matching)
        : host.api.publish(call.topic, call.contentType, call.payload);
  } catch (error) {
    const name = call.type === 'subscribe' ? 'ocre_subscribe_message' : 'ocre_publish_message';
    result = {
      ok: false,
      error: new OcreError(
        'HOST_ERROR',
        `${name}: the host failed to answer: ${error instanceof Error ? error.message : String(error)}`,
      ),
    };
  }
  return result.ok
    ? { status: 0 }
    : { status: -1, code: result.error.code, message: result.error.message };
}
