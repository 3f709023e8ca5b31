// Owns reading a system file: YAML parsing, schema validation, and resolving the files it names relative to itself.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { YAMLError } from 'yaml';
import { systemFileError } from '../errors.ts';
import { describeIssues } from './issues.ts';
import { formatPath, isSupervisorEntry, systemFileSchema } from './schema.ts';
import type { ChildEntry, SystemFileData } from './schema.ts';
import { bridgeFileKeys } from './bridges.ts';
import type { BridgeEntry } from './bridges.ts';

/** A validated system file whose `wasm:` and `module:` paths are absolute and exist. */
export interface SystemFile {
  /** What to call it in messages, e.g. `system file apps/x/system.yaml`. */
  readonly subject: string;
  /** Its absolute path. */
  readonly path: string;
  /** Its validated content, with resolved paths. */
  readonly data: SystemFileData;
}

/**
 * Read, parse and validate a system file. Every problem found is reported at once.
 *
 * @param file - the path as the user gave it
 * @param cwd - what relative paths on the command line are relative to
 * @throws CliError `INVALID_SYSTEM_FILE` naming the file and each bad path in it
 */
export function loadSystemFile(file: string, cwd = process.cwd()): SystemFile {
  const path = resolve(cwd, file);
  const subject = `system file ${file}`;
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw systemFileError(subject, [`the file does not exist`]);
  }
  const document = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
  if (document.errors.length > 0) {
    throw systemFileError(subject, document.errors.map(describeYamlError));
  }
  const raw: unknown = document.toJS();
  const parsed = systemFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Unique names (a refinement) and module files are checked only once every field is
    // well-formed: say so when a field is not, lest fixing these lines look like the end of it.
    const fieldsInvalid = parsed.error.issues.some((issue) => issue.code !== 'custom');
    throw systemFileError(
      subject,
      describeIssues(parsed.error.issues, raw),
      'INVALID_SYSTEM_FILE',
      fieldsInvalid
        ? 'Names are compared and module files loaded once these are fixed.'
        : undefined,
    );
  }
  const problems: string[] = [];
  const containers = resolveEntries(parsed.data.containers, ['containers'], {
    base: dirname(path),
    cwd,
    problems,
  });
  const bridges = parsed.data.bridges?.map((bridge, index) =>
    resolveBridgeFiles(bridge, ['bridges', index], { base: dirname(path), cwd, problems }),
  );
  if (problems.length > 0) throw systemFileError(subject, problems);
  return {
    subject,
    path,
    data: { ...parsed.data, containers, ...(bridges === undefined ? {} : { bridges }) },
  };
}

/** Make `wasm:` and `module:` paths absolute; note each one that does not name a file. */
function resolveEntries(
  entries: readonly ChildEntry[],
  at: (string | number)[],
  context: { readonly base: string; readonly cwd: string; readonly problems: string[] },
): ChildEntry[] {
  return entries.map((entry, index) => {
    const here = [...at, index];
    if (isSupervisorEntry(entry)) {
      const children = resolveEntries(entry.containers, [...here, 'containers'], context);
      return { ...entry, containers: children };
    }
    const key = 'wasm' in entry ? 'wasm' : 'module';
    const given = 'wasm' in entry ? entry.wasm : entry.module;
    const absolute = resolve(context.base, given);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      context.problems.push(
        `${formatPath([...here, key])}: expected an existing file, got "${given}" (no file at ${relative(context.cwd, absolute)})`,
      );
    }
    return 'wasm' in entry ? { ...entry, wasm: absolute } : { ...entry, module: absolute };
  });
}

/** Make a bridge's `ca`, `cert`, `key` and `outboxFile` paths absolute; note each of the first three that does not name a file. */
function resolveBridgeFiles(
  bridge: BridgeEntry,
  at: (string | number)[],
  context: { readonly base: string; readonly cwd: string; readonly problems: string[] },
): BridgeEntry {
  const resolved: Record<string, string> = {};
  for (const key of bridgeFileKeys) {
    const given = bridge[key];
    if (given === undefined) continue;
    const absolute = resolve(context.base, given);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      context.problems.push(
        `${formatPath([...at, key])}: expected an existing file, got "${given}" (no file at ${relative(context.cwd, absolute)})`,
      );
    }
    resolved[key] = absolute;
  }
  // The outbox file need not exist yet (the bridge creates it); its directory is checked at start.
  if (bridge.outboxFile !== undefined)
    resolved['outboxFile'] = resolve(context.base, bridge.outboxFile);
  return { ...bridge, ...resolved };
}

/** `line 4, column 3: not valid YAML: <what the parser says>`. */
export function describeYamlError(error: YAMLError): string {
  const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const at = error.linePos?.[0];
  return `${at === undefined ? '' : `line ${at.line}, column ${at.col}: `}not valid YAML: ${what}`;
}
