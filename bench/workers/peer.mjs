// Owns one side of the plain-worker baselines of wasm-to-wasm: a sender or a receiver thread, talking by postMessage or by one Atomics wake-up per message.
//
// Times are process.hrtime.bigint() (one monotonic clock for every thread) minus workerData.base,
// in nanoseconds.
import { parentPort, workerData } from 'node:worker_threads';

const { role, base } = workerData;
const now = () => Number(process.hrtime.bigint() - base);
const payload = new Uint8Array(16).fill(7);

/** Busy-wait until `due` (ns); the sender has a core of its own, like the C publisher. */
function waitUntil(due) {
  while (now() < due);
}

function send({ kind, port, shared, count, rate }) {
  const interval = rate > 0 ? 1e9 / rate : 0;
  const start = now();
  if (kind === 'postMessage') {
    for (let i = 0; i < count; i++) {
      if (interval > 0) waitUntil(start + i * interval);
      port.postMessage({
        topic: 'bench/w2w',
        contentType: 'application/octet-stream',
        payload,
        sentAt: now(),
      });
    }
  } else {
    const sequence = new Int32Array(shared, 0, 1);
    const sentAt = new Float64Array(shared, 8, 1);
    for (let i = 0; i < count; i++) {
      waitUntil(start + i * interval);
      sentAt[0] = now();
      Atomics.store(sequence, 0, i + 1);
      Atomics.notify(sequence, 0);
    }
  }
  parentPort.postMessage({ startedAt: start, finishedAt: now() });
}

function receive({ kind, port, shared, count }) {
  const latencies = new Float64Array(count);
  let received = 0;
  let firstAt = 0;
  const done = () => {
    parentPort.postMessage({ firstAt, lastAt: now(), received, latencies }, [latencies.buffer]);
    port?.close();
  };
  if (kind === 'postMessage') {
    port.on('message', (message) => {
      const at = now();
      if (received === 0) firstAt = at;
      latencies[received++] = at - message.sentAt;
      if (received === count) done();
    });
    return;
  }
  const sequence = new Int32Array(shared, 0, 1);
  const sentAt = new Float64Array(shared, 8, 1);
  let seen = 0;
  while (seen < count) {
    Atomics.wait(sequence, 0, seen);
    const current = Atomics.load(sequence, 0);
    if (current === seen) continue;
    const at = now();
    if (received === 0) firstAt = at;
    latencies[received++] = at - sentAt[0];
    seen = current;
  }
  done();
}

parentPort.once('message', (task) => (role === 'sender' ? send(task) : receive(task)));
