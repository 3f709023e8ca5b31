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
export type { WasmContainerOptions } from './wasm-container.ts';
export { WasmRuntime } from './wasm-runtime.ts';
export type { WasmRuntimeOptions } from './wasm-runtime.ts';
export { clearModuleCache, defaultMemoryMaxPages, loadWasmModule } from './module-loader.ts';
export type { LoadWasmModuleOptions, LoadedWasmModule } from './module-loader.ts';
