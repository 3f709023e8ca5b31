// Owns what the bridge end-to-end tests share: a Mosquitto and `ocre` processes per test, killed and disposed after it, waiting for a line, and the printer fixture's numbers.
import { afterEach, expect, vi } from 'vitest';
import { startMosquitto } from '@ocre-ts/bridge-mqtt/testing';
import type { Mosquitto, MosquittoOptions } from '@ocre-ts/bridge-mqtt/testing';
import { startOcre } from './background.ts';
import type { BackgroundOcre } from './background.ts';

/** Starts brokers and `ocre` processes for the current test; after it, kills (SIGKILL) and disposes them. */
export function bridgeRunsPerTest() {
  const running: BackgroundOcre[] = [];
  const brokers: Mosquitto[] = [];
  afterEach(async () => {
    for (const process of running.splice(0)) process.signal('SIGKILL');
    for (const broker of brokers.splice(0)) await broker.dispose();
  });
  return {
    /** A Mosquitto of this test's own, on a free port. */
    startBroker: async (options?: MosquittoOptions): Promise<Mosquitto> => {
      const broker = await startMosquitto(options);
      brokers.push(broker);
      return broker;
    },
    /** `ocre <args>` in the background, with `env` added to its environment. */
    start: (args: readonly string[], env: Record<string, string> = {}): BackgroundOcre => {
      const process = startOcre(args, env);
      running.push(process);
      return process;
    },
  };
}

/** Wait until `what()` matches `pattern`. */
export const until = (what: () => string, pattern: RegExp, timeout = 20_000) =>
  vi.waitFor(() => expect(what()).toMatch(pattern), { timeout, interval: 50 });

/** The numbers the printer fixture printed, in order. */
export const printed = (stdout: string) =>
  [...stdout.matchAll(/^\[printer\] got (\d+)$/gm)].map((m) => Number(m[1]));
