// Entry of a container's worker thread: loads worker.ts through tsx, since Node 20 workers ignore
// `--import tsx` in execArgv. node:wasi's ExperimentalWarning is dropped: every container would
// print it once, and it is not the container's output.
import { tsImport } from 'tsx/esm/api';

const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message;
  if (typeof text === 'string' && text.startsWith('WASI is an experimental feature')) return;
  emitWarning(warning, ...rest);
};

await tsImport('./worker.ts', import.meta.url);
