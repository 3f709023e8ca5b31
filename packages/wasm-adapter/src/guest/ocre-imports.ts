// Owns the env.ocre_* imports of a guest: each reads its pointer arguments through GuestMemory, calls the worker-side core facade and returns exactly 0 or -1.
import { OcreError, createOcreFacade } from '@ocre-ts/core';
import type { OcreFacade, OcreLimits } from '@ocre-ts/core';
import { createCallErrorReporter } from './call-errors.ts';
import type { GuestMemory, StringField } from './guest-memory.ts';
import type { WorkerMessagingPort } from './worker-port.ts';
import type { WorkerReport } from '../channel/worker-protocol.ts';

/** Handler names are export names; this bounds how far the host scans for their NUL. */
const maxHandlerNameBytes = 1024;

/** What the imports need from their instance. */
export interface OcreImportsOptions {
  readonly name: string;
  readonly generation: number;
  readonly limits: OcreLimits;
  readonly port: WorkerMessagingPort;
  readonly handlers: readonly string[];
  /** The guest's memory, once instantiated. */
  readonly memory: () => GuestMemory;
  /** `ocre_sleep`: yields to deliveries; may throw to unwind the guest. */
  readonly sleep: (milliseconds: number) => number;
  readonly post: (report: WorkerReport) => void;
}

/** The `env` module of a guest's imports. */
export interface OcreImports {
  readonly ocre_msg_system_init: () => void;
  readonly ocre_publish_message: (
    topic: number,
    type: number,
    payload: number,
    len: number,
  ) => number;
  readonly ocre_subscribe_message: (topic: number, handler: number) => number;
  readonly ocre_sleep: (milliseconds: number) => number;
}

/**
 * Make the `env.ocre_*` imports over a fresh worker-side facade. A bad argument (NULL, a pointer
 * outside memory, an unterminated or non-UTF-8 string, a bad length) returns -1 with a typed
 * reason, which goes to the container's stderr; no call ever throws into the guest, except
 * `ocre_sleep` unwinding an instance the host has ended.
 */
export function createOcreImports(options: OcreImportsOptions): OcreImports {
  const { limits, port, post, generation } = options;
  const handlers = new Set(options.handlers);
  const facade: OcreFacade = createOcreFacade({
    container: options.name,
    port,
    limits,
    hasHandler: (name) => handlers.has(name),
    // The main-side facade warns about a second init, through the system's warning hook.
  });
  const fields = stringFields(limits);
  const reportCallError = createCallErrorReporter(generation, post);

  const report = (error: OcreError | undefined): void => {
    if (error === undefined || error.code === 'QUEUE_FULL') return;
    reportCallError(error.code, error.message);
  };
  const fail = (error: OcreError): -1 => {
    report(error);
    return -1;
  };
  const guard = (call: string, body: () => number): number => {
    try {
      return body();
    } catch (error) {
      // A host bug must not become a guest trap: the call fails like any other.
      return fail(
        new OcreError('INVALID_OPTION', `${call}: internal host error: ${String(error)}`),
      );
    }
  };

  return {
    ocre_msg_system_init() {
      facade.ocre_msg_system_init();
      post({ type: 'init', generation });
    },
    ocre_publish_message(topicPointer, typePointer, payloadPointer, payloadLength) {
      return guard('ocre_publish_message', () => {
        if (!facade.initialized) return status(facade.ocre_publish_message(null, null, null, 0));
        const memory = options.memory();
        const topic = memory.readString(topicPointer, fields.publishTopic);
        if (topic instanceof OcreError) return fail(topic);
        const contentType = memory.readString(typePointer, fields.contentType);
        if (contentType instanceof OcreError) return fail(contentType);
        const payload = memory.readPayload(
          payloadPointer,
          payloadLength,
          limits.maxPayloadBytes,
          'ocre_publish_message',
        );
        if (payload instanceof OcreError) return fail(payload);
        return status(facade.ocre_publish_message(topic, contentType, payload, payloadLength));
      });
    },
    ocre_subscribe_message(topicPointer, handlerPointer) {
      return guard('ocre_subscribe_message', () => {
        if (!facade.initialized) return status(facade.ocre_subscribe_message(null, null));
        const memory = options.memory();
        const topic = memory.readString(topicPointer, fields.subscribeTopic);
        if (topic instanceof OcreError) return fail(topic);
        const handler = memory.readString(handlerPointer, fields.handler);
        if (handler instanceof OcreError) return fail(handler);
        return status(facade.ocre_subscribe_message(topic, handler));
      });
    },
    ocre_sleep: (milliseconds) => {
      port.flushRejected();
      return options.sleep(milliseconds);
    },
  };

  function status(result: 0 | -1): number {
    if (result === -1) report(facade.lastError());
    return result;
  }
}

function stringFields(limits: OcreLimits) {
  const topic = (call: string): StringField => ({
    call,
    name: 'topic',
    maxBytes: limits.maxTopicBytes,
    invalid: 'INVALID_TOPIC',
    tooLong: 'TOPIC_TOO_LONG',
  });
  return {
    publishTopic: topic('ocre_publish_message'),
    subscribeTopic: topic('ocre_subscribe_message'),
    contentType: {
      call: 'ocre_publish_message',
      name: 'content_type',
      maxBytes: limits.maxContentTypeBytes,
      invalid: 'INVALID_CONTENT_TYPE',
      tooLong: 'CONTENT_TYPE_TOO_LONG',
    } satisfies StringField,
    handler: {
      call: 'ocre_subscribe_message',
      name: 'handler_name',
      maxBytes: maxHandlerNameBytes,
      invalid: 'INVALID_HANDLER',
      tooLong: 'INVALID_HANDLER',
    } satisfies StringField,
  };
}
