// Owns what a container cell needs from its system, and the small types and defaults cells and the router share.
import type { OcreLimits, TopicMatchingMode } from '@ocre-ts/core';
import type { Clock } from './clock.ts';
import type { Router } from './router.ts';
import type { SystemBus } from './system-bus.ts';

/** Everything a cell needs from its system. */
export interface CellEnvironment {
  readonly router: Router;
  readonly bus: SystemBus;
  readonly clock: Clock;
  readonly limits: OcreLimits;
  readonly mailboxCapacity: number;
  readonly onOutput: (container: string, stream: 'stdout' | 'stderr', line: string) => void;
  readonly onWarning: (message: string) => void;
  readonly topicMatching: TopicMatchingMode;
  readonly sharedQueue: SharedArrayBuffer | undefined;
  /** Free the shared queue's lock if the thread of `producerId` died holding it. */
  readonly releaseAbandonedLock?: (producerId: number) => boolean;
}

/** What the router hears when it offers a cell a message. */
export type AcceptVerdict = 'queued' | 'mailbox-full' | 'container-down' | 'shutdown';

/** Why mail of a container that is down becomes a dead letter. */
export type DownReason = 'container-down' | 'shutdown';

/** Default budget for an async handler to settle. */
export const defaultHandlerTimeoutMs = 5000;
/** Default budget for a graceful stop. */
export const defaultShutdownTimeoutMs = 5000;
