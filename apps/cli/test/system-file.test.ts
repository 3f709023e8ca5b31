import { describe, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { fixture, runOcre } from './helpers.ts';

/** Run `ocre inspect` on a fixture; it must exit 2 and say why on stderr. */
async function rejected(expect: ExpectStatic, name: string): Promise<string> {
  const { code, stdout, stderr } = await runOcre(['inspect', fixture(name)]);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  return stderr;
}

describe.concurrent(
  'an invalid system file is refused with exit code 2 and a message naming the path',
  () => {
    it('unknown keys', async ({ expect }) => {
      expect(await rejected(expect, 'unknown-keys.yaml')).toMatchInlineSnapshot(`
        "ocre: invalid system file apps/cli/test/fixtures/unknown-keys.yaml (3 problems):
          messaging.topicMatch: unknown key; allowed here: queueCapacity, mailboxCapacity, topicMatching, limits
          containers[0].handlerTimout: unknown key; allowed here: name, restart, onFault, shutdownTimeoutMs, mailboxCapacity, handlerTimeoutMs, startTimeoutMs, module, export
          superviser: unknown key; allowed here: messaging, supervisor, wasmPool, containers, bridges, sensors, gpio
        Names are compared and module files loaded once these are fixed.
        "
      `);
    });

    it('wrong types', async ({ expect }) => {
      expect(await rejected(expect, 'wrong-types.yaml')).toMatchInlineSnapshot(`
        "ocre: invalid system file apps/cli/test/fixtures/wrong-types.yaml (8 problems):
          messaging.queueCapacity: expected an integer from 1 to 16777216, got "lots"
          supervisor.strategy: expected one of one-for-one, one-for-all, rest-for-one, got "one-for-none"
          supervisor.maxRestarts: expected an integer from 0 to 2147483647, got 2.5
          supervisor.backoff: expected a mapping like { minMs: 10, maxMs: 1000 }, got 10
          containers[0].restart: expected one of permanent, transient, temporary, got "sometimes"
          containers[1].name: expected a name, got a list
          containers[2]: expected a container entry with \`wasm: <file>\` or \`module: <file>\`, or a nested supervisor with \`supervisor:\` and \`containers:\`, got "just a string"
          containers[3]: has both wasm and module; an entry is exactly one of a wasm container, a module container or a supervisor
        Names are compared and module files loaded once these are fixed.
        "
      `);
    });

    it('bad bridges', async ({ expect }) => {
      expect(await rejected(expect, 'bad-bridges.yaml')).toMatchInlineSnapshot(`
        "ocre: invalid system file apps/cli/test/fixtures/bad-bridges.yaml (5 problems):
          bridges[0].mqtt: expected an mqtt:// or mqtts:// URL, got "http://127.0.0.1:1883"
          bridges[0].qos: expected 0 or 1, got 2
          bridges[1].outboxCapacity: expected an integer from 1 to 10000000, got 0
          bridges[1].outboxSync: expected "none" or "batch", got "always"
          bridges[1].color: unknown key; allowed here: name, mqtt, export, import, prefix, qos, retain, outboxCapacity, outboxFile, outboxSync, systemId, username, password, ca, cert, key
        Names are compared and module files loaded once these are fixed.
        "
      `);
    });

    it('bridge patterns the matching mode cannot subscribe to, duplicate bridge names', async ({
      expect,
    }) => {
      expect(await rejected(expect, 'bridge-patterns.yaml')).toMatchInlineSnapshot(`
        "ocre: invalid system file apps/cli/test/fixtures/bridge-patterns.yaml (3 problems):
          bridges[0].export[0]: Export pattern "sensors/#" uses MQTT wildcards, which a system in "exact" topic matching cannot subscribe to. Set messaging.topicMatching to "wildcard", or list the exact topics to export.
          bridges[1].name: "uplink" is already the name of another bridge; bridge names must be unique
          bridges[1].import[0]: expected an MQTT topic filter such as "sensors/#" or "commands/+" ("+" and "#" fill a whole level, "#" comes last), got "sensors/#/x"
        "
      `);
    });

    it('a missing TLS file of a bridge', async ({ expect }) => {
      expect(await rejected(expect, 'bridge-missing-ca.yaml')).toMatchInlineSnapshot(`
        "ocre: invalid system file apps/cli/test/fixtures/bridge-missing-ca.yaml (1 problem):
          bridges[0].ca: expected an existing file, got "./no-such-ca.pem" (no file at apps/cli/test/fixtures/no-such-ca.pem)
        "
      `);
    });

    it('a missing wasm file', async ({ expect }) => {
      expect(await rejected(expect, 'missing-wasm.yaml')).toMatchInlineSnapshot(`
      "ocre: invalid system file apps/cli/test/fixtures/missing-wasm.yaml (1 problem):
        containers[0].wasm: expected an existing file, got "./publisher.wasm" (no file at apps/cli/test/fixtures/publisher.wasm)
      "
    `);
    });

    it('duplicate names, nested supervisors included', async ({ expect }) => {
      expect(await rejected(expect, 'duplicate-names.yaml')).toMatchInlineSnapshot(`
      "ocre: invalid system file apps/cli/test/fixtures/duplicate-names.yaml (2 problems):
        containers[1].containers[0].name: "idle" is already used by containers[0].name; names must be unique in the system
        containers[1].containers[1].name: "root" is already used by the root supervisor (its default name); names must be unique in the system
      "
    `);
    });

    it('a negative or zero capacity', async ({ expect }) => {
      expect(await rejected(expect, 'negative-capacity.yaml')).toMatchInlineSnapshot(`
        "ocre: invalid system file apps/cli/test/fixtures/negative-capacity.yaml (2 problems):
          messaging.mailboxCapacity: expected an integer from 1 to 16777216, got -5
          containers[0].mailboxCapacity: expected an integer from 1 to 16777216, got 0
        Names are compared and module files loaded once these are fixed.
        "
      `);
    });

    it('YAML that does not parse', async ({ expect }) => {
      expect(await rejected(expect, 'not-yaml.yaml')).toMatchInlineSnapshot(`
      "ocre: invalid system file apps/cli/test/fixtures/not-yaml.yaml (2 problems):
        line 4, column 1: not valid YAML: Sequence item without - indicator
        line 5, column 1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]
      "
    `);
    });

    it('a module whose export is not a container', async ({ expect }) => {
      expect(await rejected(expect, 'bad-module.yaml')).toMatchInlineSnapshot(`
      "ocre: invalid system file apps/cli/test/fixtures/bad-module.yaml (2 problems):
        containers[0].module: expected the default export of apps/cli/test/fixtures/not-a-container.ts to be a container (defineContainer(…)) or a container definition ({ init, handlers }), got a number
        containers[1].module: expected the sensor export of apps/cli/test/fixtures/idle.ts to be a container (defineContainer(…)) or a container definition ({ init, handlers }), got nothing (no such export)
      "
    `);
    });

    it('a file that does not exist', async ({ expect }) => {
      expect(await rejected(expect, 'no-such-system.yaml')).toMatchInlineSnapshot(`
      "ocre: invalid system file apps/cli/test/fixtures/no-such-system.yaml (1 problem):
        the file does not exist
      "
    `);
    });

    it('the same problems stop `ocre run` before anything starts', async ({ expect }) => {
      const { code, stdout, stderr } = await runOcre(['run', fixture('negative-capacity.yaml')]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(
        'messaging.mailboxCapacity: expected an integer from 1 to 16777216, got -5',
      );
    });
  },
);
