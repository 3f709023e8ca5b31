// Tests the Mosquitto test harness itself: a stop right after the start really ends the broker.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startMosquitto } from '../src/testing/index.ts';

/** The error of a TCP connection to `port` on 127.0.0.1, or `connected`. */
const dial = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

describe('startMosquitto', () => {
  // Mosquitto 2.0 loses a SIGTERM that arrives as it finishes starting (right after the line the
  // harness waits for): a stop at that moment used to wait forever, with the broker running on.
  it('stops a broker the moment it started, every time: its port then refuses connections', async () => {
    for (let round = 0; round < 8; round++) {
      const broker = await startMosquitto();
      await broker.stop();
      expect(await dial(broker.port)).toBe('ECONNREFUSED');
      await broker.restart();
      await broker.dispose();
      expect(await dial(broker.port)).toBe('ECONNREFUSED');
    }
  }, 20_000);
});
