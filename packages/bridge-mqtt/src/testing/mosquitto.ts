// Owns running a real Mosquitto broker for tests and benchmarks: a free loopback port, a temporary config with persistence, stop, crash and restart.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `mosquitto` package installs the broker; override with `MOSQUITTO`. */
export const mosquittoPath = process.env['MOSQUITTO'] ?? '/usr/sbin/mosquitto';

/** Options of {@link startMosquitto}. */
export interface MosquittoOptions {
  /** Port to listen on; default a free one. Restarts keep the port. */
  readonly port?: number;
  /** Refuse clients without credentials (`allow_anonymous false`). Default true: anonymous allowed. */
  readonly anonymous?: boolean;
  /**
   * Extra config lines (e.g. `autosave_interval 1`, `max_queued_messages 100000`); they follow
   * the `listener` line, so listener options (`cafile`, `certfile`, `keyfile`) apply to it.
   */
  readonly config?: readonly string[];
  /** How long to wait for the broker to listen. Default 5000 ms. */
  readonly startTimeoutMs?: number;
  /** How long `stop`/`kill` wait for the exit before a SIGKILL and an error. Default 5000 ms. */
  readonly stopTimeoutMs?: number;
}

/** A running broker on 127.0.0.1. */
export interface Mosquitto {
  readonly port: number;
  /** `mqtt://127.0.0.1:<port>` (use `mqtts://` yourself for a TLS listener). */
  readonly url: string;
  /** The broker's log so far (stderr). */
  readonly log: () => string;
  /** The temporary directory holding the config and the database (put certificates here). */
  readonly dir: string;
  /**
   * SIGTERM (persistence is written) and wait for the exit, repeating the SIGTERM every 100 ms
   * (one sent as the broker finishes starting is lost).
   *
   * @throws Error when it has not exited after `stopTimeoutMs` (it is then SIGKILLed)
   */
  stop(): Promise<void>;
  /** SIGKILL: a crash; what was not yet saved is lost. */
  kill(): Promise<void>;
  /**
   * SIGSTOP: a hung broker. Connections stay open and nothing is answered (no CONNACK, PUBACK
   * or PINGRESP) until {@link Mosquitto.resume}. `stop`, `kill`, `restart` and `dispose` resume
   * it first.
   */
  pause(): void;
  /** SIGCONT: a paused broker carries on where it stopped. */
  resume(): void;
  /** Start again on the same port with the same config and persistence directory. */
  restart(): Promise<void>;
  /** Stop and delete the temporary directory. */
  dispose(): Promise<void>;
}

/**
 * How often a stop repeats its signal while the broker has not exited. Mosquitto 2.0 installs its
 * SIGTERM handler (which clears its `run` flag) before it logs `running` and only then sets
 * `run = 1`: a SIGTERM in between, as from a stop right after {@link startMosquitto} resolved, is
 * lost and the broker would run on forever.
 */
const resignalMs = 100;

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start `mosquitto` with a temporary config: `listener <port> 127.0.0.1`, `allow_anonymous true`,
 * persistence on in a temporary directory, logging to stderr.
 *
 * @throws Error when the broker does not listen within `startTimeoutMs` (its log is in the message)
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'ocre-mosquitto-'));
  // Started as root, mosquitto drops to its own user: it must be able to write here.
  chmodSync(dir, 0o777);
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(
    configFile,
    [
      `allow_anonymous ${options.anonymous === false ? 'false' : 'true'}`,
      'persistence true',
      `persistence_location ${dir}/`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      `listener ${port} 127.0.0.1`,
      ...(options.config ?? []),
      '',
    ].join('\n'),
  );
  let log = '';
  let child: ChildProcess | undefined;
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(mosquittoPath, ['-c', configFile], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = proc;
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(
          new Error(
            `mosquitto did not listen on ${port} within ${options.startTimeoutMs ?? 5000} ms:\n${log}`,
          ),
        );
      }, options.startTimeoutMs ?? 5000);
      proc.stderr?.setEncoding('utf8');
      proc.stderr?.on('data', (chunk: string) => {
        log += chunk;
        if (/mosquitto version .* running/.test(chunk)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`mosquitto exited with code ${code}:\n${log}`));
      });
    });
  const stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  const signal = async (name: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGCONT'); // a paused broker would not act on SIGTERM
    let exited = false;
    const exit = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        exited = true;
        resolve();
      });
    });
    const deadline = Date.now() + stopTimeoutMs;
    while (!exited) {
      if (Date.now() >= deadline) {
        proc.kill('SIGKILL');
        await exit;
        throw new Error(
          `mosquitto on ${port} did not exit within ${stopTimeoutMs} ms of ${name}; it was killed (SIGKILL), so its persistence may not be written:\n${log}`,
        );
      }
      proc.kill(name);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        exit,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, resignalMs))),
      ]);
      clearTimeout(timer);
    }
  };
  // A restart under way when the broker is disposed (a test timing out mid-restart) must not
  // leave a broker running: dispose waits for it, then stops whatever it started.
  let launching: Promise<void> = launch();
  await launching;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    log: () => log,
    dir,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    restart: async () => {
      await signal('SIGTERM');
      launching = launch();
      await launching;
    },
    dispose: async () => {
      await launching.catch(() => undefined);
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
