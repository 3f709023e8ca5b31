// Two containers on a tiny in-memory router: the C-style facade (0 / -1) and its typed twin.
import {
  OcreError,
  createMessageIdCounter,
  createOcreFacade,
  createTopicIndex,
  defaultQueueCapacity,
  readJson,
} from '@ocre-ts/core';
import type { OcreMessage, OcreMessagingPort } from '@ocre-ts/core';

type Handler = (message: OcreMessage) => void;

// The router: one bounded FIFO queue, one id counter, one exact-match index of handlers.
const queue: OcreMessage[] = []; // at most defaultQueueCapacity (100, the Ocre default)
const ids = createMessageIdCounter(); // 0n, 1n, 2n, …
const index = createTopicIndex<Handler>('exact');

// Each container gets its own port; `handlers` are the functions it exports.
const portFor = (handlers: Record<string, Handler>): OcreMessagingPort => ({
  publish(topic, contentType, payload) {
    if (queue.length >= defaultQueueCapacity)
      return new OcreError('QUEUE_FULL', `queue full, "${topic}" dropped`);
    const mid = ids.next(); // taken only once the message is accepted, so ids stay dense
    queue.push({ mid, topic, contentType, payload, payloadLen: payload.length });
    return mid;
  },
  subscribe(topic, handlerName) {
    const handler = handlers[handlerName];
    if (handler !== undefined) index.add(topic, handler);
    return undefined;
  },
});

const exported: Record<string, Handler> = {
  temperature_handler: (msg) =>
    console.log(`got #${msg.mid} ${msg.topic} (${msg.payloadLen} bytes):`, readJson(msg)),
};
const hasHandler = (name: string) => name in exported;
const subscriber = createOcreFacade({ container: 'sub', port: portFor(exported), hasHandler });
const publisher = createOcreFacade({ container: 'pub', port: portFor({}) });

subscriber.ocre_msg_system_init();
publisher.ocre_msg_system_init();
const topic = 'sensors/temperature';
console.log('subscribe:', subscriber.ocre_subscribe_message(topic, 'temperature_handler'));

// The seed's payload, NUL terminator included, as C's strlen(payload) + 1 counts it.
const payload = '{"temperature": 22.5, "unit": "celsius"}\0';
const status = publisher.ocre_publish_message(topic, 'application/json', payload, payload.length);
console.log('publish:', status);
const failed = publisher.ocre_publish_message('', 'application/json', payload, payload.length);
console.log('publish to "":', failed, publisher.lastError()?.code);

// The typed twin returns the message id or the error instead of 0 / -1.
const typed = publisher.publish(topic, 'application/json', '{"temperature": 22.6}');
console.log('typed publish:', typed.ok ? `mid ${typed.value}` : typed.error.code);
const refused = subscriber.subscribe('sensors/humidity', 'humidity_handler');
console.log('typed subscribe:', refused.ok ? 'ok' : refused.error.code);

// Delivery: drain the queue in FIFO order, handing each message to every matching handler.
for (let message = queue.shift(); message !== undefined; message = queue.shift()) {
  for (const handler of index.match(message.topic)) handler(message);
}
