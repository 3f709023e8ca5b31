// Owns the dashboard's topic map source: a system tracer that counts messages per publisher and topic and remembers whom each topic last reached.
import type { SystemTracer } from '@ocre-ts/actors';

/** Counts per `publisher → topic` edge and the latest subscribers of each topic. */
export interface TopicTracer {
  /** Give this to the system as `hooks.tracer`. */
  readonly tracer: SystemTracer;
  /** Messages accepted per publisher, per topic, since the start. */
  readonly edges: ReadonlyMap<string, Map<string, number>>;
  /** The containers each topic was last routed to. */
  readonly routes: ReadonlyMap<string, readonly string[]>;
}

/**
 * A tracer for the topic map. It does one map update per accepted message and one per routed
 * message; everything else is the batcher's job, on its own timer.
 */
export function createTopicTracer(): TopicTracer {
  const edges = new Map<string, Map<string, number>>();
  const routes = new Map<string, readonly string[]>();
  const tracer: SystemTracer = {
    accepted(message, publisher) {
      let topics = edges.get(publisher);
      if (topics === undefined) edges.set(publisher, (topics = new Map<string, number>()));
      topics.set(message.topic, (topics.get(message.topic) ?? 0) + 1);
    },
    routed(message, subscribers) {
      routes.set(message.topic, subscribers);
    },
    delivered: () => undefined,
    supervisorStarted: () => undefined,
    restartDecided: () => undefined,
  };
  return { tracer, edges, routes };
}
