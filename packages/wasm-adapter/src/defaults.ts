// Owns every default of @ocre-ts/wasm-adapter: options, validation and resolvers read them from here and nowhere else (handler and start budgets come from @ocre-ts/actors).

/** Default isolation of a WebAssembly container: an instance in the shared worker pool. */
export const defaultIsolation = 'pooled';
/** Default cap on a container's linear memory, in 64 KiB pages (16 MiB). */
export const defaultMemoryMaxPages = 256;
/** Most pages a wasm32 memory can have (4 GiB). */
export const maxMemoryPages = 65536;
/** Default C stack of a built container, bytes. */
export const defaultStackSize = 65536;
/** Most worker threads a pool may be given. */
export const maxPoolSize = 256;
/** How often a pool checks its workers for an instance that has not yielded, ms. */
export const defaultWatchdogMs = 100;
/** How long a pooled worker with no instances stays before it is ended, ms. */
export const defaultPoolIdleMs = 1000;
/** How long a stopping instance may run its last turn before its worker is told to drop it, ms. */
export const defaultStopGraceMs = 500;
/** Longest a module's asyncify transform may take before the load fails, ms. */
export const asyncifyTimeoutMs = 60_000;
/** Bytes of a pooled worker's delivery ring (its data area; a power of two). */
export const defaultRingBytes = 1 << 20;
/** Most deliveries a pooled container has in flight (written to its worker's ring, not yet settled). */
export const defaultPoolMaxInFlight = 64;
