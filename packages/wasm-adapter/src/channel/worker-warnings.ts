// Owns the one process warning a container worker drops: node:wasi's ExperimentalWarning, which every worker would print once and which is not the container's output.

/**
 * Drop node:wasi's ExperimentalWarning in this thread. A function to call, not an import for
 * its side effect: the package is `sideEffects: false`, so a bundler drops a bare import.
 */
export function filterWorkerWarnings(): void {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith('WASI is an experimental feature')) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
}
