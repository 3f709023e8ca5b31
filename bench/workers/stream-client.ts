// Owns the dashboard-attached scenario's SSE client: a stream reader in its own process, like an open browser tab, and counting the batches it saw.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * A stream reader in its own process, like a browser tab left open: started once per measuring
 * process (its start-up is not any round's cost), told on stdin which dashboard to follow
 * (`open <url>`: it prints `following` once the first batch arrived) and when to report
 * (`count`: it prints `batches <json>`, the arrival times in ms of the batches since the open).
 */
const clientScript = `
import { createInterface } from 'node:readline';
let controller;
let arrivals = [];
async function follow(url, signal) {
  const response = await fetch(url, { signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let announced = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const now = performance.now();
    for (const _ of decoder.decode(value).matchAll(/event: batch/g)) arrivals.push(now);
    if (!announced && arrivals.length > 0) { announced = true; console.log('following'); }
  }
}
for await (const line of createInterface({ input: process.stdin })) {
  const [command, url] = line.split(' ');
  if (command === 'open') {
    controller?.abort();
    controller = new AbortController();
    arrivals = [];
    follow(url, controller.signal).catch(() => {});
  } else if (command === 'count') {
    console.log('batches ' + JSON.stringify(arrivals));
  }
}
`;

/** The client process, and a way to talk to it. */
export interface StreamClient {
  readonly process: ChildProcessWithoutNullStreams;
  /** Send `command` and resolve with the next line that starts with `reply`. */
  ask(command: string, reply: string): Promise<string>;
}

/** Start the stream client process (it ends with this process: kill it when done). */
export function startStreamClient(): StreamClient {
  const child = spawn(process.execPath, ['--input-type=module', '-e', clientScript]);
  child.stdout.setEncoding('utf8');
  let buffered = '';
  const waiting: { reply: string; resolve: (line: string) => void }[] = [];
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const at = waiting.findIndex((w) => line.startsWith(w.reply));
      if (at >= 0) waiting.splice(at, 1)[0]?.resolve(line);
    }
  });
  return {
    process: child,
    ask(command, reply) {
      return new Promise((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the stream client exited (${code})`)));
        waiting.push({ reply, resolve });
        child.stdin.write(`${command}\n`);
      });
    },
  };
}

/** The most of `times` (ms, ascending) that fall within any window of 1000 ms. */
export function mostInOneSecond(times: readonly number[]): number {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
