// Owns the public surface of @ocre-ts/wasm-adapter: every export is named here.
export { buildContainer, defaultStackSize, findClang, sdkIncludeDir } from './build.ts';
export type { BuildOptions, BuildResult } from './build.ts';
export { BuildError, ClangNotFoundError, clangInstallCommand } from './errors.ts';
