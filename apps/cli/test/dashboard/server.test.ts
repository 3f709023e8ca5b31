// The dashboard server on a real loopback socket: the page, typed refusals (token, host, method, body), control requests, and the event stream with and without the token.
import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DashboardRequestError } from '../../src/errors.ts';
import { startDashboardServer } from '../../src/dashboard/server.ts';
import type { DashboardServer, DashboardServerOptions } from '../../src/dashboard/server.ts';
import { createToken, tokenMatches } from '../../src/dashboard/token.ts';
import type { DashboardHello } from '../../src/dashboard/model/wire.ts';

const token = 'the-right-token';
const hello = (canControl: boolean): DashboardHello => ({
  mode: 'live',
  title: 'test',
  tree: { kind: 'supervisor', name: 'root', children: [] },
  queueCapacity: 100,
  canControl,
  periodMs: 100,
  events: [],
});

let server: DashboardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: Partial<DashboardServerOptions> = {}): Promise<DashboardServer> {
  server = await startDashboardServer({
    host: '127.0.0.1',
    port: 0,
    token,
    page: { html: '<p>page</p>', js: 'js()', css: 'p{}' },
    hello,
    control: (r) => ({ ok: true, detail: `${r.action} ${r.target}` }),
    ...options,
  });
  return server;
}

interface Answer {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: string;
}

/** One HTTP request with full control of the headers (Host included). */
function send(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${path}`,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const control = (origin: string, body: string, headers: Record<string, string> = {}) =>
  send(origin, '/control', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ocre-token': token, ...headers },
    body,
  });

const code = (answer: Answer) =>
  `${answer.status} ${(JSON.parse(answer.body) as { code: string }).code}`;

describe('tokens', () => {
  it('match only the exact token, whatever the length of a wrong one', () => {
    const fresh = createToken();
    expect(fresh).toMatch(/^[\w-]{32}$/);
    expect(createToken()).not.toBe(fresh);
    expect(tokenMatches(fresh, fresh)).toBe(true);
    expect(tokenMatches(`${fresh}x`, fresh)).toBe(false);
    expect(tokenMatches(fresh.slice(1), fresh)).toBe(false);
    expect(tokenMatches('', fresh)).toBe(false);
    expect(tokenMatches(null, fresh)).toBe(false);
    expect(tokenMatches(undefined, fresh)).toBe(false);
  });
});

describe('the dashboard server', () => {
  it('binds to loopback on a free port and serves the page', async () => {
    const { origin, url } = await serve();
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).toBe(`${origin}/?token=${token}`);
    expect(await send(origin, '/')).toMatchObject({ status: 200, body: '<p>page</p>' });
    expect(await send(origin, '/app.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    });
    expect(await send(origin, '/app.css')).toMatchObject({ status: 200, body: 'p{}' });
  });

  it('refuses other hosts, unknown paths and methods with typed errors', async () => {
    const { origin } = await serve();
    const port = new URL(origin).port;
    expect(code(await send(origin, '/', { headers: { host: `evil.example:${port}` } }))).toBe(
      '421 MISDIRECTED',
    );
    expect((await send(origin, '/', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect(code(await send(origin, '/nope'))).toBe('404 NOT_FOUND');
    expect(code(await send(origin, '/control'))).toBe('405 METHOD_NOT_ALLOWED');
    expect(code(await send(origin, '/', { method: 'DELETE' }))).toBe('405 METHOD_NOT_ALLOWED');
  });

  it('runs a control request only with the token, from its own origin, with a sound body', async () => {
    const run = vi.fn((r: { action: string; target: string }) => ({
      ok: true as const,
      detail: `${r.action} ${r.target}`,
    }));
    const { origin } = await serve({ control: run });
    const body = JSON.stringify({ action: 'kill', target: 'logger' });
    expect(code(await control(origin, body, { 'x-ocre-token': '' }))).toBe('403 FORBIDDEN');
    expect(code(await control(origin, body, { 'x-ocre-token': 'the-wrong-token' }))).toBe(
      '403 FORBIDDEN',
    );
    expect(code(await control(origin, body, { origin: 'http://evil.example' }))).toBe(
      '403 FORBIDDEN',
    );
    expect(code(await control(origin, '{"action":'))).toBe('400 BAD_REQUEST');
    expect(JSON.parse((await control(origin, '{"action":"explode","target":"x"}')).body)).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      error: 'action: expected one of throw, hang, kill, restart, crash, got "explode"',
    });
    expect(code(await control(origin, '[1]'))).toBe('400 BAD_REQUEST');
    expect(
      code(await control(origin, JSON.stringify({ action: 'kill', target: 'x'.repeat(5000) }))),
    ).toBe('413 PAYLOAD_TOO_LARGE');
    expect(run).not.toHaveBeenCalled();

    const ok = await control(origin, body, { origin });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, detail: 'kill logger' });
    expect(run).toHaveBeenCalledExactlyOnceWith({ action: 'kill', target: 'logger' });
  });

  it('answers a refusal of the controls with its status, and an unexpected error with 500, and keeps serving', async () => {
    const reportError = vi.fn();
    let calls = 0;
    const { origin } = await serve({
      reportError,
      control: () => {
        calls++;
        if (calls === 1) throw new DashboardRequestError('NOT_FOUND', 'no container named "x"');
        throw new Error('boom');
      },
    });
    const body = JSON.stringify({ action: 'kill', target: 'x' });
    expect(code(await control(origin, body))).toBe('404 NOT_FOUND');
    expect(code(await control(origin, body))).toBe('500 INTERNAL');
    expect(reportError).toHaveBeenCalledOnce();
    expect((await send(origin, '/')).status).toBe(200);
  });

  it('streams a hello that says whether the page may act, then what is broadcast', async () => {
    const { origin } = await serve();
    const read = async (path: string) => {
      const controller = new AbortController();
      const response = await fetch(`${origin}${path}`, { signal: controller.signal });
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const until = async (pattern: RegExp) => {
        while (!pattern.test(text)) text += (await reader.read()).value ?? '';
        return text;
      };
      return { until, close: () => controller.abort() };
    };
    const viewer = await read('/events');
    expect(await viewer.until(/event: hello\ndata: .*\n\n/)).toContain('"canControl":false');
    const operator = await read(`/events?token=${token}`);
    expect(await operator.until(/event: hello\ndata: .*\n\n/)).toContain('"canControl":true');
    await vi.waitFor(() => expect(server?.clients).toBe(2));
    server?.broadcast('batch', { time: 1 });
    expect(await viewer.until(/event: batch/)).toContain('event: batch\ndata: {"time":1}\n\n');
    expect(await operator.until(/event: batch/)).toContain('event: batch\ndata: {"time":1}\n\n');
    viewer.close();
    operator.close();
    await vi.waitFor(() => expect(server?.clients).toBe(0));
  });

  it('says no to control on a replay', async () => {
    const { origin } = await serve({ control: undefined as never });
    expect(code(await control(origin, JSON.stringify({ action: 'kill', target: 'x' })))).toBe(
      '409 CONFLICT',
    );
  });
});
