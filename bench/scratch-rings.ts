import { createOcreSystem } from '@ocre-ts/actors';
import { wasmContainer } from '@ocre-ts/wasm-adapter';
import { wasmModule } from './wasm.ts';
const lines: string[] = [];
let waiter: ((l: string) => void) | undefined;
const system = createOcreSystem({
  messaging: { queueCapacity: 4096, mailboxCapacity: 1 << 20, sharedQueue: true },
  containers: [
    wasmContainer({ name: 'subscriber', wasm: wasmModule('w2w-subscriber') }),
    wasmContainer({ name: 'publisher', wasm: wasmModule('w2w-publisher') }),
  ],
  onOutput: (_c, _s, line) => { lines.push(line); if (line.startsWith('w2w-received')) waiter?.(line); },
});
await system.start();
await new Promise((r) => setTimeout(r, 300));
for (let i = 0; i < 3; i++) {
  const done = new Promise<string>((r) => (waiter = r));
  const t = performance.now();
  system.publish('bench/w2w/go', 'text/plain', '100000 0');
  const line = await done;
  console.log(line, ((100000 / (performance.now() - t)) * 1000).toFixed(0), 'msgs/s wall');
}
await system.stop();
