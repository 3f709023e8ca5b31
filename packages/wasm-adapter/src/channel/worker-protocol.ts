// Owns the messages a WASM runtime and its worker post to each other (the shared control block carries the rest).
import type { OcreLimits, TopicMatchingMode } from '@ocre-ts/core';

/** Main → worker: instantiate a fresh instance of `module` and run its main. */
export interface StartCommand {
  readonly type: 'start';
  /** Instance generation; every report about this instance carries it. */
  readonly generation: number;
  readonly module: WebAssembly.Module;
  /** The container's name (argv[0] and messages). */
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The control block (see control-block.ts). */
  readonly control: SharedArrayBuffer;
  /** The delivery slot. */
  readonly slot: SharedArrayBuffer;
  /** The router's shared queue; undefined makes publishes a round trip to the main thread. */
  readonly sharedQueue: SharedArrayBuffer | undefined;
  readonly producerId: number;
  readonly limits: OcreLimits;
  readonly topicMatching: TopicMatchingMode;
  /** Handler names by index (see handlerExportNames). */
  readonly handlers: readonly string[];
  /** Allocate messages with the module's malloc/free instead of a reserved region. */
  readonly useAllocator: boolean;
  /** The Ocre API the module is written against: the seed's `2025` one or Ocre's `current` one. */
  readonly api: '2025' | 'current';
  /** Ocre's current API: the container's simulated sensors and GPIO pin names. */
  readonly devices?: DeviceDeclarations;
}

/** A simulated sensor of Ocre's current API, as plain data a worker builds it from. */
export type SensorDeclaration =
  /** Like Ocre's RNG sensor: one channel of random whole numbers 0..65535. */
  | { readonly name: string; readonly kind: 'random' }
  /** Replays `rows` (one reading per row, one column per channel), starting over after the last. */
  | {
      readonly name: string;
      readonly kind: 'scripted';
      readonly rows: readonly (readonly number[])[];
      /** The Ocre channel type of each column (default 0, 1, 2…). */
      readonly channelTypes?: readonly number[];
    };

/** The simulated devices a current-API container sees: its sensors, and names for its virtual GPIO pins. */
export interface DeviceDeclarations {
  readonly sensors?: readonly SensorDeclaration[];
  /** Pin names for the `ocre_gpio_*_by_name` calls. */
  readonly gpioNames?: Readonly<Record<string, { readonly port: number; readonly pin: number }>>;
}

/** Main → worker: finish up and end the thread. */
interface ExitCommand {
  readonly type: 'exit';
}

/** Everything the main thread posts to a worker. */
export type WorkerCommand = StartCommand | ExitCommand;

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
}

/** Every report carries the generation of the instance it is about. */
interface Report<TType extends string> {
  readonly type: TType;
  readonly generation: number;
}

/** A line the guest wrote to stdout or stderr. */
interface OutputReport extends Report<'output'> {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}
/** The guest called `ocre_msg_system_init` (again, perhaps: the main side warns). */
type InitReport = Report<'init'>;
/** The guest subscribes; the worker blocks until the answer is in the control block. */
export interface SubscribeCall extends Report<'subscribe'> {
  readonly topic: string;
  readonly handler: string;
  /** `prefix` for Ocre's current API; absent: the system's mode. */
  readonly matching?: 'prefix';
}
/** The guest publishes without a shared queue; answered like a subscribe. */
export interface PublishCall extends Report<'publish'> {
  readonly topic: string;
  readonly contentType: string;
  readonly payload: Uint8Array;
}
/** Publishes the queue refused since the last report. */
interface RejectedReport extends Report<'rejected'> {
  readonly count: number;
}
/** main yielded for the first time (its first `ocre_sleep`): the instance is ready for mail. */
type ReadyReport = Report<'ready'>;
/** main returned or called `proc_exit`; with code 0 the instance keeps serving mail. */
interface ExitedReport extends Report<'exited'> {
  readonly code: number;
}
/** main trapped; the instance is gone. */
interface TrapReport extends Report<'trap'> {
  readonly error: SerializedError;
}
/** The instance could not be created (a link error, no room for the message region). */
interface StartFailedReport extends Report<'start-failed'> {
  readonly error: SerializedError;
  /** True when a fresh attempt would fail the same way. */
  readonly permanent: boolean;
}
/** The handler returned (`exited` 0 when it called `proc_exit(0)`: main is over, mail still flows). */
export interface DeliveredReport extends Report<'delivered'> {
  readonly exited: boolean;
  /** Pooled: the delivery's sequence number in its instance's lane. */
  readonly seq?: number;
}
/** The handler trapped, exited non-zero, or the message could not be placed in guest memory. */
export interface HandlerFailedReport extends Report<'handler-failed'> {
  readonly error: SerializedError;
  /** `trap` and `exit` leave the instance dead; `delivery` leaves it intact. */
  readonly kind: 'trap' | 'exit' | 'delivery';
  readonly exitCode?: number;
  /** Pooled: the delivery's sequence number in its instance's lane. */
  readonly seq?: number;
}
/** How one message a current-API instance was handed ended: taken by the guest, or a dead letter. */
export interface TakenOutcome {
  /** The message's id, as the main thread handed it over. */
  readonly mid: bigint;
  /** Absent: the guest took it with `ocre_get_event`. */
  readonly deadLetter?: {
    readonly reason: 'mailbox-full' | 'handler-fault';
    readonly error: string;
  };
}

/** Messages a current-API instance was handed have ended: the main thread settles them. */
interface TakenReport extends Report<'taken'> {
  readonly outcomes: readonly TakenOutcome[];
}
/** A virtual GPIO pin of a current-API container changed state. */
interface GpioReport extends Report<'gpio'> {
  readonly port: number;
  readonly pin: number;
  readonly state: 0 | 1;
}
/** A host call returned -1; why, for the container's stderr. */
interface CallErrorReport extends Report<'call-error'> {
  readonly code: string;
  readonly message: string;
}

/** Everything a worker posts to the main thread. */
export type WorkerReport =
  | OutputReport
  | InitReport
  | SubscribeCall
  | PublishCall
  | RejectedReport
  | ReadyReport
  | ExitedReport
  | TrapReport
  | StartFailedReport
  | DeliveredReport
  | HandlerFailedReport
  | TakenReport
  | GpioReport
  | CallErrorReport;

/** Make any thrown value postable. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
