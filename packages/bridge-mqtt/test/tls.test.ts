// Tests bridges over mqtts:// against a real Mosquitto with a TLS listener, a CA of the test's own, client certificates and a password file.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMosquitto } from '../src/testing/index.ts';
import type { Mosquitto } from '../src/testing/index.ts';
import type { BridgedSystem } from './systems.ts';
import { bridgedSystem } from './systems.ts';

let dir: string;
let broker: Mosquitto;
let url: string;
const systems: BridgedSystem[] = [];
const file = (name: string) => readFileSync(join(dir, name));

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=ocre-test-ca',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  const subjects: readonly (readonly [string, string])[] = [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=ocre-bridge'],
  ];
  for (const [name, subject] of subjects) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '1',
      ...(name === 'server' ? ['-extfile', 'server.ext'] : []),
    );
  }
  execFileSync('mosquitto_passwd', ['-b', '-c', join(dir, 'passwords'), 'ocre', 'secret'], {
    stdio: 'pipe',
  });
  // Mosquitto started as root reads these as its own user.
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocre-tls-'));
  makeCertificates();
  broker = await startMosquitto({
    anonymous: false,
    config: [
      `cafile ${join(dir, 'ca.crt')}`,
      `certfile ${join(dir, 'server.crt')}`,
      `keyfile ${join(dir, 'server.key')}`,
      'require_certificate true',
      `password_file ${join(dir, 'passwords')}`,
    ],
  });
  url = `mqtts://127.0.0.1:${broker.port}`;
}, 30_000);
// Each test's systems stop after it: the next test's bridges reuse their client ids.
afterEach(async () => {
  for (const s of systems.splice(0)) if (s.system.state === 'running') await s.system.stop();
});
afterAll(async () => {
  await broker.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('mqtts://', () => {
  // QoS 0 exports are written to the TLS socket by the bridge's own encoder, not by mqtt.js.
  it.each([1, 0] as const)(
    'bridges two systems at QoS %i with a CA, a client certificate and a user name and password',
    async (qos) => {
      const tls = { ca: file('ca.crt'), cert: file('client.crt'), key: file('client.key') };
      const credentials = { username: 'ocre', password: 'secret', tls };
      const a = await bridgedSystem({
        bridge: { url, systemId: 'a', export: ['s/#'], qos, ...credentials },
      });
      const b = await bridgedSystem({
        bridge: { url, systemId: 'b', import: ['s/#'], qos, ...credentials },
        record: ['s/#'],
      });
      systems.push(a, b);
      await vi.waitFor(() =>
        expect([a, b].map((s) => s.bridge.status().state)).toEqual(['connected', 'connected']),
      );
      a.publish('s/x', 'over TLS');
      await vi.waitFor(() => expect(b.received).toEqual(['s/x over TLS']));
    },
  );

  it('keeps reconnecting, and says why once, when the broker refuses its password', async () => {
    const tls = { ca: file('ca.crt'), cert: file('client.crt'), key: file('client.key') };
    const a = await bridgedSystem({
      bridge: { url, systemId: 'c', export: ['s/#'], username: 'ocre', password: 'wrong', tls },
    });
    systems.push(a);
    await vi.waitFor(() =>
      expect(a.output.some((line) => /Not authorized|Bad User Name or Password/i.test(line))).toBe(
        true,
      ),
    );
    expect(a.bridge.status().state).not.toBe('connected');
    a.publish('s/x', 'waits');
    await vi.waitFor(() => expect(a.bridge.status().counters.outboxed).toBe(1));
    expect(a.system.state).toBe('running');
  });
});
