// Builds the temperature example's committed modules from its C sources, or with --check verifies they rebuild identically.
//
//   tsx apps/examples/temperature/build.ts          rebuild the .wasm files in place
//   tsx apps/examples/temperature/build.ts --check  build into a temp dir; exit 1 if anything differs
import { buildExample } from '../example-modules.ts';

await buildExample(new URL('.', import.meta.url), 'apps/examples/temperature', [
  { name: 'publisher', flags: ['-Wall', '-Wextra'], seed: 'seed-publisher.c' },
  { name: 'subscriber', flags: ['-Wall', '-Wextra'], seed: 'seed-subscriber.c' },
  { name: 'flaky-sensor', flags: ['-Wall', '-Wextra', '-Werror'] },
]);
