// Tests that the demo's plain status line and the run output show a bridge's state and counters.
import { describe, expect, it } from 'vitest';
import type { SystemMetrics } from '@ocre-ts/actors';
import { describeEvent } from '../src/event-lines.ts';
import { createPlainView } from '../src/status-view.ts';

const counters = { exported: 12, imported: 3, duplicates: 1, outboxed: 0, loops: 0 };
const sample: SystemMetrics = {
  time: 2000,
  counters: {
    published: 15,
    rejected: 0,
    delivered: 15,
    deadLettered: 0,
    queued: 0,
    inFlight: 0,
    containers: {},
    topics: {},
  },
  publishedPerSecond: 0,
  deliveredPerSecond: 0,
  containers: [
    {
      name: 'bridge:uplink',
      state: 'running',
      mailbox: 0,
      counters: {
        published: 3,
        delivered: 12,
        deadLettered: 0,
        rejected: 0,
        faults: 0,
        restarts: 0,
      },
      subscriptions: [],
      status: { state: 'connected', counters },
    },
  ],
};

describe('bridge status in the CLI', () => {
  it('puts the bridge state and counters on the plain status line', () => {
    let written = '';
    const stream = {
      write: (text: string) => ((written += text), true),
    } as unknown as NodeJS.WriteStream;
    const view = createPlainView({ title: 't', plannedMs: 5000, stream, everyMs: 1000 });
    view.update(sample);
    expect(written).toContain('bridge:uplink running/connected (0 restarts)');
    expect(written).toContain('bridge:uplink (12 exported, 3 imported, 1 duplicates, 0 outboxed)');
  });

  it('prints a line for each new bridge state', () => {
    expect(
      describeEvent({
        type: 'container.status',
        time: 1,
        container: 'bridge:uplink',
        state: 'reconnecting',
        counters,
      }),
    ).toBe('bridge:uplink reconnecting (12 exported, 3 imported, 1 duplicates, 0 outboxed)');
  });
});
