// Owns the dashboard's fault buttons: checking a control request against the tree and turning it into a live fault of the run's fault injection.
import { FaultPlanError } from '@ocre-ts/actors/testing';
import type { FaultInjection, LiveFault } from '@ocre-ts/actors/testing';
import { DashboardRequestError } from '../errors.ts';
import { controlActions } from './model/wire.ts';
import type { ControlAction, ControlRequest, ControlResult, TreeNode } from './model/wire.ts';

/** Every node of a tree by name. */
function nodesOf(node: TreeNode, into = new Map<string, TreeNode>()): Map<string, TreeNode> {
  into.set(node.name, node);
  for (const child of node.children ?? []) nodesOf(child, into);
  return into;
}

/**
 * Check an untrusted request body.
 *
 * @throws DashboardRequestError `BAD_REQUEST` naming what is wrong
 */
export function parseControlRequest(body: unknown): ControlRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DashboardRequestError('BAD_REQUEST', 'expected a JSON object { action, target }');
  }
  const { action, target } = body as Record<string, unknown>;
  const actions = Object.keys(controlActions);
  if (typeof action !== 'string' || !actions.includes(action)) {
    throw new DashboardRequestError(
      'BAD_REQUEST',
      `action: expected one of ${actions.join(', ')}, got ${JSON.stringify(action) ?? 'nothing'}`,
    );
  }
  if (typeof target !== 'string' || target === '') {
    throw new DashboardRequestError(
      'BAD_REQUEST',
      'target: expected the name of a container or supervisor',
    );
  }
  return { action: action as ControlAction, target };
}

/** The live fault a button stands for. */
function faultFor({ action, target }: ControlRequest): LiveFault {
  switch (action) {
    case 'throw':
      return { kind: 'throw', container: target, nth: 1 };
    case 'hang':
      return { kind: 'hang', container: target, nth: 1 };
    case 'kill':
    case 'restart':
      // Taken down as a crash: its supervisor restarts it by its policy (strategy, intensity).
      return { kind: 'kill', container: target };
    case 'crash':
      return { kind: 'crash-supervisor', supervisor: target };
  }
}

/**
 * The dashboard's controls for one run: each request goes through `injection.inject`, exactly
 * like a fault of a `--chaos` plan.
 *
 * @param injection - the run's fault injection, applied with `{ live: true }`
 * @param tree - the system's tree, to refuse unknown names before the injection sees them
 * @param isRunning - false once the system stops: requests are then refused with `CONFLICT`
 */
export function createControls(
  injection: FaultInjection,
  tree: TreeNode,
  isRunning: () => boolean,
): (request: ControlRequest) => ControlResult {
  const nodes = nodesOf(tree);
  return (request) => {
    const node = nodes.get(request.target);
    const kind = controlActions[request.action];
    if (node === undefined || node.kind !== kind) {
      const known = [...nodes.values()].filter((n) => n.kind === kind).map((n) => n.name);
      throw new DashboardRequestError(
        'NOT_FOUND',
        `no ${kind} named ${JSON.stringify(request.target)} to ${request.action}; known: ${known.join(', ')}`,
      );
    }
    if (!isRunning()) {
      throw new DashboardRequestError('CONFLICT', 'the system is not running: nothing to inject');
    }
    try {
      const record = injection.inject(faultFor(request));
      const detail =
        record === undefined
          ? `${request.action} armed: ${request.target} ${request.action === 'throw' ? 'throws' : 'hangs'} on its next message`
          : `${request.action} ${record.target}: ${record.detail}`;
      return { ok: true, detail };
    } catch (error) {
      if (error instanceof FaultPlanError) {
        throw new DashboardRequestError('CONFLICT', error.problems.join('; '));
      }
      throw error;
    }
  };
}
