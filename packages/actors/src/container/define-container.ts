// Owns TypeScript containers: defineContainer and the runtime that runs their init and handlers in-process.
import type { OcreFacade, OcreMessage } from '@ocre-ts/core';
import type { ContainerRuntime, RuntimeHost } from '../runtime.ts';
import type { ChildOptions, ContainerSpec } from '../spec.ts';
import { isPromiseLike } from './pending-handler.ts';

/** What a TypeScript container's init and handlers receive besides the message. */
export interface ContainerContext<TState> {
  /** The container's name. */
  readonly name: string;
  /** The messaging API: the C-style calls and their typed twins. */
  readonly api: OcreFacade;
  /** This instance's state; a restart starts from `initialState()` again. */
  state: TState;
  /** Print a line as the container's stdout. */
  log(line: string): void;
  /**
   * End this instance, like C's `exit(code)`: it handles no more mail. Code 0 (the default) is a
   * normal exit: a `permanent` container is restarted, a `transient` or `temporary` one stays
   * stopped. Any other code is an abnormal exit, a fault handled like a thrown error. A handler
   * that calls `exit` counts as having handled its message.
   */
  exit(code?: number): void;
}

/** A message handler of a TypeScript container; throwing or rejecting is a fault. */
export type ContainerHandler<TState> = (
  message: OcreMessage,
  context: ContainerContext<TState>,
) => void | Promise<void>;

/** How to write a TypeScript container: the same shape as the seed's C programs. */
export interface TypeScriptContainerDefinition<TState = undefined> {
  /** Unique name in the system. */
  readonly name: string;
  /**
   * Runs once per instance, like C's `main` up to its loop: call `api.ocre_msg_system_init()`
   * and subscribe. Throwing or rejecting is a start fault.
   */
  readonly init?: (api: OcreFacade, context: ContainerContext<TState>) => void | Promise<void>;
  /** The state a fresh instance starts with. */
  readonly initialState?: () => TState;
  /** Handlers by name; `ocre_subscribe_message(topic, "name")` refers to them. */
  readonly handlers?: Readonly<Record<string, ContainerHandler<TState>>>;
}

/** Supervision and mailbox options of a container, beside its code. */
export type ContainerOptions = Omit<ChildOptions, 'name'> &
  Pick<ContainerSpec, 'mailboxCapacity' | 'handlerTimeoutMs' | 'startTimeoutMs'>;

/**
 * Describe a TypeScript container; pass the result in a system's `containers`.
 *
 * @example
 * const subscriber = defineContainer({
 *   name: 'subscriber',
 *   init(api) {
 *     api.ocre_msg_system_init();
 *     api.ocre_subscribe_message('sensors/temperature', 'temperature_handler');
 *   },
 *   handlers: {
 *     temperature_handler(msg, ctx) { ctx.log(`Payload: ${readText(msg)}`); },
 *   },
 * });
 */
export function defineContainer<TState = undefined>(
  definition: TypeScriptContainerDefinition<TState>,
  options: ContainerOptions = {},
): ContainerSpec {
  return {
    kind: 'container',
    ...options,
    name: definition.name,
    runtime: () => new TypeScriptRuntime(definition),
  };
}

/** Runs a TypeScript container in the host's thread; each start makes a fresh context and state. */
class TypeScriptRuntime<TState> implements ContainerRuntime {
  private context: ContainerContext<TState> | undefined;
  private readonly handlers: Readonly<Record<string, ContainerHandler<TState>>>;
  private lastHandlerName: string | undefined;
  private lastHandler: ContainerHandler<TState> | undefined;

  /** @param definition - the container's code */
  constructor(private readonly definition: TypeScriptContainerDefinition<TState>) {
    this.handlers = definition.handlers ?? {};
  }

  /** Make a fresh context and run init. */
  async start(host: RuntimeHost): Promise<void> {
    await this.startSync(host);
  }

  /** Make a fresh context and run init; a promise only when init returned one. */
  startSync(host: RuntimeHost): Promise<void> | undefined {
    // Closures, not prototype methods: a handler may destructure `{ log, exit }` from its context.
    const context: ContainerContext<TState> = {
      name: host.name,
      api: host.api,
      state: this.definition.initialState?.() as TState,
      log: (line) => host.output('stdout', line),
      exit: (code = 0) => host.exited(code, true),
    };
    this.context = context;
    const outcome = this.definition.init?.(host.api, context);
    return isPromiseLike(outcome) ? Promise.resolve(outcome) : undefined;
  }

  /** Call the named handler; it must exist (subscribe checked it). */
  deliver(message: OcreMessage, handlerName: string): void | Promise<void> {
    // A run of mail for one handler (the usual case) looks its name up once.
    let handler = this.lastHandler;
    if (handlerName !== this.lastHandlerName || handler === undefined) {
      handler = this.handlers[handlerName];
      if (handler === undefined) throw new Error(`no handler named "${handlerName}"`);
      this.lastHandlerName = handlerName;
      this.lastHandler = handler;
    }
    return handler(message, this.context as ContainerContext<TState>);
  }

  /** True when the definition has a handler by this name. */
  hasHandler(handlerName: string): boolean {
    return Object.hasOwn(this.handlers, handlerName);
  }

  /** Drop the instance's context. */
  stop(): Promise<void> {
    this.context = undefined;
    return Promise.resolve();
  }

  /** Drop the instance's context, at once. */
  stopSync(): undefined {
    this.context = undefined;
    return undefined;
  }

  /** Drop the instance's context. */
  kill(): void {
    this.context = undefined;
  }
}
