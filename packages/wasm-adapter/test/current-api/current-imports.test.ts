// Tests the current-API imports on real linear memory: results, data handed over, and the hostile-ABI cases (bad offsets, unterminated strings, wrapping lengths → negative errno, never a host throw).
import { VirtualClock } from '@ocre-ts/actors';
import { resolveLimits } from '@ocre-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CurrentEventQueue,
  TimerTable,
  createCurrentImports,
  errno,
  maxSubscriptionTopicBytes,
  resourceType,
  utsnameBytes,
} from '../../src/current-api/index.ts';
import type { CurrentImportsOptions, GuestAllocator } from '../../src/current-api/index.ts';
import { GuestMemory } from '../../src/guest/guest-memory.ts';

const PAGE = 65536;
const EINVAL = -errno.EINVAL;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** One guest: a page of real linear memory, a bump allocator in its upper half, recorders. */
function setup(overrides: Partial<CurrentImportsOptions> = {}) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const guestMemory = new GuestMemory(memory);
  const bytes = () => new Uint8Array(memory.buffer);
  let bump = PAGE / 2;
  const frees: number[] = [];
  const allocator: GuestAllocator = {
    malloc: (size) => {
      const at = bump;
      bump += (size + 7) & ~7;
      return at;
    },
    free: (pointer) => void frees.push(pointer),
  };
  const published: [string, string, string][] = [];
  const subscribed: string[] = [];
  const errors: string[] = [];
  const undelivered: string[] = [];
  const events = new CurrentEventQueue(4);
  const timers = new TimerTable({ clock: new VirtualClock(), onFire: () => undefined });
  const guest = createCurrentImports({
    memory: () => guestMemory,
    allocator: () => allocator,
    exportedFunctions: new Set(['ocre_sdk_dispatch_message']),
    events,
    timers,
    messaging: {
      publish: (topic, contentType, payload) => {
        published.push([topic, contentType, new TextDecoder().decode(payload)]);
        return 0;
      },
      subscribe: (prefix) => (subscribed.push(prefix), 0),
    },
    sleep: () => 0,
    limits: resolveLimits({ maxTopicBytes: 100, maxPayloadBytes: 1000, maxSubscriptions: 3 }),
    onCallError: (_call, _result, reason) => errors.push(reason),
    onUndelivered: (_event, reason) => undelivered.push(reason),
    ...overrides,
  });
  /** Writes a NUL-terminated string at `at`; returns `at`. */
  const string = (at: number, text: string) => {
    bytes().set([...utf8(text), 0], at);
    return at;
  };
  return {
    memory,
    bytes,
    guest,
    env: guest.imports,
    string,
    published,
    subscribed,
    errors,
    undelivered,
    events,
    frees,
  };
}

const message = (topic: string, payload: string) => ({
  type: resourceType.MESSAGE,
  mid: 2 ** 32 + 5, // the system's id is wider than ocre_msg_t.mid: cut to uint32
  topic: utf8(topic),
  contentType: utf8('text/plain'),
  payload: utf8(payload),
});

describe('ocre_publish_message', () => {
  it('publishes the bytes the guest points at and passes on the system’s verdict', () => {
    const { env, string, published } = setup();
    const topic = string(100, 'test/a');
    const type = string(200, 'text/plain');
    const payload = string(300, 'hello');
    expect(env.ocre_publish_message(topic, type, payload, 6)).toBe(0);
    expect(published).toEqual([['test/a', 'text/plain', 'hello\0']]);
    const none = setup({ messaging: { publish: () => -errno.ENOENT, subscribe: () => 0 } });
    expect(none.env.ocre_publish_message(none.string(1, 't'), none.string(9, 'c'), 9, 1)).toBe(
      -errno.ENOENT,
    );
  });

  it('refuses every hostile argument with -EINVAL and publishes nothing', () => {
    const { env, string, bytes, published, errors } = setup();
    const topic = string(100, 'test/a');
    const type = string(200, 'text/plain');
    const payload = string(300, 'hello');
    string(400, ''); // an empty string
    bytes().set([0xc3, 0x28, 0], 500); // not UTF-8
    string(600, 'x'.repeat(101)); // over maxTopicBytes
    bytes().fill(0x41, PAGE - 10, PAGE); // runs to the end of memory without a NUL
    const cases: [string, number, number, number, number][] = [
      ['NULL topic', 0, type, payload, 5],
      ['topic outside memory', PAGE + 10, type, payload, 5],
      ['topic at or above 2 GiB (negative i32)', -16, type, payload, 5],
      ['unterminated topic', PAGE - 10, type, payload, 5],
      ['empty topic', 400, type, payload, 5],
      ['topic not UTF-8', 500, type, payload, 5],
      ['topic too long', 600, type, payload, 5],
      ['NULL content type', topic, 0, payload, 5],
      ['empty content type', topic, 400, payload, 5],
      ['NULL payload', topic, type, 0, 5],
      ['payload_len 0', topic, type, payload, 0],
      ['payload_len at or above 2^31 (negative i32)', topic, type, payload, -1],
      ['payload_len over maxPayloadBytes', topic, type, payload, 1001],
      ['payload running past the end of memory', topic, type, PAGE - 4, 8],
      ['payload pointer + length wrapping past 2^32', topic, type, -4, 8],
    ];
    for (const [name, ...args] of cases)
      expect(env.ocre_publish_message(...args), name).toBe(EINVAL);
    expect(published).toEqual([]);
    expect(errors).toHaveLength(cases.length);
    expect(errors[3]).toMatch(
      /^ocre_publish_message: topic string at 0x0000fff6 is not NUL-terminated/,
    );
  });

  it('turns a host bug into -EINVAL instead of a trap', () => {
    const { env, string, errors } = setup({
      messaging: {
        publish: () => {
          throw new TypeError('boom');
        },
        subscribe: () => 0,
      },
    });
    expect(env.ocre_publish_message(string(1, 't'), string(9, 'c'), 9, 1)).toBe(EINVAL);
    expect(errors).toEqual(['ocre_publish_message: internal host error: TypeError: boom']);
  });
});

describe('ocre_subscribe_message', () => {
  it('records a prefix once, cut to Ocre’s 63 bytes on a character boundary', () => {
    const { env, string, subscribed, guest } = setup();
    expect(env.ocre_subscribe_message(string(10, 'test/'))).toBe(0);
    expect(env.ocre_subscribe_message(string(10, 'test/'))).toBe(0);
    const long = `${'a'.repeat(62)}é-and-more`; // é is 2 bytes, straddling byte 63
    expect(env.ocre_subscribe_message(string(100, long))).toBe(0);
    expect(subscribed).toEqual(['test/', 'a'.repeat(62)]);
    expect(maxSubscriptionTopicBytes).toBe(63);
    expect([...guest.subscriptions]).toEqual(subscribed);
  });

  it('answers -ENOMEM when the container’s table is full, -EINVAL for a bad pointer', () => {
    const { env, string, subscribed } = setup();
    for (const topic of ['a', 'b', 'c'])
      expect(env.ocre_subscribe_message(string(10, topic))).toBe(0);
    expect(env.ocre_subscribe_message(string(10, 'd'))).toBe(-errno.ENOMEM);
    expect(env.ocre_subscribe_message(string(10, 'a'))).toBe(0); // already held
    expect([env.ocre_subscribe_message(0), env.ocre_subscribe_message(-1)]).toEqual([
      EINVAL,
      EINVAL,
    ]);
    expect(subscribed).toEqual(['a', 'b', 'c']);
  });
});

describe('ocre_get_event and ocre_messaging_free_module_event_data', () => {
  const fields = [1000, 1004, 1008, 1012, 1016, 1020] as const;
  const read = (memory: WebAssembly.Memory) => {
    const view = new DataView(memory.buffer);
    return fields.map((at) => view.getUint32(at, true));
  };

  it('answers -ENOMSG when nothing is pending, and writes a timer event’s fields', () => {
    const { env, events, memory } = setup();
    expect(env.ocre_get_event(...fields)).toBe(-errno.ENOMSG);
    events.push({ type: resourceType.TIMER, timerId: 3 });
    expect(env.ocre_get_event(...fields)).toBe(0);
    expect(read(memory)).toEqual([resourceType.TIMER, 3, 0, 0, 0, 0]);
  });

  it('hands a message over in one guest allocation, freed only with the pointers it gave', () => {
    const { env, events, memory, bytes, frees } = setup();
    events.push(message('test/a', 'payload!'));
    expect(env.ocre_get_event(...fields)).toBe(0);
    const [type, id, topic = 0, contentType = 0, payload = 0, length] = read(memory);
    expect([type, id, length]).toEqual([resourceType.MESSAGE, 5, 8]);
    const text = (at: number, n: number) => new TextDecoder().decode(bytes().subarray(at, at + n));
    expect([text(topic, 7), text(contentType, 11), text(payload, 8)]).toEqual([
      'test/a\0',
      'text/plain\0',
      'payload!',
    ]);
    expect(env.ocre_messaging_free_module_event_data(topic, contentType, payload + 1)).toBe(EINVAL);
    expect(env.ocre_messaging_free_module_event_data(topic, contentType, payload)).toBe(0);
    expect(frees).toEqual([payload]);
    expect(env.ocre_messaging_free_module_event_data(topic, contentType, payload)).toBe(EINVAL);
    expect(env.ocre_messaging_free_module_event_data(0, 0, 0)).toBe(EINVAL);
  });

  it('refuses bad field addresses with -EINVAL and keeps the event for a good call', () => {
    const { env, events } = setup();
    events.push({ type: resourceType.TIMER, timerId: 1 });
    const bad = [0, PAGE, PAGE - 3, -4, 2 ** 31];
    for (const address of bad) {
      expect(env.ocre_get_event(1000, 1004, address, 1012, 1016, 1020), String(address)).toBe(
        EINVAL,
      );
    }
    expect(events.size).toBe(1);
    expect(env.ocre_get_event(...fields)).toBe(0);
  });

  it('reports a message it cannot place (no allocator, malloc NULL or out of range) as undelivered', () => {
    const cases: [string, () => GuestAllocator | undefined][] = [
      ['no allocator', () => undefined],
      ['NULL', () => ({ malloc: () => 0, free: () => undefined })],
      ['outside memory', () => ({ malloc: () => PAGE - 2, free: () => undefined })],
    ];
    for (const [name, allocator] of cases) {
      const { env, events, undelivered } = setup({ allocator });
      events.push(message('t', 'p'));
      expect(env.ocre_get_event(...fields), name).toBe(-errno.ENOMEM);
      expect(undelivered, name).toHaveLength(1);
      expect(events.size).toBe(0);
    }
  });

  it('lets a trap in the guest’s own malloc propagate as the guest’s fault', () => {
    const trap = new WebAssembly.RuntimeError('unreachable');
    const { env, events } = setup({
      allocator: () => ({
        malloc: () => {
          throw trap;
        },
        free: () => undefined,
      }),
    });
    events.push(message('t', 'p'));
    expect(() => env.ocre_get_event(...fields)).toThrow(trap);
  });
});

describe('ocre_register_dispatcher, uname, timers', () => {
  it('accepts an exported function for a known resource type only', () => {
    const { env, string, guest } = setup();
    const name = string(10, 'ocre_sdk_dispatch_message');
    expect(env.ocre_register_dispatcher(resourceType.MESSAGE, name)).toBe(0);
    expect(guest.dispatchers.get(resourceType.MESSAGE)).toBe('ocre_sdk_dispatch_message');
    expect(env.ocre_register_dispatcher(4, name)).toBe(EINVAL);
    expect(env.ocre_register_dispatcher(-1, name)).toBe(EINVAL);
    expect(env.ocre_register_dispatcher(0, string(100, 'not_exported'))).toBe(EINVAL);
    expect(env.ocre_register_dispatcher(0, 0)).toBe(EINVAL);
    expect(env.ocre_register_dispatcher(0, PAGE * 2)).toBe(EINVAL);
  });

  it('fills Ocre’s utsname, and refuses a struct that does not fit with -1', () => {
    const { env, bytes } = setup();
    expect(env.uname(2000)).toBe(0);
    const field = (index: number) => {
      const start = 2000 + index * 65;
      const raw = bytes().subarray(start, start + 65);
      return new TextDecoder().decode(raw.subarray(0, raw.indexOf(0)));
    };
    expect([field(0), field(4)]).toEqual(['ocre-ts', 'wasm32']);
    expect(env.uname(PAGE - utsnameBytes + 1)).toBe(-1);
    expect(env.uname(0)).toBe(-1);
    expect(env.uname(-100)).toBe(-1);
  });

  it('routes the timer calls to the container’s table', () => {
    const { env } = setup();
    expect(env.ocre_timer_create(1)).toBe(0);
    expect(env.ocre_timer_create(1)).toBe(-errno.EBUSY);
    expect(env.ocre_timer_start(1, 500, 1)).toBe(0);
    expect(env.ocre_timer_get_remaining(1)).toBe(500);
    expect(env.ocre_timer_stop(1)).toBe(0);
    expect(env.ocre_timer_delete(1)).toBe(0);
    expect(env.ocre_timer_delete(99)).toBe(EINVAL);
  });
});

describe('any arguments at all', () => {
  it('get 0 or a negative result, never a host exception (property)', () => {
    const i32 = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.integer({ min: -8, max: PAGE + 8 }),
    );
    fc.assert(
      fc.property(
        fc.array(i32, { minLength: 6, maxLength: 6 }),
        fc.uint8Array({ maxLength: 64 }),
        (args, junk) => {
          const { env, bytes, events } = setup();
          bytes().set(junk, Math.abs(args[0] ?? 0) % (PAGE - 64));
          events.push(message('t', 'p'));
          const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = args;
          const results = [
            env.ocre_get_event(a, b, c, d, e, f),
            env.ocre_publish_message(a, b, c, d),
            env.ocre_subscribe_message(a),
            env.ocre_register_dispatcher(a, b),
            env.ocre_messaging_free_module_event_data(a, b, c),
            env.ocre_timer_create(a),
            env.ocre_timer_start(a, b, c),
            env.uname(a),
          ];
          for (const result of results) expect(Number.isInteger(result) && result <= 0).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
