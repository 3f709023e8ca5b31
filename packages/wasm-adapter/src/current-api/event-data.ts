// Owns handing a message event's bytes to the guest: one malloc'd block per message, and the table of blocks the guest has not freed yet.
import type { GuestMemory } from '../guest/guest-memory.ts';
import type { MessageEvent } from './event-queue.ts';

/** Default bound on messages handed to a guest and not yet freed with `ocre_messaging_free_module_event_data`. */
const defaultMaxOutstandingMessages = 64;

/** The guest's allocator, as its exports `malloc` and `free`. */
export interface GuestAllocator {
  malloc(size: number): number;
  free(pointer: number): void;
}

/** Where one message's data sits in guest memory. */
export interface PlacedEventData {
  readonly topic: number;
  readonly contentType: number;
  readonly payload: number;
}

interface Block extends PlacedEventData {
  readonly base: number;
}

/**
 * Places message data in a guest's memory and frees it when the guest says so. A message is one
 * `malloc` of `payload_len + topic + 1 + content type + 1` bytes: the payload first (so it has
 * malloc's alignment), then the NUL-terminated topic and content type. The guest must free it
 * with the exact pointers it was given; anything else is refused, so a hostile guest cannot
 * make the host free memory it never handed out. If the guest never frees, the oldest record is
 * forgotten once `maxOutstanding` are held (the block stays allocated in the guest's own
 * memory, which its memory cap bounds).
 */
export class EventDataTable {
  private readonly blocks = new Map<number, Block>();

  /**
   * @param memory - the guest's memory (views are taken afresh: malloc may grow it)
   * @param allocator - the guest's malloc and free
   * @param maxOutstanding - bound on the blocks remembered ({@link defaultMaxOutstandingMessages})
   */
  constructor(
    private readonly memory: () => GuestMemory,
    private readonly allocator: GuestAllocator,
    private readonly maxOutstanding = defaultMaxOutstandingMessages,
  ) {}

  /** Blocks handed out and not freed yet. */
  get outstanding(): number {
    return this.blocks.size;
  }

  /**
   * Copies a message into a fresh guest allocation.
   *
   * @returns where its parts are, or why it could not be placed
   */
  place(event: MessageEvent): PlacedEventData | string {
    const size = event.payload.length + event.topic.length + event.contentType.length + 2;
    const base = this.allocator.malloc(size) >>> 0;
    if (base === 0) return `malloc(${size}) returned NULL: no room for message ${event.mid}`;
    const memory = this.memory();
    if (!memory.contains(base, size)) {
      return `malloc(${size}) returned ${base}, which is not inside the container's memory`;
    }
    const bytes = memory.bytes();
    const topic = base + event.payload.length;
    const contentType = topic + event.topic.length + 1;
    bytes.set(event.payload, base);
    bytes.set(event.topic, topic);
    bytes[topic + event.topic.length] = 0;
    bytes.set(event.contentType, contentType);
    bytes[contentType + event.contentType.length] = 0;
    if (this.blocks.size >= this.maxOutstanding) {
      const [oldest] = this.blocks.keys();
      if (oldest !== undefined) this.blocks.delete(oldest);
    }
    const block = { base, topic, contentType, payload: base };
    this.blocks.set(topic, block);
    return block;
  }

  /**
   * Frees the block of a placed message, given the three pointers the guest received.
   *
   * @returns true when they named a block this table handed out (now freed)
   */
  free(topic: number, contentType: number, payload: number): boolean {
    const block = this.blocks.get(topic >>> 0);
    if (block?.contentType !== contentType >>> 0 || block.payload !== payload >>> 0) return false;
    this.blocks.delete(block.topic);
    this.allocator.free(block.base);
    return true;
  }
}
