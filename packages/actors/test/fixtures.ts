// Test fixtures: scripted TypeScript containers, hand-written runtimes and a system harness on a virtual clock.
import { readText } from '@ocre-ts/core';
import type { OcreMessage } from '@ocre-ts/core';
import { defineContainer, VirtualClock } from '../src/index.ts';
import { createTestSystem } from '../src/testing/index.ts';
import type {
  ContainerOptions,
  ContainerRuntime,
  ContainerSpec,
  DeadLetter,
  OcreSystem,
  OcreSystemOptions,
  RuntimeHost,
  SystemEvent,
} from '../src/index.ts';

/** What a scripted container does with one message, chosen by its text. */
export interface Script {
  /** Topics it subscribes to (handler `on_message`); default its own name. */
  readonly topics?: readonly string[];
  /** Where it records `name:text` for each message it handles; default nowhere. */
  readonly log?: string[];
  /** Throw from init on these start attempts (1-based); default never. */
  readonly failStarts?: (attempt: number) => boolean;
}

/**
 * A TypeScript container driven by the messages it gets:
 * `boom` (or `boom:<name>`) throws, `reject` rejects, `hang` never settles, `exit:<code>` calls `context.exit`,
 * `async` settles on the next microtask; anything else is recorded in `script.log`.
 */
export function scripted(
  name: string,
  options: ContainerOptions = {},
  script: Script = {},
): ContainerSpec {
  let attempt = 0;
  return defineContainer(
    {
      name,
      init(api) {
        attempt++;
        if (script.failStarts?.(attempt) === true) throw new Error(`init failed (${attempt})`);
        api.ocre_msg_system_init();
        for (const topic of script.topics ?? [name])
          api.ocre_subscribe_message(topic, 'on_message');
      },
      handlers: {
        on_message(message: OcreMessage, context) {
          const text = readText(message);
          if (text === 'boom' || text === `boom:${name}`) throw new Error(`boom in ${name}`);
          if (text === 'hang') return new Promise<void>(() => undefined);
          if (text === 'reject') return Promise.reject(new Error(`rejected in ${name}`));
          if (text.startsWith('exit:')) {
            context.exit(Number(text.slice(5)));
            return undefined;
          }
          script.log?.push(`${name}:${text}`);
          if (text === 'async') return Promise.resolve();
          return undefined;
        },
      },
    },
    options,
  );
}

/** A runtime with no handlers whose `stop` never settles (for shutdown timeouts). */
export function hangingStopRuntime(calls: string[] = []): () => ContainerRuntime {
  return () => ({
    start: (_host: RuntimeHost) => {
      calls.push('start');
      return Promise.resolve();
    },
    deliver: () => undefined,
    hasHandler: () => false,
    stop: () => {
      calls.push('stop');
      return new Promise<void>(() => undefined);
    },
    kill: () => {
      calls.push('kill');
    },
  });
}

/**
 * A view of createTestSystem for the actors unit tests: `random: () => 0` (no jitter), no
 * history hooks (the system runs as in production), and one-line renderings of what it did.
 */
export interface Harness {
  readonly clock: VirtualClock;
  readonly system: OcreSystem;
  readonly events: SystemEvent[];
  readonly letters: DeadLetter[];
  /** Container lines as `[name] line` and runtime warnings as `warning: …`, in order. */
  readonly output: string[];
  readonly reported: { readonly error: unknown; readonly where: string }[];
  /** Publish text from outside; the message id, or the error code. */
  publish(topic: string, text: string): bigint | string;
  /** Settle, then advance the clock by `ms` and settle again. */
  advance(ms: number): Promise<void>;
  /** One line per event: `type subject[ detail]`. */
  eventLines(filter?: (event: SystemEvent) => boolean): string[];
  /** `reason container` for every dead letter. */
  letterLines(): string[];
}

/** Build a harness over createTestSystem; options override the defaults. */
export function harness(options: OcreSystemOptions): Harness {
  const clock = new VirtualClock();
  const output: string[] = [];
  const t = createTestSystem({
    clock,
    random: () => 0,
    record: false,
    onOutput: (name, _stream, line) => output.push(`[${name}] ${line}`),
    onWarning: (message) => output.push(`warning: ${message}`),
    ...options,
  });
  return {
    clock,
    system: t.system,
    events: t.events,
    letters: t.deadLetters,
    output,
    reported: t.errors,
    publish: (topic, text) => t.publish(topic, text),
    advance: (ms) => t.advance(ms),
    eventLines: (filter = () => true) => t.events.filter(filter).map(eventLine),
    letterLines: () => t.deadLetters.map((letter) => `${letter.reason} ${letter.container ?? '-'}`),
  };
}

/** One event as a short line. */
export function eventLine(event: SystemEvent): string {
  switch (event.type) {
    case 'container.restarting':
      return `${event.type} ${event.container} ${event.delayMs}ms`;
    case 'container.stopped':
    case 'container.failed':
      return `${event.type} ${event.container}: ${event.reason}`;
    case 'supervisor.escalated':
      return `${event.type} ${event.supervisor}`;
    case 'message.dead-lettered':
      return `${event.type} ${event.reason} ${event.container ?? '-'}`;
    case 'queue.full':
      return `${event.type} ${event.publisher}`;
    case 'system.stopped':
      return `${event.type} failed=${event.failed}`;
    default:
      return `${event.type} ${event.container}`;
  }
}

/** The event types concerning `container`, in order. */
export function typesOf(events: readonly SystemEvent[], container: string): string[] {
  return events
    .filter((event) => 'container' in event && event.container === container)
    .map((event) => event.type);
}
