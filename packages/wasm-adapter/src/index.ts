// Owns the public surface of @ocre-ts/wasm-adapter: every export is named here, and each is documented in the package README.
export { buildContainer, defaultStackSize, findClang, sdkIncludeDir } from './build.ts';
export type { BuildOptions, BuildResult } from './build.ts';
export {
  BuildError,
  ClangNotFoundError,
  WasmExitError,
  WasmLoadError,
  WasmTrapError,
  WasmWorkerError,
} from './errors.ts';
export type { WasmLoadErrorCode } from './errors.ts';
export { wasmContainer } from './wasm-container.ts';
export type { WasmContainerOptions, WasmIsolation } from './wasm-container.ts';
export { WasmPool, defaultWasmPool, maxPoolSize } from './wasm-pool.ts';
export type { WasmPoolOptions } from './wasm-pool.ts';
export { PooledRuntime } from './pooled-runtime.ts';
export type { PooledRuntimeOptions } from './pooled-runtime.ts';
export { WasmRuntime } from './wasm-runtime.ts';
export type { WasmRuntimeOptions } from './wasm-runtime.ts';
export { clearModuleCache, defaultMemoryMaxPages, loadWasmModule } from './module-loader.ts';
export type { LoadWasmModuleOptions, LoadedWasmModule } from './module-loader.ts';
