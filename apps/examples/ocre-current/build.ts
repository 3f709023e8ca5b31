// Builds the ocre-current example's committed modules from its C sources, or with --check verifies they rebuild identically.
//
//   tsx apps/examples/ocre-current/build.ts          rebuild the .wasm files in place
//   tsx apps/examples/ocre-current/build.ts --check  build into a temp dir; exit 1 if anything differs
import { buildExample } from '../example-modules.ts';

await buildExample(new URL('.', import.meta.url), 'apps/examples/ocre-current', [
  { name: 'current-publisher', flags: ['-Wall', '-Wextra', '-Werror'] },
  { name: 'current-subscriber', flags: ['-Wall', '-Wextra', '-Werror'] },
  { name: 'seed-subscriber', flags: ['-Wall', '-Wextra'], seed: 'seed-subscriber.c' },
]);
