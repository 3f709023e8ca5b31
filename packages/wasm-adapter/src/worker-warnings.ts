// Owns the one process warning a container worker drops: node:wasi's ExperimentalWarning, which every worker would print once and which is not the container's output.
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.startsWith('WASI is an experimental feature')) return;
  Reflect.apply(emitWarning, process, [warning, ...rest]);
};
