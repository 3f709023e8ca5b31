// Owns what the dashboard server sends the page (and what a replay holds): plain JSON shapes shared by the server, the page and the replay.

/** One system event as JSON, exactly as a line of the NDJSON event log: message ids are strings. */
export interface WireEvent {
  /** ms since the system started. */
  readonly time: number;
  /** `container.faulted`, `fault.injected`, … */
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A supervisor or a container in the supervision tree. */
export interface TreeNode {
  readonly kind: 'supervisor' | 'container';
  readonly name: string;
  /** A supervisor's children, in start order. */
  readonly children?: readonly TreeNode[];
  /** A container's mailbox capacity. */
  readonly mailboxCapacity?: number;
}

/** The first message of a stream: what the page draws before any sample. */
export interface DashboardHello {
  /** `live`: a running system; `replay`: a recorded event log (its events are in `events`). */
  readonly mode: 'live' | 'replay';
  /** What runs: the system file, or the replayed log. */
  readonly title: string;
  /** The supervision tree; a replay knows only the containers its events name. */
  readonly tree: TreeNode;
  /** The router queue's capacity. */
  readonly queueCapacity: number;
  /** True when the page holds the right token: the fault buttons work. */
  readonly canControl: boolean;
  /** How often the server sends a batch, ms. */
  readonly periodMs: number;
  /** A replay's recorded events, in order. */
  readonly events?: readonly WireEvent[];
}

/** One container in a batch. */
export interface ContainerSample {
  readonly name: string;
  /** Its lifecycle state: running, restarting, faulted, failed, stopped, … */
  readonly state: string;
  /** Messages waiting in its mailbox. */
  readonly mailbox: number;
  readonly restarts: number;
  readonly faults: number;
  readonly published: number;
  readonly delivered: number;
  readonly deadLettered: number;
  /** What its runtime last reported of itself (a bridge: `connected`, `reconnecting`, … and its counters). */
  readonly status?: RuntimeStatusSample;
}

/** A runtime's own state and counters (actors' `ContainerStatus`). */
export interface RuntimeStatusSample {
  readonly state: string;
  readonly counters: Readonly<Record<string, number>>;
}

/** A container publishing, and how fast (messages/s). */
interface PublisherRate {
  readonly name: string;
  readonly perSecond: number;
}

/** One topic in a batch: who publishes to it, who it reaches, and its rates. */
export interface TopicSample {
  readonly topic: string;
  /**
   * Who published to it within the rate window, busiest first: container names, or `system`
   * for publishes from outside every container.
   */
  readonly publishers: readonly PublisherRate[];
  /** Containers with a subscription matching the topic. */
  readonly subscribers: readonly string[];
  readonly publishedPerSecond: number;
  readonly deliveredPerSecond: number;
  readonly deadLetteredPerSecond: number;
}

/** Rates per second, averaged over the feed's rate window (the last second). */
interface Rates {
  readonly published: number;
  readonly delivered: number;
  readonly deadLettered: number;
}

/** What changed since the last batch; the server sends at most one per `periodMs`. */
export interface DashboardBatch {
  /** ms since the system started. */
  readonly time: number;
  /** System counters now. */
  readonly counters: {
    readonly published: number;
    readonly delivered: number;
    readonly deadLettered: number;
    readonly rejected: number;
    readonly queued: number;
    readonly inFlight: number;
  };
  readonly rates: Rates;
  /** Containers that published within the rate window (publishes from outside count as none). */
  readonly publishers: readonly PublisherRate[];
  readonly containers: readonly ContainerSample[];
  readonly topics: readonly TopicSample[];
  /** Lifecycle events, injected faults and dead letters since the last batch (capped). */
  readonly events: readonly WireEvent[];
  /** Events left out of `events` by the cap (counted, never silently lost). */
  readonly skippedEvents: number;
}

/** A fault button: what it does to which container or supervisor. */
export type ControlAction = 'throw' | 'hang' | 'kill' | 'restart' | 'crash';

/** The body of `POST /control`. */
export interface ControlRequest {
  readonly action: ControlAction;
  /** A container's name (throw, hang, kill, restart) or a supervisor's (crash). */
  readonly target: string;
}

/** The answer to an accepted control request. */
export interface ControlResult {
  readonly ok: true;
  /** What the injection did or armed, as the terminal prints it. */
  readonly detail: string;
}

/** The answer to a refused request. */
export interface ErrorBody {
  readonly ok: false;
  /** Stable code: `FORBIDDEN`, `BAD_REQUEST`, `NOT_FOUND`, … */
  readonly code: string;
  readonly error: string;
}

/** Every control action, and which node kind it applies to. */
export const controlActions: Readonly<Record<ControlAction, TreeNode['kind']>> = {
  throw: 'container',
  hang: 'container',
  kill: 'container',
  restart: 'container',
  crash: 'supervisor',
};
