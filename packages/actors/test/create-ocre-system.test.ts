// The system end to end: a two-container system delivers, restarts a faulty handler and reports it all.
import { describe, expect, it } from 'vitest';
import { readText } from '@ocre-ts/core';
import type { OcreMessage } from '@ocre-ts/core';
import { createOcreSystem, defineContainer, VirtualClock } from '../src/index.ts';
import type { SystemEvent } from '../src/index.ts';

describe('a two-container system', () => {
  it('delivers, restarts a faulty handler and reports it all', async () => {
    const clock = new VirtualClock();
    const received: string[] = [];
    const output: string[] = [];
    const subscriber = defineContainer({
      name: 'subscriber',
      init(api) {
        api.ocre_msg_system_init();
        api.ocre_subscribe_message('sensors/temperature', 'temperature_handler');
      },
      handlers: {
        temperature_handler(message: OcreMessage, ctx) {
          const text = readText(message);
          if (text.includes('boom')) throw new Error('bad reading');
          received.push(text);
          ctx.log(`Payload: ${text}`);
        },
      },
    });
    const system = createOcreSystem({
      containers: [subscriber],
      clock,
      random: () => 0,
      onOutput: (name, _stream, line) => output.push(`[${name}] ${line}`),
    });
    const events: SystemEvent[] = [];
    system.events$.subscribe((event) => events.push(event));
    await system.start();
    expect(system.container('subscriber').state).toBe('running');

    expect(system.publish('sensors/temperature', 'text/plain', 'one').ok).toBe(true);
    expect(system.publish('sensors/temperature', 'text/plain', 'boom').ok).toBe(true);
    expect(system.publish('sensors/temperature', 'text/plain', 'two').ok).toBe(true);
    await system.settle();
    expect(system.container('subscriber').state).toBe('restarting');
    await clock.advance(10);
    await system.settle();
    expect(received).toEqual(['one', 'two']);
    expect(output).toEqual(['[subscriber] Payload: one', '[subscriber] Payload: two']);
    const stopped = await system.stop();
    expect(stopped.counters.published).toBe(3);
    expect(stopped.counters.delivered).toBe(2);
    expect(stopped.counters.deadLettered).toBe(1);
    expect(events.map((e) => e.type)).toEqual([
      'container.starting',
      'container.running',
      'message.dead-lettered',
      'container.faulted',
      'container.restarting',
      'container.starting',
      'container.running',
      'container.stopped',
      'system.stopped',
    ]);
  });
});

describe('start order', () => {
  it('starts children one after another, so a subscriber listed first hears the first publish', async () => {
    const heard: string[] = [];
    const order: string[] = [];
    const subscriber = defineContainer({
      name: 'subscriber',
      async init(api) {
        order.push('subscriber init begins');
        await Promise.resolve();
        api.ocre_msg_system_init();
        api.ocre_subscribe_message('greetings', 'on_greeting');
        order.push('subscriber init ends');
      },
      handlers: { on_greeting: (message) => void heard.push(readText(message)) },
    });
    const publisher = defineContainer({
      name: 'publisher',
      init(api) {
        order.push('publisher init');
        api.ocre_msg_system_init();
        api.ocre_publish_message('greetings', 'text/plain', 'hello', 5);
      },
    });
    const system = createOcreSystem({
      containers: [subscriber, publisher],
      onOutput: () => undefined,
    });
    await system.start();
    await system.settle();
    const { counters } = await system.stop();
    expect(order).toEqual(['subscriber init begins', 'subscriber init ends', 'publisher init']);
    expect(heard).toEqual(['hello']);
    expect(counters.deadLettered).toBe(0);
  });
});
