// Owns the dashboard's HTTP server: the page, the Server-Sent Events stream, and the token-guarded control endpoint, answering only on its bound address.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardRequestError } from '../errors.ts';
import { parseControlRequest } from './controls.ts';
import type { PageAssets } from './page-assets.ts';
import { tokenMatches } from './token.ts';
import type { ControlRequest, ControlResult, DashboardHello, ErrorBody } from './model/wire.ts';

/** Options of {@link startDashboardServer}. */
export interface DashboardServerOptions {
  /** Address to bind; `127.0.0.1` unless the user asked otherwise. */
  readonly host: string;
  /** Port to bind; 0 for a free one. */
  readonly port: number;
  /** The control token. */
  readonly token: string;
  /** The page's HTML, script and styles. */
  readonly page: PageAssets;
  /** The first message of each stream; `canControl` says whether it came with the token. */
  readonly hello: (canControl: boolean) => DashboardHello;
  /** Carries out a control request (token already checked); absent for a replay. */
  readonly control?: (request: ControlRequest) => ControlResult;
  /** Told of an unexpected error while answering (the request gets a 500). */
  readonly reportError?: (error: unknown) => void;
}

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://host:port/?token=…`: the page with its controls. */
  readonly url: string;
  /** `http://host:port`. */
  readonly origin: string;
  /** Streams open now. */
  readonly clients: number;
  /** Send one event to every open stream; a stream whose client is behind skips it. */
  broadcast(event: string, data: unknown): void;
  /** Stop answering, end every stream. */
  close(): Promise<void>;
}

/** The largest control request body, bytes. */
const maxBodyBytes = 4096;

const securityHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The token rides in the URL: never send it on to anyone.
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
};

/**
 * Start the dashboard server on `host:port` and resolve once it listens.
 *
 * @throws Error from `listen` (address in use, not permitted) as node reports it
 */
export async function startDashboardServer(
  options: DashboardServerOptions,
): Promise<DashboardServer> {
  const streams = new Set<ServerResponse>();
  const behind = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  let origin = '';

  const server = createServer((request, response) => {
    try {
      answer(request, response);
    } catch (error) {
      fail(response, error);
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  function fail(response: ServerResponse, error: unknown): void {
    if (!(error instanceof DashboardRequestError)) options.reportError?.(error);
    const known = error instanceof DashboardRequestError;
    const body: ErrorBody = {
      ok: false,
      code: known ? error.code : 'INTERNAL',
      error: known ? error.message : 'unexpected error; see the terminal',
    };
    if (response.headersSent) {
      response.end();
      return;
    }
    response.writeHead(known ? error.status : 500, {
      ...securityHeaders,
      'content-type': 'application/json',
    });
    response.end(JSON.stringify(body));
  }

  function send(response: ServerResponse, type: string, body: string): void {
    response.writeHead(200, { ...securityHeaders, 'content-type': type });
    response.end(body);
  }

  function answer(request: IncomingMessage, response: ServerResponse): void {
    if (!allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      throw new DashboardRequestError(
        'MISDIRECTED',
        `this dashboard answers only at ${origin}; got Host ${JSON.stringify(request.headers.host)}`,
      );
    }
    const url = new URL(request.url ?? '/', origin);
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        return send(response, 'text/html; charset=utf-8', options.page.html);
      case 'GET /app.js':
        return send(response, 'text/javascript; charset=utf-8', options.page.js);
      case 'GET /app.css':
        return send(response, 'text/css; charset=utf-8', options.page.css);
      case 'GET /events':
        return openStream(response, tokenMatches(url.searchParams.get('token'), options.token));
      case 'POST /control':
        return control(request, response);
      default:
        if (['/', '/app.js', '/app.css', '/events', '/control'].includes(url.pathname)) {
          throw new DashboardRequestError(
            'METHOD_NOT_ALLOWED',
            `${request.method} is not allowed on ${url.pathname}`,
          );
        }
        throw new DashboardRequestError('NOT_FOUND', `nothing at ${url.pathname}`);
    }
  }

  function openStream(response: ServerResponse, canControl: boolean): void {
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    response.write(`retry: 1000\n\n`);
    response.write(frame('hello', options.hello(canControl)));
    streams.add(response);
    response.on('drain', () => behind.delete(response));
    response.on('close', () => {
      streams.delete(response);
      behind.delete(response);
    });
  }

  function control(request: IncomingMessage, response: ServerResponse): void {
    const given = request.headers['x-ocre-token'];
    if (!tokenMatches(Array.isArray(given) ? given[0] : given, options.token)) {
      throw new DashboardRequestError(
        'FORBIDDEN',
        'control needs the token: open the URL ocre printed (…/?token=…); this page is read-only',
      );
    }
    const from = request.headers.origin;
    if (from !== undefined && from !== origin) {
      throw new DashboardRequestError('FORBIDDEN', `requests from ${from} are not accepted`);
    }
    const run = options.control;
    if (run === undefined) {
      throw new DashboardRequestError('CONFLICT', 'a replay cannot inject faults');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes && !refused) {
        refused = true;
        fail(
          response,
          new DashboardRequestError(
            'PAYLOAD_TOO_LARGE',
            `a control body is at most ${maxBodyBytes} bytes`,
          ),
        );
        request.resume();
      } else if (!refused) chunks.push(chunk);
    });
    request.on('end', () => {
      if (refused) return;
      try {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new DashboardRequestError(
            'BAD_REQUEST',
            'the body is not JSON: send { action, target }',
          );
        }
        send(response, 'application/json', JSON.stringify(run(parseControlRequest(body))));
      } catch (error) {
        fail(response, error);
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.reportError?.(error));
  const { port, address, family } = server.address() as AddressInfo;
  const shown = family === 'IPv6' ? `[${address}]` : address;
  origin = `http://${shown}:${port}`;
  allowedHosts = new Set([`${shown}:${port}`]);
  if (address === '127.0.0.1' || address === '::1') allowedHosts.add(`localhost:${port}`);

  return {
    url: `${origin}/?token=${encodeURIComponent(options.token)}`,
    origin,
    get clients() {
      return streams.size;
    },
    broadcast(event, data) {
      if (streams.size === 0) return;
      const text = frame(event, data);
      for (const stream of streams) {
        if (behind.has(stream)) continue;
        if (!stream.write(text)) behind.add(stream);
      }
    },
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** One Server-Sent Events frame. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
