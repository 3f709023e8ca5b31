// Owns the options of createOcreSystem and their validation into a resolved form, with errors that name the path.
import {
  defaultQueueCapacity,
  isTopicMatchingMode,
  maxQueueCapacity,
  resolveLimits,
} from '@ocre-ts/core';
import type { OcreLimits, TopicMatchingMode } from '@ocre-ts/core';
import { defaultSharedQueueBytes } from '@ocre-ts/core/internal';
import type { Clock } from '../clock.ts';
import { realClock } from '../clock.ts';
import { defaultBackoff, defaultMailboxCapacity, defaultRootName } from '../defaults.ts';
import { SystemError } from '../errors.ts';
import type { UnhandledErrorReporter } from '../errors.ts';
import { guardHook, reportToStderr } from '../errors.ts';
import type { ChildSpec, SupervisorSpec } from '../spec.ts';
import type { SystemHooks } from '../system-hooks.ts';

/** Messaging options of a system. */
export interface MessagingOptions {
  /** Router queue capacity. Default 100 (Ocre's). */
  readonly queueCapacity?: number;
  /** Default capacity of each container's mailbox. Default 100. */
  readonly mailboxCapacity?: number;
  /** Topic matching mode. Default `exact` (the seed's). */
  readonly topicMatching?: TopicMatchingMode;
  /** Size limits; see core's `defaultLimits`. */
  readonly limits?: Partial<OcreLimits>;
  /** Put the router queue in shared memory so worker containers publish directly. Default false (WASM systems turn it on). */
  readonly sharedQueue?: boolean;
  /** Bytes of the shared queue's ring when `sharedQueue` is on. Default 1 MiB. */
  readonly sharedQueueBytes?: number;
}

/** The root supervisor's options (its children are the system's `containers`). */
export type RootSupervisorOptions = Omit<
  SupervisorSpec,
  'kind' | 'children' | 'name' | 'restart' | 'onFault'
> & {
  readonly name?: string;
};

/** Options of {@link createOcreSystem}. */
export interface OcreSystemOptions {
  /** Queue, mailbox, matching and limits. */
  readonly messaging?: MessagingOptions;
  /** The root supervisor. Default one-for-one, 3 restarts within 5 s. */
  readonly supervisor?: RootSupervisorOptions;
  /** Containers and nested supervisors, started in this order. */
  readonly containers: readonly ChildSpec[];
  /** Clock for every timer; inject a VirtualClock in tests. Default the real clock. */
  readonly clock?: Clock;
  /** Randomness for backoff jitter, in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** Lines containers print. Default: `[name] line` on stdout / stderr. */
  readonly onOutput?: (container: string, stream: 'stdout' | 'stderr', line: string) => void;
  /** Runtime warnings (a second init, a failed kill). Default: stderr. */
  readonly onWarning?: (message: string) => void;
  /** Errors nobody observes (a throwing observer). Default: one line on stderr. */
  readonly reportError?: UnhandledErrorReporter;
  /** Tracing and fault-injection hooks (`@ocre-ts/actors/testing` sets them). Default none. */
  readonly hooks?: SystemHooks;
}

/** Options with every default applied and every value checked. */
export interface ResolvedSystemOptions {
  readonly queueCapacity: number;
  readonly mailboxCapacity: number;
  readonly topicMatching: TopicMatchingMode;
  readonly limits: OcreLimits;
  readonly sharedQueue: boolean;
  readonly sharedQueueBytes: number;
  readonly root: SupervisorSpec;
  readonly clock: Clock;
  readonly random: () => number;
  readonly onOutput: (container: string, stream: 'stdout' | 'stderr', line: string) => void;
  readonly onWarning: (message: string) => void;
  readonly reportError: UnhandledErrorReporter;
  readonly hooks: SystemHooks | undefined;
}

const strategies = ['one-for-one', 'one-for-all', 'rest-for-one'];
const restartTypes = ['permanent', 'transient', 'temporary'];
const directives = ['restart', 'resume', 'stop', 'escalate'];

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function invalid(path: string, expected: string, got: unknown): SystemError {
  return new SystemError('INVALID_SYSTEM_OPTIONS', `${path} must be ${expected}, got ${show(got)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return isObject(value);
}

/** Not a type guard on purpose: narrowing typed options to a bare record would lose their fields. */
function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(
  path: string,
  value: unknown,
  fallback: number,
  min: number,
  max = 2 ** 31 - 1,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(path, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function oneOf(path: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
    throw invalid(path, `one of ${allowed.join(', ')}`, value);
  }
}

function checkChildren(given: unknown, path: string, names: Map<string, string>): void {
  if (!Array.isArray(given))
    throw invalid(path, 'an array of container or supervisor specs', given);
  const children = given as readonly ChildSpec[];
  children.forEach((child, index) => {
    const at = `${path}[${index}]`;
    if (typeof child !== 'object' || child === null)
      throw invalid(at, 'a container or supervisor spec', child);
    if (typeof child.name !== 'string' || child.name.length === 0)
      throw invalid(`${at}.name`, 'a non-empty string', child.name);
    const taken = names.get(child.name);
    if (taken !== undefined) {
      throw new SystemError(
        'DUPLICATE_NAME',
        `${at}.name "${child.name}" is already used by ${taken}; every container and supervisor needs its own name`,
      );
    }
    names.set(child.name, at);
    oneOf(`${at}.restart`, child.restart, restartTypes);
    oneOf(`${at}.onFault`, child.onFault, directives);
    integer(`${at}.shutdownTimeoutMs`, child.shutdownTimeoutMs, 0, 0);
    if (child.kind === 'container') {
      if (typeof child.runtime !== 'function')
        throw invalid(`${at}.runtime`, 'a runtime factory (use defineContainer)', child.runtime);
      integer(`${at}.mailboxCapacity`, child.mailboxCapacity, 1, 1, maxQueueCapacity);
      integer(`${at}.handlerTimeoutMs`, child.handlerTimeoutMs, 1, 1);
      integer(`${at}.startTimeoutMs`, child.startTimeoutMs, 1, 1);
      const worker: unknown = child.publishesFromWorker;
      if (worker !== undefined && typeof worker !== 'boolean')
        throw invalid(`${at}.publishesFromWorker`, 'a boolean', worker);
    } else if (child.kind === 'supervisor') {
      checkSupervisor(child, at);
      checkChildren(child.children, `${at}.children`, names);
    } else {
      throw invalid(`${at}.kind`, '"container" or "supervisor"', (child as { kind: unknown }).kind);
    }
  });
}

function checkSupervisor(spec: Partial<SupervisorSpec>, path: string): void {
  if (!isObject(spec)) throw invalid(path, 'an object', spec);
  oneOf(`${path}.strategy`, spec.strategy, strategies);
  integer(`${path}.maxRestarts`, spec.maxRestarts, 0, 0);
  integer(`${path}.withinMs`, spec.withinMs, 1, 1);
  const backoff = spec.backoff ?? {};
  if (!isObject(backoff)) throw invalid(`${path}.backoff`, 'an object', backoff);
  const minMs = integer(`${path}.backoff.minMs`, backoff.minMs, defaultBackoff.minMs, 0);
  const maxMs = integer(
    `${path}.backoff.maxMs`,
    backoff.maxMs,
    Math.max(defaultBackoff.maxMs, minMs),
    0,
  );
  if (maxMs < minMs)
    throw invalid(`${path}.backoff.maxMs`, `at least backoff.minMs (${minMs})`, maxMs);
  integer(`${path}.backoff.resetAfterMs`, backoff.resetAfterMs, 0, 0);
  const jitter = backoff.jitter;
  if (jitter !== undefined && (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1))) {
    throw invalid(`${path}.backoff.jitter`, 'a number from 0 to 1', jitter);
  }
}

/**
 * Check options and fill in defaults.
 *
 * @throws SystemError `INVALID_SYSTEM_OPTIONS` or `DUPLICATE_NAME`, naming the path of the bad value
 */
export function resolveSystemOptions(options: OcreSystemOptions): ResolvedSystemOptions {
  if (!isObject(options)) throw invalid('options', 'an object', options);
  const messaging = options.messaging ?? {};
  if (!isObject(messaging)) throw invalid('messaging', 'an object', messaging);
  const queueCapacity = integer(
    'messaging.queueCapacity',
    messaging.queueCapacity,
    defaultQueueCapacity,
    1,
    maxQueueCapacity,
  );
  const mailboxCapacity = integer(
    'messaging.mailboxCapacity',
    messaging.mailboxCapacity,
    defaultMailboxCapacity,
    1,
    maxQueueCapacity,
  );
  const topicMatching = messaging.topicMatching ?? 'exact';
  if (!isTopicMatchingMode(topicMatching)) {
    throw invalid('messaging.topicMatching', 'one of exact, prefix, wildcard', topicMatching);
  }
  let limits: OcreLimits;
  try {
    limits = resolveLimits(messaging.limits);
  } catch (error) {
    throw new SystemError('INVALID_SYSTEM_OPTIONS', `messaging.${(error as Error).message}`, error);
  }
  const sharedQueueBytes = integer(
    'messaging.sharedQueueBytes',
    messaging.sharedQueueBytes,
    defaultSharedQueueBytes,
    1024,
  );
  const supervisor = options.supervisor ?? {};
  checkSupervisor(supervisor, 'supervisor');
  const names = new Map<string, string>();
  const rootName: unknown = supervisor.name ?? defaultRootName;
  if (typeof rootName !== 'string' || rootName.length === 0)
    throw invalid('supervisor.name', 'a non-empty string', rootName);
  names.set(rootName, 'the root supervisor');
  checkChildren(options.containers, 'containers', names);
  const clock: unknown = options.clock;
  if (clock !== undefined && !isClock(clock))
    throw invalid('clock', 'a Clock (now, setTimeout, clearTimeout)', clock);
  const hooks: unknown = options.hooks;
  if (hooks !== undefined && !isObject(hooks))
    throw invalid('hooks', 'an object of tracer, intercept, started, stopping', hooks);
  for (const hook of ['random', 'onOutput', 'onWarning', 'reportError'] as const) {
    const value: unknown = options[hook];
    if (value !== undefined && typeof value !== 'function')
      throw invalid(hook, 'a function', value);
  }
  const reportError = options.reportError ?? reportToStderr;
  return {
    queueCapacity,
    mailboxCapacity,
    topicMatching,
    limits,
    sharedQueue: messaging.sharedQueue === true,
    sharedQueueBytes,
    root: { ...supervisor, kind: 'supervisor', name: rootName, children: options.containers },
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
    onOutput: guardHook(
      options.onOutput ??
        ((container, stream, line) =>
          (stream === 'stdout' ? process.stdout : process.stderr).write(
            `[${container}] ${line}\n`,
          )),
      reportError,
      'the onOutput hook',
    ),
    onWarning: guardHook(
      options.onWarning ?? ((message) => process.stderr.write(`ocre-ts: warning: ${message}\n`)),
      reportError,
      'the onWarning hook',
    ),
    reportError,
    hooks: options.hooks,
  };
}

function isClock(value: unknown): value is Clock {
  return (
    isRecord(value) &&
    typeof value.now === 'function' &&
    typeof value.setTimeout === 'function' &&
    typeof value.clearTimeout === 'function'
  );
}
