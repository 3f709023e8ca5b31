// Tests the SDK of Ocre's current API: ocre_api.h and sdk/src compile Ocre-style programs, link only when included, and import exactly Ocre's runtime signatures.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../src/toolchain/build.ts';
import { currentImportSignatures } from '../src/current-api/signatures.ts';
import { readSignatures } from './wasm-signatures.ts';

const sourceDir = fileURLToPath(new URL('c/', import.meta.url));
const strict = ['-Wall', '-Wextra', '-Werror'];
const timeout = 60_000;

let outDir = '';
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'ocre-current-sdk-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function build(name: string, options: { source?: string; currentSdk?: boolean } = {}) {
  const file =
    options.source === undefined ? join(sourceDir, `${name}.c`) : join(outDir, `${name}.c`);
  if (options.source !== undefined) await writeFile(file, options.source);
  const result = await buildContainer(file, {
    outFile: join(outDir, `${name}.wasm`),
    extraFlags: strict,
    ...(options.currentSdk === undefined ? {} : { currentSdk: options.currentSdk }),
  });
  const { imports, exports } = readSignatures(await readFile(result.outFile));
  const env = Object.fromEntries(
    [...imports].filter(([key]) => key.startsWith('env.')).map(([key, sig]) => [key.slice(4), sig]),
  );
  return { result, env, exports };
}

/** What Ocre's runtime registers for `name`. */
const ocre = (name: string): string => currentImportSignatures[name] ?? 'not an Ocre import';

describe('the current-API SDK', () => {
  it(
    'builds a timer-driven publisher written like Ocre’s, linking the SDK',
    { timeout },
    async () => {
      const { result, env, exports } = await build('current-publisher');
      expect(result.stderr).toBe('');
      expect(result.currentSdk).toBe(true);
      const used = [
        'ocre_timer_create',
        'ocre_timer_start',
        'ocre_publish_message',
        'ocre_get_event',
        'ocre_messaging_free_module_event_data',
        'ocre_sleep',
        'ocre_register_dispatcher',
      ];
      expect(env).toEqual(Object.fromEntries(used.map((name) => [name, ocre(name)])));
      // The host hands message data over with the module's own allocator.
      expect(exports.has('malloc') && exports.has('free')).toBe(true);
      expect(exports.get('ocre_sdk_dispatch_timer')).toBe('(i32) -> ()');
    },
  );

  it('builds a prefix subscriber written like Ocre’s', { timeout }, async () => {
    const { result, env } = await build('current-subscriber');
    expect(result.currentSdk).toBe(true);
    expect(env['ocre_subscribe_message']).toBe('(i32) -> i32');
    expect(Object.keys(env).sort()).toEqual(
      [
        'ocre_get_event',
        'ocre_messaging_free_module_event_data',
        'ocre_register_dispatcher',
        'ocre_sleep',
        'ocre_subscribe_message',
      ].sort(),
    );
  });

  it(
    'declares every host call with the signature Ocre’s runtime registers',
    { timeout },
    async () => {
      const { env } = await build('every-call', { source: everyCallSource });
      const expected = Object.keys(currentImportSignatures).filter(
        (name) => name !== 'ocre_sensors_get_list', // registered by Ocre's runtime, not declared by its SDK
      );
      expect(Object.keys(env).sort()).toEqual(expected.sort());
      for (const [name, signature] of Object.entries(env)) expect(signature, name).toBe(ocre(name));
    },
  );

  it('leaves the SDK out of a module that does not include ocre_api.h', { timeout }, async () => {
    const { result, exports } = await build('seed-publisher-plain', {
      source: '#include "messaging.h"\nint main(void) { ocre_msg_system_init(); return 0; }\n',
    });
    expect(result.currentSdk).toBe(false);
    expect(exports.has('malloc')).toBe(false);
    expect(exports.has('ocre_sdk_dispatch_message')).toBe(false);
  });

  it(
    'links the SDK on request when the include is in a header of the user’s',
    { timeout },
    async () => {
      await writeFile(join(outDir, 'app.h'), '#include <ocre_api.h>\n');
      const source = '#include "app.h"\nint main(void) { ocre_process_events(); return 0; }\n';
      const { result } = await build('indirect', { source, currentSdk: true });
      expect(result.currentSdk).toBe(true);
    },
  );
});

/** Calls every function ocre_api.h declares, so the module imports every host call. */
const everyCallSource = `#include <ocre_api.h>
#include <stdio.h>
static void tick(void) {}
static void pin(void) {}
static void message(const char *t, const char *c, const void *p, uint32_t n) { (void)t; (void)c; (void)p; (void)n; }
int main(void) {
  struct _ocre_posix_utsname name;
  int sum = uname(&name);
  sum += ocre_timer_create(1) + ocre_timer_start(1, 10, 1) + ocre_timer_get_remaining(1);
  sum += ocre_timer_stop(1) + ocre_timer_delete(1);
  sum += ocre_register_timer_callback(1, tick) + ocre_unregister_timer_callback(1);
  sum += ocre_register_gpio_callback(1, 0, pin) + ocre_unregister_gpio_callback(1, 0);
  sum += ocre_register_message_callback("a/", message) + ocre_unregister_message_callback("a/");
  sum += ocre_subscribe_message("a/") + ocre_publish_message("a/b", "text/plain", "x", 1);
  sum += ocre_gpio_init() + ocre_gpio_configure(0, 1, OCRE_GPIO_DIR_OUTPUT);
  sum += ocre_gpio_pin_set(0, 1, OCRE_GPIO_PIN_SET) + (int)ocre_gpio_pin_get(0, 1);
  sum += ocre_gpio_pin_toggle(0, 1) + ocre_gpio_register_callback(0, 1);
  sum += ocre_gpio_unregister_callback(0, 1) + ocre_gpio_configure_by_name("led", 1);
  sum += ocre_gpio_set_by_name("led", 1) + ocre_gpio_get_by_name("led");
  sum += ocre_gpio_toggle_by_name("led") + ocre_gpio_register_callback_by_name("led");
  sum += ocre_gpio_unregister_callback_by_name("led");
  sum += ocre_sensors_init() + ocre_sensors_discover() + ocre_sensors_open(0);
  sum += ocre_sensors_get_handle(0) + ocre_sensors_get_channel_count(0);
  sum += ocre_sensors_get_channel_type(0, 0) + (int)ocre_sensors_read(0, 0);
  sum += ocre_sensors_get_handle_by_name("rng") + ocre_sensors_open_by_name("rng");
  sum += ocre_sensors_get_channel_count_by_name("rng");
  sum += ocre_sensors_get_channel_type_by_name("rng", 0) + (int)ocre_sensors_read_by_name("rng", 0);
  ocre_msg_system_init();
  ocre_process_events();
  ocre_sleep(1);
  printf("%d\\n", sum);
  return 0;
}
`;
