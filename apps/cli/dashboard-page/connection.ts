// Owns the page's link to the server: the token from the URL, the event stream, and control requests.
import type {
  ControlAction,
  ControlResult,
  DashboardBatch,
  DashboardHello,
  ErrorBody,
} from '../src/dashboard/model/wire.ts';

/** The token the page was opened with, if any (no token: read-only). */
const token = new URLSearchParams(location.search).get('token') ?? '';

/** What the stream tells the page. */
export interface StreamHandlers {
  hello(hello: DashboardHello): void;
  batch(batch: DashboardBatch): void;
  connected(open: boolean): void;
}

/** Open the event stream; the browser reconnects by itself, and each reconnect starts with a hello. */
export function openStream(handlers: StreamHandlers): EventSource {
  const source = new EventSource(
    `/events${token === '' ? '' : `?token=${encodeURIComponent(token)}`}`,
  );
  source.addEventListener('hello', (event) =>
    handlers.hello(JSON.parse((event as MessageEvent<string>).data) as DashboardHello),
  );
  source.addEventListener('batch', (event) =>
    handlers.batch(JSON.parse((event as MessageEvent<string>).data) as DashboardBatch),
  );
  source.addEventListener('open', () => handlers.connected(true));
  source.addEventListener('error', () => handlers.connected(false));
  return source;
}

/** Ask the server to inject a fault; resolves to its answer either way. */
export async function sendControl(
  action: ControlAction,
  target: string,
): Promise<ControlResult | ErrorBody> {
  const response = await fetch('/control', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ocre-token': token },
    body: JSON.stringify({ action, target }),
  });
  return (await response.json()) as ControlResult | ErrorBody;
}
