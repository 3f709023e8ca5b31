// Owns drawing a system file's supervision tree as text: supervisors with their policy, containers with their options.
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { SystemFile } from './system-file/load.ts';
import { isSupervisorEntry, isWasmEntry } from './system-file/schema.ts';
import type { ChildEntry, SupervisorFields } from './system-file/schema.ts';

/** Exports of a WASM module that are not handlers: the entry point, memory, allocator. */
const notHandlers = new Set(['_start', 'memory', 'malloc', 'free', '_initialize']);

/**
 * The tree as lines, root first.
 *
 * @example
 * drawTree(loadSystemFile('system.yaml')).join('\n');
 * // root: supervisor one-for-one, at most 3 restarts within 5000 ms, backoff 10–1000 ms
 * // ├─ publisher  wasm publisher.wasm
 * // └─ subscriber  wasm subscriber.wasm · handlerTimeoutMs 1000
 */
export function drawTree(system: SystemFile): string[] {
  const root = system.data.supervisor ?? {};
  const lines = [`${root.name ?? 'root'}: ${describeSupervisor(root)}`];
  drawChildren(system.data.containers, '', lines, dirname(system.path));
  return lines;
}

function drawChildren(
  entries: readonly ChildEntry[],
  indent: string,
  lines: string[],
  base: string,
): void {
  const width = Math.max(...entries.map((e) => e.name.length));
  entries.forEach((entry, index) => {
    const last = index === entries.length - 1;
    const branch = `${indent}${last ? '└─ ' : '├─ '}`;
    const below = `${indent}${last ? '   ' : '│  '}`;
    const name = entry.name.padEnd(width);
    if (isSupervisorEntry(entry)) {
      lines.push(`${branch}${name}  ${describeSupervisor(entry.supervisor)}${childOptions(entry)}`);
      drawChildren(entry.containers, below, lines, base);
      return;
    }
    const { name: _name, ...rest } = entry;
    const [kind, file] = isWasmEntry(entry) ? ['wasm', entry.wasm] : ['module', entry.module];
    const options = Object.entries(rest)
      .filter(([key]) => key !== 'wasm' && key !== 'module')
      .map(
        ([key, value]) =>
          `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
      );
    lines.push(
      `${branch}${name}  ${kind} ${shown(file, base)}${options.map((o) => ` · ${o}`).join('')}`,
    );
    if (isWasmEntry(entry)) lines.push(`${below}${' '.repeat(width)}  ${wasmExports(entry.wasm)}`);
  });
}

function describeSupervisor(fields: SupervisorFields): string {
  const backoff = fields.backoff ?? {};
  const min = backoff.minMs ?? 10;
  return (
    `supervisor ${fields.strategy ?? 'one-for-one'}, ` +
    `at most ${fields.maxRestarts ?? 3} restarts within ${fields.withinMs ?? 5000} ms, ` +
    `backoff ${min}–${backoff.maxMs ?? Math.max(1000, min)} ms`
  );
}

function childOptions(entry: ChildEntry): string {
  const parts = [
    entry.restart === undefined ? '' : ` · restart ${entry.restart}`,
    entry.onFault === undefined ? '' : ` · onFault ${entry.onFault}`,
  ];
  return parts.join('');
}

/** The handler names a module exports (its possible subscriptions' handlers), read statically. */
function wasmExports(path: string): string {
  try {
    const module = new WebAssembly.Module(readFileSync(path));
    const handlers = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function' && !notHandlers.has(e.name))
      .map((e) => e.name);
    return handlers.length === 0
      ? 'exports no handlers'
      : `exports handlers: ${handlers.join(', ')}`;
  } catch (error) {
    return `not a valid WebAssembly module: ${(error as Error).message}`;
  }
}

/** A path as the system file would write it: relative to the file's directory. */
function shown(path: string, base: string): string {
  const relativePath = relative(base, path);
  return relativePath.startsWith('..') ? relativePath : `./${relativePath}`;
}
