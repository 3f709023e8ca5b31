// A user's onOutput or onWarning hook that throws is reported through reportError, never thrown into the container or the runtime that called it.
import { describe, expect, it } from 'vitest';
import { defineContainer } from '../src/index.ts';
import { harness } from './fixtures.ts';

describe('output and warning hooks that throw', () => {
  it('are reported, and the handler that printed completes', async () => {
    const printer = defineContainer({
      name: 'printer',
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_msg_system_init(); // a second init: a warning
        api.ocre_subscribe_message('in', 'on_in');
      },
      handlers: { on_in: (message, ctx) => ctx.log(`got ${message.mid}`) },
    });
    const h = harness({
      containers: [printer],
      onOutput: () => {
        throw new Error('stdout closed');
      },
      onWarning: () => {
        throw new Error('stderr closed');
      },
    });
    await h.system.start();
    h.publish('in', 'x');
    await h.system.settle();
    expect(h.reported.map(({ error, where }) => `${where}: ${(error as Error).message}`)).toEqual([
      'the onWarning hook: stderr closed',
      'the onOutput hook: stdout closed',
    ]);
    const { counters } = await h.system.stop();
    expect(counters.containers['printer']).toMatchObject({ delivered: 1, faults: 0 });
  });
});
