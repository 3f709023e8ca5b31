// Owns the dependency rules of the workspace: layers point one way (core ← actors ← wasm-adapter ← apps), no file-level import cycles (type-only imports included), and the folder rules of @ocre-ts/actors and @ocre-ts/wasm-adapter.
//
// Rules, each a lint failure:
// 1. Layers: a package imports only the workspace packages below it (core ← actors ← wasm-adapter
//    ← apps), never its own barrel, and core uses neither xstate nor rxjs.
// 2. No import cycle between files, counting `import type` too: a class and its xstate machine
//    meet at a leaf `types.ts` (the machine drives a narrow interface the class implements).
// 3. Folders of packages/actors/src, in order: streams ← router ← container ← supervision ←
//    system ← testing; of packages/wasm-adapter/src: channel (the main↔worker wire) ← guest
//    (one instance, inside a worker) ← current-api ← module (loading, asyncify) ← toolchain ←
//    pool ← dedicated ← container. A file imports only the package's leaf files (files
//    directly in src/), its own folder, and folders before its own. So nothing imports
//    `testing/`, and a worker's code never reaches main-thread folders.
// 4. Leaf files directly in src/ (types, errors.ts, defaults.ts, clock.ts, spec.ts, events.ts, …)
//    import no folder: they are the vocabulary every folder shares.
// 5. A folder's `types.ts` imports no other file of its own folder: it is the leaf its classes
//    and machines meet at.
// 6. A `*-machine.ts` (an xstate machine) imports, inside the package, only leaf files and
//    `types.ts` files: never the class it drives.
// 7. Entry files (`index.ts`, `internal.ts`, `testing/index.ts`) are imported by nobody inside src/.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** Rule 3: the folders of a package's src/, lowest first. */
const folderOrder: Record<string, readonly string[]> = {
  actors: ['streams', 'router', 'container', 'supervision', 'system', 'testing'],
  'wasm-adapter': [
    'channel',
    'guest',
    'current-api',
    'module',
    'toolchain',
    'pool',
    'dedicated',
    'container',
  ],
};
const entryFiles = new Set(['index.ts', 'internal.ts']);

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
        // Type-only imports count: a type cycle ties two files together just as tightly.
        const target = resolve(dirname(file), specifier);
        edges.push(target);
        const broken = folderRule(unit.name, join(base, 'src'), file, target, typeOnly);
        if (broken !== undefined) problems.push(`${where}: ${broken}`);
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

/** Rules 3–7 for an import of `target` by `file`, both under `src`; the broken rule, or undefined. */
function folderRule(
  unit: string,
  src: string,
  file: string,
  target: string,
  typeOnly: boolean,
): string | undefined {
  const order = folderOrder[unit];
  if (order === undefined || !target.startsWith(src + sep)) return undefined;
  const folderOf = (path: string): string | undefined => {
    const parts = relative(src, path).split(sep);
    return parts.length > 1 ? parts[0] : undefined;
  };
  const from = folderOf(file);
  const to = folderOf(target);
  const shown = relative(src, target);
  const isEntry = (path: string): boolean =>
    (folderOf(path) === undefined && entryFiles.has(basename(path))) ||
    relative(src, path) === join('testing', 'index.ts');
  if (isEntry(target)) return `imports the entry ${shown}; import the file that owns the export`;
  if (from === undefined && to !== undefined && !isEntry(file))
    return `leaf file imports ${shown}; files directly in src/ import no folder`;
  if (from !== undefined && to === from && basename(file) === 'types.ts')
    return `types.ts imports ${shown} from its own folder; keep types.ts a leaf`;
  if (basename(file).endsWith('-machine.ts') && to !== undefined && basename(target) !== 'types.ts')
    return `machine imports ${shown}; a machine drives an interface from a types.ts, never a class${typeOnly ? ' (even type-only)' : ''}`;
  if (from === undefined || to === undefined || to === from) return undefined;
  const fromRank = order.indexOf(from);
  const toRank = order.indexOf(to);
  if (fromRank < 0 || toRank < 0)
    return `folder ${fromRank < 0 ? from : to}/ has no place in the folder order; add it to scripts/check-deps.ts`;
  if (toRank > fromRank) return `${from}/ must not import ${to}/ (folders: ${order.join(' ← ')})`;
  return undefined;
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
console.log(
  `dependency check: ${graph.size} source files, layers and folder rules respected, no cycles (type-only imports included)`,
);
