// Owns handing messages to a current-API instance in a dedicated worker through its one delivery slot: each waits its turn for the slot, which the worker frees as soon as it has queued the message.
import type { OcreMessage } from '@ocre-ts/core';
import type { RuntimeHost } from '@ocre-ts/actors';
import { C_MAIL, ringDoorbell, writeDelivery } from '../channel/control-block.ts';
import type { TakenOutcome } from '../channel/worker-protocol.ts';
import { HandedOverMessages } from './handed-over.ts';

/**
 * The main thread's side of a dedicated current-API instance's mail: the messages handed over
 * and not taken ({@link HandedOverMessages}), and those still waiting for the delivery slot.
 */
export class SlotHandOff {
  private readonly handedOver = new HandedOverMessages();
  private readonly waiting: OcreMessage[] = [];

  /** {@inheritDoc HandedOverMessages.accepts} */
  accepts(): boolean {
    return this.handedOver.accepts();
  }

  /** During the runtime's synchronous `deliver`: hand `message` over, through the slot when it is free. */
  handOver(
    host: RuntimeHost,
    message: OcreMessage,
    control: Int32Array,
    slot: SharedArrayBuffer,
  ): void {
    this.handedOver.handOver(host, message, () => {
      this.waiting.push(message);
      this.fill(control, slot);
    });
  }

  /** The worker reported how messages ended (and so that the slot is free): settle them, write the next. */
  settle(
    host: RuntimeHost,
    outcomes: readonly TakenOutcome[],
    control: Int32Array,
    slot: SharedArrayBuffer | undefined,
  ): void {
    this.handedOver.settle(host, outcomes);
    if (slot !== undefined) this.fill(control, slot);
  }

  /** The instance is gone: messages handed to it and not taken are `container-down` dead letters. */
  abandon(host: RuntimeHost | undefined): void {
    this.waiting.length = 0;
    this.handedOver.abandon(host);
  }

  /** Write the oldest message waiting for the slot, if the slot is free. */
  private fill(control: Int32Array, slot: SharedArrayBuffer): void {
    if (Atomics.load(control, C_MAIL) === 1) return;
    const message = this.waiting.shift();
    if (message === undefined) return;
    // Limits are fixed for the system's life: the slot was sized for the largest message.
    writeDelivery(slot, message, -1);
    Atomics.store(control, C_MAIL, 1);
    ringDoorbell(control);
  }
}
