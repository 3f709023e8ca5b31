// Owns a live dashboard for one run: the tree and capacities from the system's options, the feed, the server, and the fault buttons wired to the run's injection.
import type { ChildSpec, OcreSystem, OcreSystemOptions } from '@ocre-ts/actors';
import { combineHooks } from '@ocre-ts/actors/testing';
import type { FaultInjection, FaultRecord } from '@ocre-ts/actors/testing';
import { faultEvent } from '../events-log.ts';
import type { FaultSource } from '../events-log.ts';
import { createControls } from './controls.ts';
import { DashboardFeed, defaultFeedLimits, toWireEvent } from './feed.ts';
import type { FeedLimits } from './feed.ts';
import { loadPageAssets } from './page-assets.ts';
import { startDashboardServer } from './server.ts';
import { createToken } from './token.ts';
import type { UiAddress } from './ui-address.ts';
import type { TreeNode } from './model/wire.ts';

/** The capacity of the router queue and of each mailbox when the options do not say (Ocre's). */
const ocreDefaultCapacity = 100;

/** Options of {@link openLiveDashboard}. */
export interface LiveDashboardOptions {
  /** The system's options, containers already wrapped by `injection`. */
  readonly system: OcreSystemOptions;
  /** The run's fault injection, applied with `{ live: true }`: the buttons go through it. */
  readonly injection: FaultInjection;
  /** What runs, for the page's title. */
  readonly title: string;
  readonly address: UiAddress;
  /** Batch bounds; default at most 10 batches a second. */
  readonly limits?: FeedLimits;
  /** Told of unexpected server errors. */
  readonly reportError: (error: unknown) => void;
}

/** A dashboard serving one run. */
export interface LiveDashboard {
  /** The options to create the system with: `system`, and a start hook that sets the feed's clock origin. */
  readonly options: OcreSystemOptions;
  /** `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string;
  /** Start watching the system (before it starts, to see every event). */
  attach(system: OcreSystem): void;
  /** Show a fired fault on the timeline. */
  recordFault(record: FaultRecord, source: FaultSource): void;
  /** Stop serving. */
  close(): Promise<void>;
}

/** The supervision tree of a system's options, with each container's mailbox capacity. */
export function treeOf(options: OcreSystemOptions): TreeNode {
  const mailbox = options.messaging?.mailboxCapacity ?? ocreDefaultCapacity;
  const node = (spec: ChildSpec): TreeNode =>
    spec.kind === 'container'
      ? { kind: 'container', name: spec.name, mailboxCapacity: spec.mailboxCapacity ?? mailbox }
      : { kind: 'supervisor', name: spec.name, children: spec.children.map(node) };
  return {
    kind: 'supervisor',
    name: options.supervisor?.name ?? 'root',
    children: options.containers.map(node),
  };
}

/**
 * Serve a live dashboard for a system about to be created from `options.system`; resolves once
 * the server listens.
 *
 * @throws Error when the address cannot be bound (in use, not permitted)
 */
export async function openLiveDashboard(options: LiveDashboardOptions): Promise<LiveDashboard> {
  const tree = treeOf(options.system);
  const limits = options.limits ?? defaultFeedLimits;
  let system: OcreSystem | undefined;
  let feed: DashboardFeed | undefined;
  const server = await startDashboardServer({
    ...options.address,
    token: createToken(),
    page: loadPageAssets(),
    hello: (canControl) => ({
      mode: 'live',
      title: options.title,
      tree,
      queueCapacity: options.system.messaging?.queueCapacity ?? ocreDefaultCapacity,
      canControl,
      periodMs: limits.periodMs,
      events: feed?.backlog() ?? [],
    }),
    control: createControls(
      options.injection,
      tree,
      () => system?.state === 'starting' || system?.state === 'running',
    ),
    reportError: options.reportError,
  });
  return {
    options: {
      ...options.system,
      hooks: combineHooks(options.system.hooks, {
        started: (controls) => feed?.startedAt(controls.clock.now()),
      }),
    },
    url: server.url,
    attach(created) {
      system = created;
      feed = new DashboardFeed(created, options.system.messaging?.topicMatching ?? 'exact', limits);
      feed.subscribe((batch) => server.broadcast('batch', batch));
    },
    recordFault(record, source) {
      feed?.record(toWireEvent(faultEvent(record, source)));
    },
    close: () => server.close(),
  };
}
