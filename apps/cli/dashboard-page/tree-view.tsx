// Owns the supervision tree panel: every supervisor and container with its state (colour and word), restarts, faults, and its fault buttons.
import type { ViewState } from '../src/dashboard/model/view-state.ts';
import type { ControlAction, RuntimeStatusSample, TreeNode } from '../src/dashboard/model/wire.ts';

/** Props of {@link TreeView}. */
export interface TreeViewProps {
  readonly view: ViewState;
  /** Null when the page may not act (read-only or replay). */
  readonly onControl: ((action: ControlAction, target: string) => void) | null;
}

const containerActions: readonly [ControlAction, string][] = [
  ['throw', 'throw on next message'],
  ['hang', 'hang'],
  ['kill', 'kill'],
  ['restart', 'restart'],
];

function Buttons(props: {
  readonly actions: readonly [ControlAction, string][];
  readonly target: string;
  readonly onControl: TreeViewProps['onControl'];
}) {
  const { onControl, target } = props;
  return (
    <span class="buttons">
      {props.actions.map(([action, label]) => (
        <button
          type="button"
          data-action={action}
          disabled={onControl === null}
          title={onControl === null ? 'read-only: open the URL with its token to act' : label}
          onClick={() => onControl?.(action, target)}
        >
          {label}
        </button>
      ))}
    </span>
  );
}

/** Counters of a runtime status shown beside its state: the non-zero ones, per-reason details left out. */
const shownCounters = 6;

/** A runtime's own state and its non-zero counters (a bridge: `connected · exported 120 · outboxed 3`). */
function RuntimeStatus({ status }: { readonly status: RuntimeStatusSample }) {
  const counts = Object.entries(status.counters)
    .filter(([name, count]) => count !== 0 && !name.includes('.'))
    .slice(0, shownCounters);
  return (
    <span class="runtime-status" data-status={status.state}>
      <b>{status.state}</b>
      {counts.map(([name, count]) => ` · ${name} ${count}`).join('')}
    </span>
  );
}

function Node({ node, view, onControl }: TreeViewProps & { readonly node: TreeNode }) {
  if (node.kind === 'container') {
    const sample = view.containers.get(node.name);
    const state = sample?.state ?? 'created';
    return (
      <li class="node container" data-node={node.name} data-state={state}>
        <span class={`state state-${state}`}>{state}</span>
        <span class="name">{node.name}</span>
        <span class="counts">
          restarts <b data-restarts>{sample?.restarts ?? 0}</b> · faults{' '}
          <b>{sample?.faults ?? 0}</b>
        </span>
        {sample?.status === undefined ? null : <RuntimeStatus status={sample.status} />}
        <Buttons actions={containerActions} target={node.name} onControl={onControl} />
      </li>
    );
  }
  const failed = view.failedSupervisors.has(node.name);
  const state = view.stopped !== undefined ? 'stopped' : failed ? 'failed' : 'running';
  return (
    <li class="node supervisor" data-node={node.name} data-state={state}>
      <span class={`state state-${state}`}>{state}</span>
      <span class="name">{node.name}</span>
      <span class="counts">supervisor</span>
      <Buttons actions={[['crash', 'crash']]} target={node.name} onControl={onControl} />
      <ul>
        {(node.children ?? []).map((child) => (
          <Node node={child} view={view} onControl={onControl} />
        ))}
      </ul>
    </li>
  );
}

/** The supervision tree. */
export function TreeView(props: TreeViewProps) {
  return (
    <ul class="tree">
      <Node node={props.view.hello.tree} view={props.view} onControl={props.onControl} />
    </ul>
  );
}
