// Owns loading TypeScript container modules in the built CLI: tsx is registered once, and only when a system file names a .ts module.

/** From its sources the CLI already runs under a TypeScript loader (tsx, or vitest in tests). */
const runsFromSource = import.meta.url.endsWith('.ts');
let registered: Promise<void> | undefined;

/** Whether `path` names a TypeScript module (`.ts`, `.mts`, `.cts`, `.tsx`) that plain Node cannot import. */
export function isTypeScriptModule(path: string): boolean {
  return /\.(?:[mc]?ts|tsx)$/i.test(path);
}

/**
 * Make `import()` of TypeScript modules work in this process before the first one is imported.
 * The built CLI registers tsx's ESM hooks the first time (a dynamic import, so a system of
 * WebAssembly or JavaScript containers never loads tsx); from its sources it does nothing.
 *
 * @example
 * if (isTypeScriptModule(path)) await loadTypeScriptModules();
 * const loaded = await import(pathToFileURL(path).href);
 */
export function loadTypeScriptModules(): Promise<void> {
  if (runsFromSource) return Promise.resolve();
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registered;
}
