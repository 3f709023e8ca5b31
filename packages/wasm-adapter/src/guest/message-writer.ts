// Owns placing a delivered message in guest memory as an ocre_msg_t (wasm32 layout) with its strings and payload, via the guest's malloc/free or a host-reserved region.
import { C_MAIL, readDelivery } from '../channel/control-block.ts';
import type { SlotMessage } from '../channel/control-block.ts';
import type { GuestMemory } from './guest-memory.ts';
import type { StartCommand } from '../channel/worker-protocol.ts';

/** What a writer needs to know about its instance. */
export type WriterOptions = Pick<StartCommand, 'handlers' | 'useAllocator' | 'limits'>;

/** sizeof(ocre_msg_t) on wasm32: mid u64 @0, topic @8, content_type @12, payload @16, payload_len i32 @20. */
const messageStructBytes = 24;
const PAGE_BYTES = 65536;

/** The memory cap leaves no room for the region the host reserves for messages. */
export class RegionError extends Error {
  override readonly name = 'RegionError';
}

/** A message written into guest memory, ready for its handler. */
export interface PlacedMessage {
  /** The handler's export name. */
  readonly handler: string;
  /** Call the handler with the message, then free it (when the guest allocated it). */
  call(): void;
}

type GuestFunction = (...args: number[]) => number | undefined;

/** Bytes the host reserves in a module without an allocator, for the largest allowed message. */
function reservedRegionBytes(limits: StartCommand['limits']): number {
  return (
    messageStructBytes +
    limits.maxPayloadBytes +
    limits.maxTopicBytes +
    limits.maxContentTypeBytes +
    2
  );
}

/**
 * Writes each delivery into one instance's memory. With the module's exported `malloc`/`free`
 * the message is one allocation, freed after the handler; without them it goes in a region
 * reserved by growing memory once, at instantiation, before main runs (so the guest's own
 * allocator never hands it out). Layout: the struct, then the payload (8-byte aligned), then
 * the NUL-terminated topic and content type.
 */
export class MessageWriter {
  private readonly handlers: readonly (GuestFunction | undefined)[];
  private readonly malloc: GuestFunction | undefined;
  private readonly free: GuestFunction | undefined;
  private readonly region: number;

  /**
   * @param memory - the instance's memory
   * @param exports - the instance's exports
   * @param command - handler names, limits and whether to use the allocator
   * @throws RegionError when the region cannot be reserved under the memory cap
   */
  constructor(
    private readonly memory: GuestMemory,
    exports: WebAssembly.Exports,
    private readonly command: WriterOptions,
  ) {
    const functionNamed = (name: string) =>
      typeof exports[name] === 'function' ? (exports[name] as GuestFunction) : undefined;
    this.handlers = command.handlers.map(functionNamed);
    this.malloc = command.useAllocator ? functionNamed('malloc') : undefined;
    this.free = command.useAllocator ? functionNamed('free') : undefined;
    this.region = this.malloc === undefined ? this.reserve() : -1;
  }

  /**
   * Take the message from the delivery slot (clearing the mail flag) and write it into guest
   * memory. The guest's malloc may trap: that propagates like a handler trap.
   *
   * @returns the placed message, or why it could not be placed
   */
  take(control: Int32Array, slot: SharedArrayBuffer): PlacedMessage | string {
    try {
      return this.place(readDelivery(slot));
    } finally {
      Atomics.store(control, C_MAIL, 0);
    }
  }

  /**
   * Write `message` into guest memory. The guest's malloc may trap: that propagates like a
   * handler trap.
   *
   * @returns the placed message, or why it could not be placed
   */
  place(message: SlotMessage): PlacedMessage | string {
    const handler = this.command.handlers[message.handlerIndex];
    const call = this.handlers[message.handlerIndex];
    if (handler === undefined || call === undefined) {
      return `no exported function for handler #${message.handlerIndex}`;
    }
    const payloadLength = message.payload.length;
    const size =
      messageStructBytes + payloadLength + message.topic.length + message.contentType.length + 2;
    const base = this.malloc === undefined ? this.region : (this.malloc(size) ?? 0) >>> 0;
    if (base === 0) {
      return `malloc(${size}) returned NULL: no room for message ${message.mid} in the container's memory`;
    }
    if (!this.memory.contains(base, size)) {
      return `malloc(${size}) returned ${base}, which is not inside the container's memory`;
    }
    // Views are taken after malloc, which may have grown (and so detached) the memory.
    const bytes = this.memory.bytes();
    const view = new DataView(bytes.buffer);
    const payloadAt = base + messageStructBytes;
    const topicAt = payloadAt + payloadLength;
    const contentTypeAt = topicAt + message.topic.length + 1;
    bytes.set(message.payload, payloadAt);
    bytes.set(message.topic, topicAt);
    bytes[topicAt + message.topic.length] = 0;
    bytes.set(message.contentType, contentTypeAt);
    bytes[contentTypeAt + message.contentType.length] = 0;
    view.setBigUint64(base, message.mid, true);
    view.setUint32(base + 8, topicAt, true);
    view.setUint32(base + 12, contentTypeAt, true);
    view.setUint32(base + 16, payloadAt, true);
    view.setInt32(base + 20, payloadLength, true);
    const { free } = this;
    return {
      handler,
      call: () => {
        call(base);
        free?.(base);
      },
    };
  }

  private reserve(): number {
    const bytes = reservedRegionBytes(this.command.limits);
    const pages = Math.ceil(bytes / PAGE_BYTES);
    try {
      return this.memory.memory.grow(pages) * PAGE_BYTES;
    } catch (error) {
      throw new RegionError(
        `the module exports no malloc/free, so the host reserves ${pages} pages of its memory for messages, but memoryMaxPages leaves no room for them (${this.memory.size / PAGE_BYTES} pages in use); raise memoryMaxPages, lower the messaging limits, or build with buildContainer({ exportAllocator: true })`,
        { cause: error },
      );
    }
  }
}
