// Owns the message counters that prove the no-loss invariant, system-wide, per container and per topic, and the per-container report that carries them.

/** Counts for one container (as a subscriber and as a publisher). */
export interface ContainerCounters {
  /** Messages this container published that were accepted. */
  published: number;
  /** Publishes of this container that were refused. */
  rejected: number;
  /** Messages whose handler ran to completion here. */
  delivered: number;
  /** Messages meant for this container that became dead letters. */
  deadLettered: number;
  /** Handler faults, start faults and runtime faults. */
  faults: number;
  /** Restarts of this container. */
  restarts: number;
}

/** Counts for one topic. */
export interface TopicCounters {
  published: number;
  delivered: number;
  deadLettered: number;
  /**
   * Accepted publishes on this topic by publisher: a container's name, or `system` for a
   * publish from outside every container (`system.publish`). They add up to `published`.
   */
  publishers: Record<string, number>;
}

/**
 * The system's counters. Invariant once the system is idle: every accepted message is
 * either handled by each matching subscriber or a dead letter, so
 * `published === routed + noSubscriber` and `routedDeliveries === delivered + deadLettered - noSubscriber`.
 */
export interface SystemCounters {
  /** Accepted publishes (each took a message id). */
  published: number;
  /** Refused publishes (validation, queue full, shutting down). */
  rejected: number;
  /** Handler completions (one message to N subscribers counts N). */
  delivered: number;
  /** Dead letters (one per message and subscriber, or one for no subscriber). */
  deadLettered: number;
  /** Messages still in the router queue. */
  queued: number;
  /** Messages in mailboxes, being handled, or held back by a delivery hook (fault injection). */
  inFlight: number;
  /** Per container, by name. */
  containers: Record<string, ContainerCounters>;
  /** Per topic. */
  topics: Record<string, TopicCounters>;
}

/** A fresh zeroed counter record for one container. */
export function createContainerCounters(): ContainerCounters {
  return { published: 0, rejected: 0, delivered: 0, deadLettered: 0, faults: 0, restarts: 0 };
}

/** What a container's runtime last reported of itself (`RuntimeHost.status`). */
export interface ContainerStatus {
  readonly state: string;
  readonly counters: Readonly<Record<string, number>>;
}

/** One container as the system reports it. */
export interface ContainerInfo {
  readonly name: string;
  readonly state: string;
  readonly mailbox: number;
  readonly counters: ContainerCounters;
  readonly subscriptions: readonly { pattern: string; handler: string }[];
  readonly lastError?: string;
  /** The runtime's own state and counters, when it reports any (bridges do). */
  readonly status?: ContainerStatus;
}
