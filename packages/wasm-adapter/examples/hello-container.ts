// Build a C container, run it supervised, publish to it from TypeScript, watch it, stop it.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcreSystem } from '@ocre-ts/actors';
import { buildContainer, wasmContainer } from '@ocre-ts/wasm-adapter';

// 1. Build: clang-14 --target=wasm32-wasi -O2 with messaging.h on the include path.
const { outFile } = await buildContainer(fileURLToPath(new URL('./hello.c', import.meta.url)), {
  outFile: join(tmpdir(), 'ocre-hello.wasm'),
});

// 2. Compose: the module is read, validated and compiled here, synchronously.
let greeted = 0;
let bothGreeted!: () => void;
const done = new Promise<void>((resolve) => (bothGreeted = resolve));
const system = createOcreSystem({
  containers: [wasmContainer({ name: 'hello', wasm: outFile, handlerTimeoutMs: 1000 })],
  onOutput: (container, _stream, line) => {
    console.log(`[${container}] ${line}`);
    if (++greeted === 2) bothGreeted();
  },
});

// 3. Observe: lifecycle, supervision and delivery events.
system.events$.subscribe((event) => {
  if (event.type.startsWith('container.')) console.log(`event: ${event.type}`);
});

// 4. Run: start resolves once main has reached its first ocre_sleep.
await system.start();
system.publish('greetings', 'text/plain', 'hello from TypeScript');
await done;
const { counters } = await system.stop();
console.log(`published ${counters.published}, delivered ${counters.delivered}`);
