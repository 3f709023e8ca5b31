// The router's own turns: a burst that keeps the router busy still lets the event loop run (timers, I/O), and loses nothing.
import { describe, it, expect } from 'vitest';
import { createOcreSystem, defineContainer } from '../src/index.ts';

describe('router turns', () => {
  it('a handler that keeps republishing does not starve the event loop, and every message arrives', async () => {
    const total = 5000;
    let handled = 0;
    // Each handled message publishes the next: every router turn schedules the next one.
    const relay = defineContainer({
      name: 'relay',
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_subscribe_message('relay', 'on_message');
      },
      handlers: {
        on_message(_message, ctx) {
          handled++;
          if (handled < total) ctx.api.ocre_publish_message('relay', 'text/plain', 'x', 1);
        },
      },
    });
    const system = createOcreSystem({ containers: [relay] });
    await system.start();
    expect(system.publish('relay', 'text/plain', 'x', 1).ok).toBe(true);
    // The relay chain runs on the router's turns; a macrotask queued now must get its turn
    // long before the chain ends, or timers and I/O would wait for the whole burst.
    const handledWhenTheLoopRan = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(handled)),
    );
    expect(handledWhenTheLoopRan).toBeGreaterThan(0);
    expect(handledWhenTheLoopRan).toBeLessThan(total);
    await system.settle();
    expect(handled).toBe(total);
    const { counters } = await system.stop();
    expect(counters).toMatchObject({ published: total, delivered: total, deadLettered: 0 });
  });
});
