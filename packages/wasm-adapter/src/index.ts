// Owns the public surface of @ocre-ts/wasm-adapter: every export is named here, and each is documented in the package README.
export { buildContainer, findClang, sdkIncludeDir } from './toolchain/build.ts';
export { defaultMemoryMaxPages, defaultStackSize, maxPoolSize } from './defaults.ts';
export type { BuildOptions, BuildResult } from './toolchain/build.ts';
export {
  BuildError,
  ClangNotFoundError,
  SensorScriptError,
  WasmExitError,
  WasmLoadError,
  WasmTrapError,
  WasmWorkerError,
} from './errors.ts';
export type { WasmLoadErrorCode } from './errors.ts';
export { wasmContainer } from './container/wasm-container.ts';
export type { WasmContainerOptions, WasmIsolation } from './container/wasm-container.ts';
export { WasmPool, defaultWasmPool } from './pool/wasm-pool.ts';
export type { WasmPoolOptions } from './pool/wasm-pool.ts';
export { PooledRuntime } from './pool/pooled-runtime.ts';
export type { PooledRuntimeOptions } from './pool/pooled-runtime.ts';
export { WasmRuntime } from './dedicated/wasm-runtime.ts';
export type { WasmRuntimeOptions } from './dedicated/wasm-runtime.ts';
export { clearModuleCache, loadWasmModule } from './module/module-loader.ts';
export type { LoadWasmModuleOptions, LoadedWasmModule } from './module/module-loader.ts';
export { parseSensorScript } from './current-api/sensors.ts';
export type { DeviceDeclarations, SensorDeclaration } from './channel/worker-protocol.ts';
