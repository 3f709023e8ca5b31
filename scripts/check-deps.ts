// Owns the dependency rules of the workspace: layers point one way (core ← actors ← wasm-adapter ← apps) and no file-level import cycles.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** What each layer may import from the workspace and from third parties it must not use. */
const layers: Record<string, { allowed: string[]; forbidden: string[] }> = {
  core: { allowed: [], forbidden: ['xstate', 'rxjs'] },
  actors: { allowed: ['@ocre-ts/core'], forbidden: [] },
  'wasm-adapter': { allowed: ['@ocre-ts/core', '@ocre-ts/actors'], forbidden: [] },
  'bridge-mqtt': { allowed: ['@ocre-ts/core', '@ocre-ts/actors'], forbidden: [] },
  // Tests only: the reliability suite drives every layer.
  reliability: {
    allowed: ['@ocre-ts/core', '@ocre-ts/actors', '@ocre-ts/wasm-adapter'],
    forbidden: [],
  },
};
const appsAllowed = [
  '@ocre-ts/core',
  '@ocre-ts/actors',
  '@ocre-ts/wasm-adapter',
  '@ocre-ts/bridge-mqtt',
];

function listSources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** An import of a file, and whether it vanishes at run time (`import type`). */
interface ImportEdge {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const edges: ImportEdge[] = [];
  const pattern =
    /(?:import|export)\s([^'"]*?)from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[2] ?? match[3] ?? '';
    if (specifier.length > 0) {
      edges.push({ specifier, typeOnly: match[1]?.startsWith('type ') === true });
    }
  }
  return edges;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const problems: string[] = [];
const graph = new Map<string, string[]>();

const units = [
  ...readdirSync(join(root, 'packages')).map((name) => ({ kind: 'package', name })),
  ...(existsSync(join(root, 'apps')) ? readdirSync(join(root, 'apps')) : []).map((name) => ({
    kind: 'app',
    name,
  })),
];

for (const unit of units) {
  const base = join(root, unit.kind === 'package' ? 'packages' : 'apps', unit.name);
  const rule =
    unit.kind === 'package' ? layers[unit.name] : { allowed: appsAllowed, forbidden: [] };
  if (rule === undefined) {
    problems.push(`packages/${unit.name}: no layer rule; add it to scripts/check-deps.ts`);
    continue;
  }
  for (const file of listSources(join(base, 'src'))) {
    const edges: string[] = [];
    for (const { specifier, typeOnly } of importsOf(file)) {
      const where = relative(root, file);
      if (specifier.startsWith('.')) {
        // Type-only imports vanish at run time, so they cannot form a load-order cycle; layer
        // rules below apply to them all the same.
        if (!typeOnly) edges.push(resolve(dirname(file), specifier));
        continue;
      }
      if (specifier.startsWith('node:')) continue;
      const name = packageName(specifier);
      if (name === `@ocre-ts/${unit.name}`) {
        problems.push(`${where}: imports its own package barrel "${specifier}"; import the file`);
      } else if (name.startsWith('@ocre-ts/') && !rule.allowed.includes(name)) {
        problems.push(
          `${where}: ${unit.name} must not import ${name} (layers: core ← actors ← wasm-adapter ← apps)`,
        );
      } else if (rule.forbidden.includes(name)) {
        problems.push(`${where}: ${unit.name} must not import ${name}`);
      }
    }
    graph.set(resolve(file), edges);
  }
}

const state = new Map<string, 'visiting' | 'done'>();
function visit(file: string, trail: string[]): void {
  if (state.get(file) === 'done') return;
  if (state.get(file) === 'visiting') {
    const cycle = trail.slice(trail.indexOf(file)).concat(file);
    problems.push(`import cycle: ${cycle.map((f) => relative(root, f)).join(' → ')}`);
    return;
  }
  state.set(file, 'visiting');
  for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
  state.set(file, 'done');
}
for (const file of graph.keys()) visit(file, []);

if (problems.length > 0) {
  console.error(`dependency check failed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`dependency check: ${graph.size} source files, layers respected, no cycles`);
