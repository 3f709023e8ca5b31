// Owns the page's picture of a system: folding batches (live) or recorded events (replay) into tree states, timeline, dead letters and rate history, with bounded memory.
import type {
  ContainerSample,
  DashboardBatch,
  DashboardHello,
  TopicSample,
  TreeNode,
  WireEvent,
} from './wire.ts';

/** How many timeline entries, dead letters and rate points the page keeps (oldest go first). */
const viewLimits = { timeline: 300, deadLetters: 200, ratePoints: 600 } as const;

/** One line of the timeline. */
interface TimelineEntry {
  readonly time: number;
  /** What kind of moment: a fault, a restart, an escalation, an injected fault, a stop. */
  readonly kind: 'fault' | 'restart' | 'escalation' | 'injected' | 'failed' | 'stopped' | 'status';
  /** The container or supervisor concerned. */
  readonly target: string;
  readonly text: string;
}

/** One dead letter as the list shows it. */
interface DeadLetterEntry {
  readonly time: number;
  readonly mid: string;
  readonly topic: string;
  readonly reason: string;
  readonly container: string | undefined;
}

/** Rate history for the chart: parallel columns, as uPlot wants them. */
export interface RateHistory {
  /** Seconds since start. */
  readonly time: number[];
  readonly published: number[];
  readonly delivered: number[];
  readonly deadLettered: number[];
}

/** Everything the page draws. */
export interface ViewState {
  readonly hello: DashboardHello;
  /** Time of the newest information, ms since start. */
  time: number;
  /** Each container's latest sample (replay: as far as events tell). */
  readonly containers: Map<string, ContainerSample>;
  /** Supervisors that gave up (until one of their containers runs again). */
  readonly failedSupervisors: Set<string>;
  readonly timeline: TimelineEntry[];
  readonly deadLetters: DeadLetterEntry[];
  /** Dead letters seen in total (the list keeps the newest). */
  deadLetterCount: number;
  readonly rates: RateHistory;
  topics: readonly TopicSample[];
  /** Containers publishing in the latest batch. */
  publishers: DashboardBatch['publishers'];
  counters: DashboardBatch['counters'] | undefined;
  /** Events the server left out of its batches. */
  skippedEvents: number;
  /** Set once the system stopped. */
  stopped: { readonly reason: string; readonly failed: boolean } | undefined;
}

/** Every container of a tree, in start order. */
export function containerNames(node: TreeNode): string[] {
  if (node.kind === 'container') return [node.name];
  return (node.children ?? []).flatMap(containerNames);
}

/** The names of the supervisors above `container`, innermost first. */
function supervisorsOf(node: TreeNode, container: string): string[] {
  if (node.kind === 'container') return [];
  for (const child of node.children ?? []) {
    if (child.kind === 'container' && child.name === container) return [node.name];
    const above = supervisorsOf(child, container);
    if (above.length > 0) return [...above, node.name];
  }
  return [];
}

/** A fresh view of `hello`'s tree, every container `created`. */
export function createViewState(hello: DashboardHello): ViewState {
  const containers = new Map<string, ContainerSample>();
  for (const name of containerNames(hello.tree)) containers.set(name, emptySample(name));
  return {
    hello,
    time: 0,
    containers,
    failedSupervisors: new Set(),
    timeline: [],
    deadLetters: [],
    deadLetterCount: 0,
    rates: { time: [], published: [], delivered: [], deadLettered: [] },
    topics: [],
    publishers: [],
    counters: undefined,
    skippedEvents: 0,
    stopped: undefined,
  };
}

function emptySample(name: string): ContainerSample {
  return {
    name,
    state: 'created',
    mailbox: 0,
    restarts: 0,
    faults: 0,
    published: 0,
    delivered: 0,
    deadLettered: 0,
  };
}

function push<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length > limit) list.splice(0, list.length - limit);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value));

/** True for a record of numbers (a runtime's counters as the wire carries them). */
function isCounters(value: unknown): value is Readonly<Record<string, number>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((count) => typeof count === 'number')
  );
}

/** The state a lifecycle event leaves its container in, if it is one. */
const stateAfter: Readonly<Record<string, string>> = {
  'container.starting': 'starting',
  'container.running': 'running',
  'container.faulted': 'faulted',
  'container.unresponsive': 'unresponsive',
  'container.restarting': 'restarting',
  'container.stopped': 'stopped',
  'container.failed': 'failed',
};

/**
 * Fold one event into `view`: container states and counts (which a live batch then corrects
 * with the real ones), the timeline and the dead-letter list.
 */
export function applyEvent(view: ViewState, event: WireEvent): void {
  view.time = Math.max(view.time, event.time);
  const container = typeof event['container'] === 'string' ? event['container'] : undefined;
  const after = stateAfter[event.type];
  if (container !== undefined && after !== undefined) {
    const before = view.containers.get(container) ?? emptySample(container);
    view.containers.set(container, {
      ...before,
      state: after,
      restarts: before.restarts + (event.type === 'container.restarting' ? 1 : 0),
      faults: before.faults + (event.type === 'container.faulted' ? 1 : 0),
    });
    if (after === 'running') {
      for (const s of supervisorsOf(view.hello.tree, container)) view.failedSupervisors.delete(s);
    }
  }
  const at = (kind: TimelineEntry['kind'], target: string, line: string) =>
    push(view.timeline, { time: event.time, kind, target, text: line }, viewLimits.timeline);
  switch (event.type) {
    case 'container.faulted':
      at('fault', text(container), `${text(event['phase'])} fault: ${text(event['error'])}`);
      break;
    case 'container.unresponsive':
      at('fault', text(container), `unresponsive after ${text(event['afterMs'])} ms`);
      break;
    case 'container.restarting':
      at(
        'restart',
        text(container),
        `restart ${text(event['attempt'])} in ${text(event['delayMs'])} ms`,
      );
      break;
    case 'container.failed':
      at('failed', text(container), `failed: ${text(event['reason'])}`);
      break;
    case 'container.status': {
      // A runtime's own state (a bridge's connection): shown beside its container, and each
      // change on the timeline.
      const state = text(event['state']);
      const counters = event['counters'];
      if (container !== undefined) {
        const before = view.containers.get(container) ?? emptySample(container);
        view.containers.set(container, {
          ...before,
          status: { state, counters: isCounters(counters) ? counters : {} },
        });
      }
      at('status', text(container), state);
      break;
    }
    case 'supervisor.escalated': {
      const supervisor = text(event['supervisor']);
      view.failedSupervisors.add(supervisor);
      at('escalation', supervisor, `gave up on ${text(event['child'])}: ${text(event['reason'])}`);
      break;
    }
    case 'fault.injected':
      at(
        'injected',
        text(event['target']),
        `${text(event['kind'])} (${text(event['source'] ?? 'chaos')}): ${text(event['detail'])}`,
      );
      break;
    case 'message.dead-lettered':
      view.deadLetterCount++;
      push(
        view.deadLetters,
        {
          time: event.time,
          mid: text(event['mid']),
          topic: text(event['topic']),
          reason: text(event['reason']),
          container,
        },
        viewLimits.deadLetters,
      );
      break;
    case 'system.stopped': {
      const failed = event['failed'] === true;
      view.stopped = { reason: text(event['reason']), failed };
      at('stopped', 'system', `${failed ? 'failed' : 'stopped'}: ${text(event['reason'])}`);
      for (const [name, sample] of view.containers) {
        if (sample.state !== 'failed') view.containers.set(name, { ...sample, state: 'stopped' });
      }
      break;
    }
    default:
  }
}

/** Fold one live batch into `view`: its events, then the authoritative samples and rates. */
export function applyBatch(view: ViewState, batch: DashboardBatch): void {
  for (const event of batch.events) applyEvent(view, event);
  view.time = Math.max(view.time, batch.time);
  view.skippedEvents += batch.skippedEvents;
  for (const sample of batch.containers) {
    // A stopped system reports its containers as it left them; the stop event said `stopped`.
    if (view.stopped === undefined) view.containers.set(sample.name, sample);
  }
  view.topics = batch.topics;
  view.publishers = batch.publishers;
  view.counters = batch.counters;
  pushRates(view, batch.time, batch.rates);
}

function pushRates(view: ViewState, time: number, rates: DashboardBatch['rates']): void {
  const { rates: history } = view;
  push(history.time, time / 1000, viewLimits.ratePoints);
  push(history.published, rates.published, viewLimits.ratePoints);
  push(history.delivered, rates.delivered, viewLimits.ratePoints);
  push(history.deadLettered, rates.deadLettered, viewLimits.ratePoints);
}

/**
 * The view of a recorded run at `untilMs`: every event up to then folded in order, and the dead
 * letters per second (the only rate an event log records) in one-second buckets.
 */
export function replayView(hello: DashboardHello, untilMs: number): ViewState {
  const view = createViewState(hello);
  let bucket = 0;
  let dead = 0;
  const flush = (upTo: number) => {
    while (bucket + 1000 <= upTo) {
      bucket += 1000;
      pushRates(view, bucket, { published: 0, delivered: 0, deadLettered: dead });
      dead = 0;
    }
  };
  for (const event of hello.events ?? []) {
    if (event.time > untilMs) break;
    flush(event.time);
    if (event.type === 'message.dead-lettered') dead++;
    applyEvent(view, event);
  }
  flush(untilMs);
  view.time = untilMs;
  return view;
}
