// Owns the list of scenarios, in run order; each loads only in the process that runs it.
import type { Scenario } from '../harness.ts';

/** A scenario by name, loaded on demand. */
export interface ScenarioEntry {
  readonly name: string;
  load(): Promise<Scenario>;
}

/** Every scenario, in the order a full run takes them. */
export const scenarioEntries: readonly ScenarioEntry[] = [
  { name: 'fanout-1x1', load: async () => (await import('./fanout-1x1.ts')).fanout1x1 },
  {
    name: 'dashboard-attached',
    load: async () => (await import('./dashboard-attached.ts')).dashboardAttached,
  },
  { name: 'fanout-1x10', load: async () => (await import('./fanout-1x10.ts')).fanout1x10 },
  {
    name: 'publish-outside',
    load: async () => (await import('./publish-outside.ts')).publishOutside,
  },
  { name: 'topic-index', load: async () => (await import('./topic-index.ts')).topicIndex },
  { name: 'wasm-to-wasm', load: async () => (await import('./wasm-to-wasm.ts')).wasmToWasm },
  { name: 'wasm-fanout', load: async () => (await import('./wasm-fanout.ts')).wasmFanout },
  { name: 'memory-idle', load: async () => (await import('./memory-idle.ts')).memoryIdle },
  { name: 'wasm-start', load: async () => (await import('./wasm-start.ts')).wasmStart },
  {
    name: 'restart-latency',
    load: async () => (await import('./restart-latency.ts')).restartLatency,
  },
  {
    name: 'bridge-throughput',
    load: async () => (await import('./bridge-throughput.ts')).bridgeThroughput,
  },
  {
    name: 'bridge-outbox-file',
    load: async () => (await import('./bridge-outbox-file.ts')).bridgeOutboxFile,
  },
  { name: 'start-100k', load: async () => (await import('./start-100k.ts')).start100k },
  { name: 'soak', load: async () => (await import('./soak.ts')).soak },
];
