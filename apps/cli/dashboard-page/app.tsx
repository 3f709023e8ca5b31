// Owns the dashboard page: live (a stream of batches) or replay (a recorded run and a time slider), and the panels it lays out.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  applyBatch,
  applyEvent,
  createViewState,
  replayView,
} from '../src/dashboard/model/view-state.ts';
import type { ViewState } from '../src/dashboard/model/view-state.ts';
import type { ControlAction, DashboardHello } from '../src/dashboard/model/wire.ts';
import { openStream, sendControl } from './connection.ts';
import { DeadLetters, Fill, Timeline, TopicMap } from './panels.tsx';
import { RateChart } from './rate-chart.tsx';
import { TreeView } from './tree-view.tsx';

function Panel(props: { readonly title: string; readonly id: string; readonly children: unknown }) {
  return (
    <section class="panel" id={props.id}>
      <h2>{props.title}</h2>
      {props.children as never}
    </section>
  );
}

function Layout(props: {
  readonly view: ViewState;
  readonly version: number;
  readonly onControl: ((action: ControlAction, target: string) => void) | null;
}) {
  const { view, version, onControl } = props;
  return (
    <main class="grid">
      <Panel title="Supervision tree" id="tree">
        <TreeView view={view} onControl={onControl} />
      </Panel>
      <Panel title="Rates over time" id="rates">
        <RateChart
          rates={view.rates}
          version={version}
          deadLettersOnly={view.hello.mode === 'replay'}
        />
      </Panel>
      <Panel title="Topic map" id="topics">
        <TopicMap view={view} />
      </Panel>
      <Panel title="Queue and mailboxes" id="fill">
        <Fill view={view} />
      </Panel>
      <Panel title="Timeline" id="timeline">
        <Timeline view={view} />
      </Panel>
      <Panel title="Dead letters" id="dead-letters">
        <DeadLetters view={view} />
      </Panel>
    </main>
  );
}

function Live(props: {
  readonly view: ViewState;
  readonly version: number;
  readonly connected: boolean;
}) {
  const { view: v, version, connected } = props;
  const { hello } = v;
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const onControl = hello.canControl
    ? (action: ControlAction, target: string) => {
        void sendControl(action, target).then(
          (answer) =>
            setMessage(
              answer.ok ? { text: answer.detail, ok: true } : { text: answer.error, ok: false },
            ),
          (error: unknown) => setMessage({ text: String(error), ok: false }),
        );
      }
    : null;
  const c = v.counters;
  return (
    <div>
      <header>
        <h1>ocre · {hello.title}</h1>
        <span class={`badge ${v.stopped ? 'stopped' : connected ? 'live' : 'offline'}`} id="status">
          {v.stopped
            ? v.stopped.failed
              ? 'failed'
              : 'stopped'
            : connected
              ? 'live'
              : 'reconnecting'}
        </span>
        {hello.canControl ? null : (
          <span class="badge readonly" id="read-only">
            read-only
          </span>
        )}
        <span class="counters">
          {c === undefined
            ? ''
            : `${(v.time / 1000).toFixed(1)} s · published ${c.published} · delivered ${c.delivered} · dead letters ${c.deadLettered} · rejected ${c.rejected}`}
        </span>
      </header>
      {message === null ? null : (
        <p class={`message ${message.ok ? 'ok' : 'error'}`} id="control-message">
          {message.text}
        </p>
      )}
      <Layout view={v} version={version} onControl={onControl} />
    </div>
  );
}

function Replay({ hello }: { readonly hello: DashboardHello }) {
  const events = hello.events ?? [];
  const end = events.length === 0 ? 0 : (events[events.length - 1]?.time ?? 0);
  const [at, setAt] = useState(end);
  const view = useMemo(() => replayView(hello, at), [hello, at]);
  return (
    <div>
      <header>
        <h1>ocre · replay of {hello.title}</h1>
        <span class="badge replay">replay</span>
        <label class="slider">
          <input
            id="time-slider"
            type="range"
            min={0}
            max={Math.ceil(end)}
            step={Math.max(1, Math.round(end / 1000))}
            value={at}
            onInput={(e) => setAt(Number((e.target as HTMLInputElement).value))}
          />
          <span id="time-label">
            {(at / 1000).toFixed(2)} s / {(end / 1000).toFixed(2)} s
          </span>
        </label>
      </header>
      <Layout view={view} version={at} onControl={null} />
    </div>
  );
}

/** The page: waits for the stream's hello, then shows the live view or the replay. */
export function App() {
  const view = useRef<ViewState | null>(null);
  const [version, setVersion] = useState(0);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = openStream({
      hello: (hello) => {
        // Every (re)connect starts afresh from the server's backlog.
        const fresh = createViewState(hello);
        if (hello.mode === 'live') for (const event of hello.events ?? []) applyEvent(fresh, event);
        view.current = fresh;
        setVersion((n) => n + 1);
        // A replay needs nothing more from the server.
        if (hello.mode === 'replay') source.close();
      },
      batch: (batch) => {
        if (view.current === null) return;
        applyBatch(view.current, batch);
        setVersion((n) => n + 1);
      },
      connected: setConnected,
    });
    return () => source.close();
  }, []);
  const current = view.current;
  if (current === null) return <p>connecting…</p>;
  return current.hello.mode === 'replay' ? (
    <Replay hello={current.hello} />
  ) : (
    <Live view={current} version={version} connected={connected} />
  );
}
