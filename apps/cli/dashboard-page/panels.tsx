// Owns the dashboard's list panels: topic map, queue and mailbox fill, timeline and dead letters.
import type { ViewState } from '../src/dashboard/model/view-state.ts';
import { containerNames } from '../src/dashboard/model/view-state.ts';
import type { TreeNode } from '../src/dashboard/model/wire.ts';

const perSecond = (n: number) =>
  n >= 1000 ? `${(n / 1000).toFixed(1)}k/s` : `${n < 10 ? n.toFixed(1) : Math.round(n)}/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Publishers → topics → subscribers, with rates. */
export function TopicMap({ view }: { readonly view: ViewState }) {
  if (view.topics.length === 0) return <p class="empty">no messages yet</p>;
  return (
    <div>
      <p class="note" id="publishing">
        publishing now:{' '}
        {view.publishers.length === 0
          ? 'nobody'
          : view.publishers.map((p) => `${p.name} ${perSecond(p.perSecond)}`).join(' · ')}
      </p>
      <table class="topics">
        <thead>
          <tr>
            <th>publishers</th>
            <th />
            <th>topic</th>
            <th />
            <th>subscribers</th>
          </tr>
        </thead>
        <tbody>
          {view.topics.map((t) => (
            <tr data-topic={t.topic}>
              <td>
                {t.publishers.length === 0 ? (
                  <small title="nobody published to it within the last second">—</small>
                ) : (
                  t.publishers.map((p) => (
                    <div>
                      {p.name} <small>{perSecond(p.perSecond)}</small>
                    </div>
                  ))
                )}
              </td>
              <td class="arrow">→</td>
              <td>
                <b>{t.topic}</b>
                <div>
                  <small>
                    in {perSecond(t.publishedPerSecond)} · out {perSecond(t.deliveredPerSecond)}
                    {t.deadLetteredPerSecond > 0
                      ? ` · dead ${perSecond(t.deadLetteredPerSecond)}`
                      : ''}
                  </small>
                </div>
              </td>
              <td class="arrow">→</td>
              <td>{t.subscribers.length === 0 ? <i>nobody</i> : t.subscribers.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Meter(props: {
  readonly label: string;
  readonly used: number;
  readonly capacity: number;
}) {
  const fill = Math.min(1, props.capacity > 0 ? props.used / props.capacity : 0);
  return (
    <div class="meter" data-meter={props.label}>
      <span class="label">{props.label}</span>
      <span class="bar">
        <span class={fill > 0.8 ? 'full' : ''} style={{ width: `${fill * 100}%` }} />
      </span>
      <span class="value">
        {props.used} / {props.capacity}
      </span>
    </div>
  );
}

function capacities(node: TreeNode, into = new Map<string, number>()): Map<string, number> {
  if (node.kind === 'container') into.set(node.name, node.mailboxCapacity ?? 0);
  for (const child of node.children ?? []) capacities(child, into);
  return into;
}

/** Router queue and mailbox fill against capacity. */
export function Fill({ view }: { readonly view: ViewState }) {
  const caps = capacities(view.hello.tree);
  return (
    <div>
      <Meter
        label="router queue"
        used={view.counters?.queued ?? 0}
        capacity={view.hello.queueCapacity}
      />
      {containerNames(view.hello.tree).map((name) => (
        <Meter
          label={name}
          used={view.containers.get(name)?.mailbox ?? 0}
          capacity={caps.get(name) ?? 0}
        />
      ))}
    </div>
  );
}

/** Faults, restarts, escalations and injected faults, newest first. */
export function Timeline({ view }: { readonly view: ViewState }) {
  if (view.timeline.length === 0) return <p class="empty">nothing has gone wrong yet</p>;
  return (
    <ol class="timeline">
      {[...view.timeline].reverse().map((entry) => (
        <li class={`entry ${entry.kind}`} data-kind={entry.kind} data-target={entry.target}>
          <span class="time">{seconds(entry.time)}</span>
          <span class="kind">{entry.kind}</span>
          <span class="target">{entry.target}</span>
          <span class="text">{entry.text}</span>
        </li>
      ))}
    </ol>
  );
}

/** Dead letters, newest first: reason, topic, container, message id. */
export function DeadLetters({ view }: { readonly view: ViewState }) {
  if (view.deadLetterCount === 0) return <p class="empty">no dead letters</p>;
  return (
    <div>
      <p class="note">
        {view.deadLetterCount} seen
        {view.deadLetterCount > view.deadLetters.length
          ? `, newest ${view.deadLetters.length} shown`
          : ''}
        {view.skippedEvents > 0 ? ` · ${view.skippedEvents} events thinned out by the server` : ''}
      </p>
      <table class="letters">
        <thead>
          <tr>
            <th>time</th>
            <th>reason</th>
            <th>topic</th>
            <th>container</th>
            <th>mid</th>
          </tr>
        </thead>
        <tbody>
          {[...view.deadLetters].reverse().map((l) => (
            <tr data-reason={l.reason}>
              <td>{seconds(l.time)}</td>
              <td>{l.reason}</td>
              <td>{l.topic}</td>
              <td>{l.container ?? '—'}</td>
              <td>{l.mid}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
