// Owns checking a fault plan against the system it targets: shapes, numbers, and the names of its containers and supervisors, each problem a `path: what is expected` line.
import { faultKinds } from './fault-plan.ts';
import type { FaultKind } from './fault-plan.ts';

/** The names a plan may refer to. */
export interface PlanTargets {
  readonly containers: readonly string[];
  readonly supervisors: readonly string[];
}

/** A value as a problem line shows it. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

const isInteger = (value: unknown, min: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min;

/**
 * Every problem of `plan` for a system with these `targets`, as `path: what is expected` lines
 * (none when it is fine): shapes, numbers, and names of containers and supervisors.
 *
 * @param plan - the plan, typically parsed from YAML or JSON
 * @param targets - the system's container and supervisor names
 */
export function checkFaultPlan(plan: unknown, targets: PlanTargets): string[] {
  const problems: string[] = [];
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) {
    return ['(top level): expected a mapping with `faults:` (and optionally `seed:`)'];
  }
  const { seed, faults } = plan as { seed?: unknown; faults?: unknown };
  if (seed !== undefined && !isInteger(seed, 0))
    problems.push(`seed: expected a non-negative integer, got ${show(seed)}`);
  if (!Array.isArray(faults)) return [...problems, 'faults: expected a list of faults'];
  faults.forEach((fault: unknown, index) =>
    checkFault(fault, `faults[${index}]`, targets, problems),
  );
  return problems;
}

function checkFault(fault: unknown, at: string, targets: PlanTargets, problems: string[]): void {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault)) {
    problems.push(`${at}: expected a mapping with a kind (${faultKinds.join(', ')})`);
    return;
  }
  const f = fault as Record<string, unknown>;
  if (!faultKinds.includes(f['kind'] as FaultKind)) {
    problems.push(`${at}.kind: expected one of ${faultKinds.join(', ')}, got ${show(f['kind'])}`);
    return;
  }
  const kind = f['kind'] as FaultKind;
  const name = (key: string, known: readonly string[], what: string, required: boolean) => {
    const value = f[key];
    if (value === undefined) {
      if (required) problems.push(`${at}.${key}: missing; a ${kind} fault names its ${what}`);
    } else if (typeof value !== 'string' || !known.includes(value)) {
      problems.push(
        `${at}.${key}: no ${what} named ${JSON.stringify(value)}; known: ${known.join(', ') || '(none)'}`,
      );
    }
  };
  const number = (key: string, min: number, required: boolean) => {
    const value = f[key];
    if (value === undefined) {
      if (required) problems.push(`${at}.${key}: missing; a ${kind} fault needs it`);
    } else if (!isInteger(value, min)) {
      problems.push(`${at}.${key}: expected an integer of at least ${min}, got ${show(value)}`);
    }
  };
  const perMessage = ['throw', 'hang', 'kill', 'delay', 'drop', 'slow'].includes(kind);
  if (perMessage) {
    number('nth', 1, false);
    number('times', 1, false);
    const p = f['probability'];
    if (p !== undefined && !(typeof p === 'number' && p >= 0 && p <= 1))
      problems.push(`${at}.probability: expected a number from 0 to 1, got ${show(p)}`);
    if (f['nth'] !== undefined && p !== undefined)
      problems.push(`${at}: give nth or probability, not both`);
    if (f['topic'] !== undefined && typeof f['topic'] !== 'string')
      problems.push(`${at}.topic: expected a topic, got ${show(f['topic'])}`);
  }
  switch (kind) {
    case 'throw':
    case 'hang':
    case 'slow':
    case 'kill':
    case 'fail-start':
      name('container', targets.containers, 'container', true);
      break;
    case 'delay':
    case 'drop':
      name('container', targets.containers, 'container', false);
      break;
    case 'crash-supervisor':
      name('supervisor', targets.supervisors, 'supervisor', true);
      break;
    case 'fill-queue':
      if (f['topic'] !== undefined && (typeof f['topic'] !== 'string' || f['topic'] === ''))
        problems.push(`${at}.topic: expected a topic, got ${show(f['topic'])}`);
      break;
  }
  if (kind === 'delay' || kind === 'slow') number('ms', 0, true);
  if (kind === 'fill-queue' || kind === 'crash-supervisor') number('atMs', 0, true);
  if (kind === 'fail-start') number('times', 1, true);
  if (kind === 'kill') {
    number('atMs', 0, false);
    if (f['atMs'] !== undefined && (f['nth'] !== undefined || f['probability'] !== undefined))
      problems.push(`${at}: a kill happens at atMs or on a message (nth, probability), not both`);
  }
}
