// Owns turning a validated system file into createOcreSystem options: loads TypeScript modules and WASM containers, maps supervisors.
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineContainer } from '@ocre-ts/actors';
import type {
  ChildSpec,
  ContainerSpec,
  OcreSystemOptions,
  SupervisorSpec,
  TypeScriptContainerDefinition,
} from '@ocre-ts/actors';
import { composeBridges } from './compose-bridges.ts';
import { withoutUndefined } from './defined.ts';
import { systemFileError } from './errors.ts';
import type { SystemFile } from './system-file/load.ts';
import type { WasmContext } from './wasm-containers.ts';
import { formatPath, isSupervisorEntry, isWasmEntry } from './system-file/schema.ts';
import { isTypeScriptModule, loadTypeScriptModules } from './typescript-loader.ts';
import type { ChildEntry, ModuleEntry, SupervisorFields, WasmEntry } from './system-file/schema.ts';

/** What the caller adds to the file's options: where output and warnings go. */
export type ComposeHooks = Pick<OcreSystemOptions, 'onOutput' | 'onWarning' | 'reportError'>;

/** A problem with one entry, found while loading what it names. */
class EntryProblem extends Error {
  constructor(readonly line: string) {
    super(line);
  }
}

/**
 * The options of the system a file describes. Every WASM module is compiled and every
 * TypeScript module imported here, so each bad one is reported before anything starts.
 *
 * @param system - a loaded system file
 * @param hooks - output, warning and error hooks for createOcreSystem
 * @throws CliError `INVALID_SYSTEM_FILE` naming each entry whose module could not be loaded
 */
export async function composeSystem(
  system: SystemFile,
  hooks: ComposeHooks = {},
): Promise<OcreSystemOptions> {
  const problems: string[] = [];
  const { sensors, gpio } = system.data;
  // Loaded on first use, like the WASM runtime: only a file that declares devices needs it.
  const devices =
    sensors === undefined && gpio === undefined
      ? undefined
      : (await import('./device-declarations.ts')).deviceDeclarations(
          sensors,
          gpio,
          dirname(system.path),
          problems,
        );
  const wasm: WasmContext = {
    ...(system.data.wasmPool?.size === undefined ? {} : { poolSize: system.data.wasmPool.size }),
    ...(devices === undefined ? {} : { devices }),
  };
  const containers = await composeChildren(system.data.containers, ['containers'], problems, wasm);
  // Bridges start after every container (imports find their subscribers up) and stop first.
  try {
    containers.push(...composeBridges(system.data.bridges ?? [], system.path));
  } catch (error) {
    problems.push(`bridges: ${describe(error)}`);
  }
  if (problems.length > 0) throw systemFileError(system.subject, problems);
  const { messaging, supervisor } = system.data;
  return {
    ...withoutUndefined(hooks),
    ...(messaging === undefined
      ? {}
      : {
          messaging: withoutUndefined({
            ...messaging,
            limits: messaging.limits && withoutUndefined(messaging.limits),
          }),
        }),
    ...(supervisor === undefined
      ? {}
      : {
          supervisor: {
            ...supervisorOptions(supervisor),
            ...(supervisor.name === undefined ? {} : { name: supervisor.name }),
          },
        }),
    containers,
  };
}

/** A supervisor's options as createOcreSystem takes them. */
function supervisorOptions(
  fields: SupervisorFields,
): Omit<SupervisorSpec, 'kind' | 'name' | 'children' | 'restart' | 'onFault'> {
  const { backoff, ...rest } = fields;
  return {
    ...withoutUndefined(rest),
    ...(backoff === undefined ? {} : { backoff: withoutUndefined(backoff) }),
  };
}

async function composeChildren(
  entries: readonly ChildEntry[],
  at: (string | number)[],
  problems: string[],
  wasm: WasmContext,
): Promise<ChildSpec[]> {
  const specs: ChildSpec[] = [];
  for (const [index, entry] of entries.entries()) {
    const here = [...at, index];
    try {
      specs.push(await composeChild(entry, here, problems, wasm));
    } catch (error) {
      problems.push(error instanceof EntryProblem ? error.line : describe(error));
    }
  }
  return specs;
}

async function composeChild(
  entry: ChildEntry,
  here: (string | number)[],
  problems: string[],
  wasm: WasmContext,
): Promise<ChildSpec> {
  if (isSupervisorEntry(entry)) {
    const { supervisor, containers, ...child } = entry;
    return {
      kind: 'supervisor',
      ...withoutUndefined(child),
      ...supervisorOptions(supervisor),
      children: await composeChildren(containers, [...here, 'containers'], problems, wasm),
    };
  }
  if (isWasmEntry(entry)) return wasmSpec(entry, [...here, 'wasm'], wasm);
  return moduleSpec(entry, [...here, 'module']);
}

async function wasmSpec(
  entry: WasmEntry,
  at: (string | number)[],
  wasm: WasmContext,
): Promise<ContainerSpec> {
  // Loaded on first use: a system of TypeScript containers never touches the WASM runtime.
  const { wasmContainerSpec } = await import('./wasm-containers.ts');
  try {
    return wasmContainerSpec(entry, wasm);
  } catch (error) {
    throw new EntryProblem(
      `${formatPath(at)}: expected a WebAssembly container module, but ${shown(entry.wasm)} could not be loaded: ${describe(error)}${codeOf(error)}`,
    );
  }
}

async function moduleSpec(entry: ModuleEntry, at: (string | number)[]): Promise<ContainerSpec> {
  const { module: path, export: exportName = 'default', name, ...options } = entry;
  let loaded: Record<string, unknown>;
  try {
    if (isTypeScriptModule(path)) await loadTypeScriptModules();
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new EntryProblem(
      `${formatPath(at)}: could not import ${shown(path)}: ${describe(error)}`,
    );
  }
  const value = loaded[exportName];
  const base = asContainerSpec(value, name);
  if (base === undefined) {
    throw new EntryProblem(
      `${formatPath(at)}: expected the ${exportName} export of ${shown(path)} to be a container ` +
        `(defineContainer(…)) or a container definition ({ init, handlers }), got ${kindOf(value)}`,
    );
  }
  // The file's options win over the module's own: the system file composes.
  return { ...base, ...withoutUndefined(options), name };
}

/** A ContainerSpec from a module export: a spec as is, or a definition wrapped by defineContainer. */
function asContainerSpec(value: unknown, name: string): ContainerSpec | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<ContainerSpec> & Partial<TypeScriptContainerDefinition>;
  if (candidate.kind === 'container' && typeof candidate.runtime === 'function') {
    return candidate as ContainerSpec;
  }
  const looksLikeDefinition =
    typeof candidate.init === 'function' ||
    (typeof candidate.handlers === 'object' && candidate.handlers !== null);
  if (!looksLikeDefinition) return undefined;
  return defineContainer({ ...(candidate as TypeScriptContainerDefinition<unknown>), name });
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing (no such export)';
  if (value === null) return 'null';
  if (typeof value === 'object')
    return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return `a ${typeof value}`;
}

/** ` (CODE)` for an error with a stable string code, else nothing. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
