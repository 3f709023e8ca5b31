// Owns the shared memory between a WASM runtime and its worker: the control words (instance state, doorbell, mail flag, call replies) and the delivery slot.
import type { OcreLimits, OcreMessage } from '@ocre-ts/core';

// ---- control block: Int32 words, then a reply text area ----

/** Word: the instance's state, one of the `STATE_*` values; see the transitions below. */
export const C_STATE = 0;
/** Word: bumped and notified by the main thread whenever it wants the worker to look (mail, abort, exit). */
export const C_DOORBELL = 1;
/** Word: 1 while the delivery slot holds a message the worker has not taken yet. */
export const C_MAIL = 2;
/** Word: 1 once the worker should finish and exit. */
export const C_EXIT = 3;
/** Word: the generation of the instance the main thread wants; a stale `start` is ignored. */
export const C_GENERATION = 4;
/** Word: 0 while a call waits for the main thread's answer, 1 once answered. */
export const C_REPLY = 5;
/** Word: the answer's status, 0 or -1. */
const C_REPLY_STATUS = 6;
/** Word: bytes of reply text. */
const C_REPLY_LENGTH = 7;
/** Word (pooled workers): the id of the instance whose guest code runs now, 0 between turns. */
export const C_RUNNING = 8;
/** Word (pooled workers): bumped at every turn, so a watchdog tells a long turn from many short ones. */
export const C_TURN = 9;

/*
 * States. Only the worker moves out of RUNNING; the main thread only ever CASes SLEEPING or IDLE
 * to ABORT. So once the main thread's CAS to ABORT succeeds, the worker runs no more guest code
 * for that instance: every path from SLEEPING or IDLE back into the guest is a CAS to RUNNING.
 */
/** No instance: fresh worker, or the last one trapped, exited or was aborted. Worker is in its event loop. */
export const STATE_NONE = 0;
/** Guest code is running (main, a handler, or a host call made by them). */
export const STATE_RUNNING = 1;
/** The guest is inside `ocre_sleep`; the worker blocks on the doorbell. */
export const STATE_SLEEPING = 2;
/** main has returned; the instance serves mail; the worker waits in its event loop. */
export const STATE_IDLE = 3;
/** The main thread aborted the instance while it slept or idled; the worker drops it. */
export const STATE_ABORT = 4;

const REPLY_TEXT_OFFSET = 64;
const REPLY_TEXT_BYTES = 4096;

/** A fresh control block, every word 0 (state NONE). */
export function createControlBlock(): SharedArrayBuffer {
  return new SharedArrayBuffer(REPLY_TEXT_OFFSET + REPLY_TEXT_BYTES);
}

/** Wake the worker wherever it waits on the doorbell. */
export function ringDoorbell(control: Int32Array): void {
  Atomics.add(control, C_DOORBELL, 1);
  Atomics.notify(control, C_DOORBELL);
}

/** A call's answer: 0, or -1 with the error's code and message. */
export interface CallReply {
  readonly status: 0 | -1;
  readonly code?: string;
  readonly message?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Main thread: write the answer to the worker's pending call and wake it. */
export function writeReply(control: Int32Array, reply: CallReply): void {
  const text = reply.status === 0 ? '' : `${reply.code ?? ''}\u0000${reply.message ?? ''}`;
  const area = new Uint8Array(control.buffer, REPLY_TEXT_OFFSET, REPLY_TEXT_BYTES);
  const encoded = encoder.encode(text).subarray(0, REPLY_TEXT_BYTES);
  area.set(encoded);
  control[C_REPLY_STATUS] = reply.status;
  control[C_REPLY_LENGTH] = encoded.length;
  Atomics.store(control, C_REPLY, 1);
  Atomics.notify(control, C_REPLY);
}

/** Worker: read the answer written by {@link writeReply}. */
export function readReply(control: Int32Array): CallReply {
  if (Atomics.load(control, C_REPLY_STATUS) === 0) return { status: 0 };
  const length = Atomics.load(control, C_REPLY_LENGTH);
  // Decode from a private copy: the area is shared memory.
  const text = decoder.decode(new Uint8Array(control.buffer, REPLY_TEXT_OFFSET, length).slice());
  const split = text.indexOf('\u0000');
  return { status: -1, code: text.slice(0, split), message: text.slice(split + 1) };
}

// ---- delivery slot: one message at a time, main thread → worker ----

const SLOT_HEADER_BYTES = 24;
const W_TOPIC_LENGTH = 2;
const W_CONTENT_TYPE_LENGTH = 3;
const W_PAYLOAD_LENGTH = 4;
const W_HANDLER = 5;

/** Bytes of a slot that holds the largest message `limits` allow. */
export function deliverySlotBytes(limits: OcreLimits): number {
  return (
    SLOT_HEADER_BYTES + limits.maxTopicBytes + limits.maxContentTypeBytes + limits.maxPayloadBytes
  );
}

/**
 * Main thread: copy `message` and the handler's index into the slot.
 *
 * @returns false when the message does not fit (the system's limits changed under the slot)
 */
export function writeDelivery(
  slot: SharedArrayBuffer,
  message: OcreMessage,
  handlerIndex: number,
): boolean {
  const topic = encoder.encode(message.topic);
  const contentType = encoder.encode(message.contentType);
  const payload = message.payload.subarray(0, message.payloadLen);
  const size = SLOT_HEADER_BYTES + topic.length + contentType.length + payload.length;
  if (size > slot.byteLength) return false;
  const words = new Int32Array(slot, 0, SLOT_HEADER_BYTES >> 2);
  new BigUint64Array(slot, 0, 1)[0] = message.mid;
  words[W_TOPIC_LENGTH] = topic.length;
  words[W_CONTENT_TYPE_LENGTH] = contentType.length;
  words[W_PAYLOAD_LENGTH] = payload.length;
  words[W_HANDLER] = handlerIndex;
  const bytes = new Uint8Array(slot, SLOT_HEADER_BYTES);
  bytes.set(topic, 0);
  bytes.set(contentType, topic.length);
  bytes.set(payload, topic.length + contentType.length);
  return true;
}

/** A message in the slot, as views of the shared memory (copy before the next delivery). */
export interface SlotMessage {
  readonly mid: bigint;
  readonly topic: Uint8Array;
  readonly contentType: Uint8Array;
  readonly payload: Uint8Array;
  readonly handlerIndex: number;
}

/** Worker: view the message in the slot. */
export function readDelivery(slot: SharedArrayBuffer): SlotMessage {
  const words = new Int32Array(slot, 0, SLOT_HEADER_BYTES >> 2);
  const topicLength = words[W_TOPIC_LENGTH] ?? 0;
  const contentTypeLength = words[W_CONTENT_TYPE_LENGTH] ?? 0;
  const payloadLength = words[W_PAYLOAD_LENGTH] ?? 0;
  const bytes = new Uint8Array(slot, SLOT_HEADER_BYTES);
  const payloadStart = topicLength + contentTypeLength;
  return {
    mid: new BigUint64Array(slot, 0, 1)[0] ?? 0n,
    topic: bytes.subarray(0, topicLength),
    contentType: bytes.subarray(topicLength, payloadStart),
    payload: bytes.subarray(payloadStart, payloadStart + payloadLength),
    handlerIndex: words[W_HANDLER] ?? -1,
  };
}
