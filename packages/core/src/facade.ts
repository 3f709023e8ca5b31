// Owns the per-container C-style facade: ocre_msg_system_init / ocre_publish_message / ocre_subscribe_message returning 0 or -1, and its typed twin.
import { OcreError } from './errors.ts';
import type { OcreLimits } from './limits.ts';
import { defaultLimits } from './defaults.ts';
import { encodeUtf8Prefix, utf8ByteLength } from './utf8.ts';
import type { TopicMatchingMode } from './topic-matching.ts';
import type { PayloadInput } from './validation.ts';
import { validatePayload, validatePublish, validateSubscribe } from './validation.ts';

/** The result of a typed operation: a value, or the error that says why it failed. */
export type OcreResult<TValue> =
  { readonly ok: true; readonly value: TValue } | { readonly ok: false; readonly error: OcreError };

/**
 * What a facade publishes into and subscribes through: the router, seen from one container.
 * Arguments arrive validated; the port only answers what depends on the system.
 */
export interface OcreMessagingPort {
  /**
   * Enqueue a message; `payload` is the publisher's private copy (or transferred to the system).
   * @returns the message id when accepted, or the accepted message itself (its `mid` is then read
   *   only by a caller that asks for it, so the C-shaped call makes no bigint), else `QUEUE_FULL`
   *   or `SHUTTING_DOWN`
   */
  publish(
    topic: string,
    contentType: string,
    payload: Uint8Array,
  ): bigint | { readonly mid: bigint } | OcreError;
  /**
   * Record a subscription of this container; subscribing twice to the same pair is a no-op.
   * @param matching - how the pattern matches (default: the system's mode); Ocre's current API
   *   subscribes by `prefix` in a system of any mode
   * @returns undefined when recorded, else e.g. `INVALID_PATTERN` or `SHUTTING_DOWN`
   */
  subscribe(
    topic: string,
    handlerName: string,
    matching?: TopicMatchingMode,
  ): OcreError | undefined;
}

/** Options of a typed publish. */
export interface PublishOptions {
  /**
   * Hand the payload bytes to the system instead of copying them: the publisher promises never to
   * write to this buffer again (subscribers read it later, and may share it). Default false: a
   * `Uint8Array` is copied, so the publisher may reuse it at once. Strings are never copied twice.
   */
  readonly transfer?: boolean;
}

/** Options of {@link createOcreFacade}. */
export interface OcreFacadeOptions {
  /** The container's name, used in messages. */
  readonly container: string;
  /** Where messages go. */
  readonly port: OcreMessagingPort;
  /** Size limits; default {@link defaultLimits}. */
  readonly limits?: OcreLimits;
  /** Does the container export a handler by this name? Default: every name is accepted. */
  readonly hasHandler?: (handlerName: string) => boolean;
  /** Receives warnings such as a second init. Default: ignored. */
  readonly onWarning?: (message: string) => void;
}

/**
 * One container's view of the Ocre messaging API, in the C shape and the typed shape.
 * The C-shaped calls never throw; they return 0 or -1 and leave the reason in `lastError()`.
 */
export interface OcreFacade {
  /** Set up messaging for this container; a second call warns and does nothing else. */
  ocre_msg_system_init(): void;
  /** Publish; 0 when accepted, -1 otherwise (see `lastError()`). */
  ocre_publish_message(
    topic: string | null,
    contentType: string | null,
    payload: PayloadInput | null,
    payloadLen: number,
  ): 0 | -1;
  /** Subscribe `handlerName` to `topic`; 0 when recorded, -1 otherwise (see `lastError()`). */
  ocre_subscribe_message(topic: string | null, handlerName: string | null): 0 | -1;
  /** Why the most recent call that returned -1 failed; undefined if none has. */
  lastError(): OcreError | undefined;
  /**
   * Typed twin of `ocre_publish_message`: the message id, or the error. `payloadLen` defaults to
   * the whole payload; `options.transfer` hands a byte payload over without a copy.
   */
  publish(
    topic: string,
    contentType: string,
    payload: PayloadInput,
    payloadLen?: number,
    options?: PublishOptions,
  ): OcreResult<bigint>;
  /**
   * Typed twin of `ocre_subscribe_message`; `matching` (default: the system's mode) lets a
   * container of Ocre's current API subscribe by prefix.
   */
  subscribe(
    topic: string,
    handlerName: string,
    matching?: TopicMatchingMode,
  ): OcreResult<undefined>;
  /** True once `ocre_msg_system_init` has run. */
  readonly initialized: boolean;
  /** Number of distinct subscriptions this container holds. */
  readonly subscriptionCount: number;
}

/**
 * Create the messaging facade of one container.
 *
 * @example
 * const api = createOcreFacade({ container: 'publisher', port: router.portFor('publisher') });
 * api.ocre_msg_system_init();
 * api.ocre_publish_message('sensors/temperature', 'application/json', '{"t":22.5}', 10); // 0
 */
export function createOcreFacade(options: OcreFacadeOptions): OcreFacade {
  return new Facade(options);
}

/**
 * One container's facade. Its methods live on the prototype, shared by every container; an
 * instance holds only its own state, and its subscription set is made at the first subscribe.
 */
class Facade implements OcreFacade {
  private readonly container: string;
  private readonly port: OcreMessagingPort;
  private readonly limits: OcreLimits;
  private readonly options: OcreFacadeOptions;
  private subscriptions: Set<string> | undefined;
  private isInitialized = false;
  private latestError: OcreError | undefined;
  // The last topic and content type that passed validation: a publisher that keeps publishing on
  // one topic (the common case) has them checked once, not per message.
  private checkedTopic: unknown;
  private checkedContentType: unknown;

  /** @param options - see {@link OcreFacadeOptions} */
  constructor(options: OcreFacadeOptions) {
    this.options = options;
    this.container = options.container;
    this.port = options.port;
    this.limits = options.limits ?? defaultLimits;
  }

  get initialized(): boolean {
    return this.isInitialized;
  }

  get subscriptionCount(): number {
    return this.subscriptions?.size ?? 0;
  }

  ocre_msg_system_init(): void {
    if (this.isInitialized) {
      this.options.onWarning?.(
        `ocre_msg_system_init: container "${this.container}" is already initialised; the second call does nothing`,
      );
      return;
    }
    this.isInitialized = true;
  }

  ocre_publish_message(
    topic: string | null,
    contentType: string | null,
    payload: PayloadInput | null,
    payloadLen: number,
  ): 0 | -1 {
    return this.toStatus(this.send(topic, contentType, payload, payloadLen, false));
  }

  ocre_subscribe_message(topic: string | null, handlerName: string | null): 0 | -1 {
    return this.toStatus(this.listen(topic, handlerName));
  }

  lastError(): OcreError | undefined {
    return this.latestError;
  }

  publish(
    topic: string,
    contentType: string,
    payload: PayloadInput,
    payloadLen?: number,
    options?: PublishOptions,
  ): OcreResult<bigint> {
    const length =
      payloadLen ?? (typeof payload === 'string' ? utf8ByteLength(payload) : payload.byteLength);
    const outcome = this.send(topic, contentType, payload, length, options?.transfer === true);
    if (outcome instanceof OcreError) {
      this.latestError = outcome;
      return { ok: false, error: outcome };
    }
    return { ok: true, value: typeof outcome === 'bigint' ? outcome : outcome.mid };
  }

  subscribe(
    topic: string,
    handlerName: string,
    matching?: TopicMatchingMode,
  ): OcreResult<undefined> {
    const outcome = this.listen(topic, handlerName, matching);
    if (outcome !== undefined) {
      this.latestError = outcome;
      return { ok: false, error: outcome };
    }
    return { ok: true, value: undefined };
  }

  private notInitialized(call: string): OcreError {
    return new OcreError(
      'NOT_INITIALIZED',
      `${call}: container "${this.container}" has not called ocre_msg_system_init(); call it once before publishing or subscribing`,
    );
  }

  private send(
    topic: unknown,
    contentType: unknown,
    payload: unknown,
    payloadLen: unknown,
    transfer: boolean,
  ): bigint | { readonly mid: bigint } | OcreError {
    if (!this.isInitialized) return this.notInitialized('ocre_publish_message');
    if (topic === this.checkedTopic && contentType === this.checkedContentType) {
      const invalid = validatePayload(payload, payloadLen, this.limits);
      if (invalid !== undefined) return invalid;
    } else {
      const invalid = validatePublish(topic, contentType, payload, payloadLen, this.limits);
      if (invalid !== undefined) return invalid;
      this.checkedTopic = topic;
      this.checkedContentType = contentType;
    }
    const length = payloadLen as number;
    const bytes =
      typeof payload === 'string'
        ? encodeUtf8Prefix(payload, length)
        : transfer
          ? viewBytes(payload as Uint8Array, length)
          : copyBytes(payload as Uint8Array, length);
    return this.port.publish(topic as string, contentType as string, bytes);
  }

  private listen(
    topic: unknown,
    handlerName: unknown,
    matching?: TopicMatchingMode,
  ): OcreError | undefined {
    if (!this.isInitialized) return this.notInitialized('ocre_subscribe_message');
    const { container, limits } = this;
    const invalid = validateSubscribe(topic, handlerName, limits);
    if (invalid !== undefined) return invalid;
    const handler = handlerName as string;
    const { hasHandler } = this.options;
    if (hasHandler !== undefined && !hasHandler(handler)) {
      return new OcreError(
        'INVALID_HANDLER',
        `ocre_subscribe_message: container "${container}" has no handler named "${handler}"; export it (in C: __attribute__((export_name("${handler}")))) or fix the name`,
      );
    }
    const subscriptions = (this.subscriptions ??= new Set<string>());
    const key = `${matching ?? ''}\u0000${topic as string}\u0000${handler}`;
    if (!subscriptions.has(key) && subscriptions.size >= limits.maxSubscriptions) {
      return new OcreError(
        'SUBSCRIPTION_LIMIT',
        `ocre_subscribe_message: container "${container}" already holds ${limits.maxSubscriptions} subscriptions, the limit; raise limits.maxSubscriptions or subscribe to a broader pattern`,
      );
    }
    const refused =
      matching === undefined
        ? this.port.subscribe(topic as string, handler)
        : this.port.subscribe(topic as string, handler, matching);
    if (refused !== undefined) return refused;
    subscriptions.add(key);
    return undefined;
  }

  private toStatus(outcome: unknown): 0 | -1 {
    if (outcome instanceof OcreError) {
      this.latestError = outcome;
      return -1;
    }
    return 0;
  }
}

/**
 * A private copy of the first `length` bytes: the publisher may reuse its buffer. The constructor
 * copies a whole array fastest; `slice` is not used because on a Node Buffer it returns a view.
 */
function copyBytes(source: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(length === source.length ? source : source.subarray(0, length));
}

/** The first `length` bytes without a copy, for a transferred payload. */
function viewBytes(source: Uint8Array, length: number): Uint8Array {
  return length === source.length ? source : source.subarray(0, length);
}
