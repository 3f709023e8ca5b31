// Owns the short-lived thread that applies binaryen's asyncify pass to one module and writes the result to the transform cache.
import { renameSync, writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import binaryen from 'binaryen';
import { SIGNAL_DONE, SIGNAL_FAILED, writeSignal } from './asyncify-signal.ts';
import type { AsyncifyJob } from './asyncify-signal.ts';

const job = workerData as AsyncifyJob;
try {
  const module = binaryen.readBinary(job.bytes);
  try {
    // What clang-14 emits for wasm32-wasi; asyncify adds nothing beyond MVP.
    module.setFeatures(
      binaryen.Features.MVP |
        binaryen.Features.MutableGlobals |
        binaryen.Features.SignExt |
        binaryen.Features.BulkMemory |
        binaryen.Features.NontrappingFPToInt,
    );
    // Only ocre_sleep suspends; indirect calls stay instrumented (a handler table call may be on the stack).
    binaryen.setPassArgument('asyncify-imports', 'env.ocre_sleep');
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(0);
    module.runPasses(['asyncify']);
    const output = module.emitBinary();
    const partial = `${job.outFile}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(partial, output);
    renameSync(partial, job.outFile);
  } finally {
    module.dispose();
  }
  writeSignal(job.signal, SIGNAL_DONE, '');
} catch (error) {
  writeSignal(job.signal, SIGNAL_FAILED, error instanceof Error ? error.message : String(error));
}
