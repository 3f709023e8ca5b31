// Owns @ocre-ts/wasm-adapter/internal: the module-binary helpers and host-import tables the loader uses, for tools that inspect modules. Unstable: it changes without notice.
export { clangInstallCommand } from './errors.ts';
export { maxMemoryPages } from './module-loader.ts';
export { capMemoryPages, readModuleLayout } from './module-binary.ts';
export type { ModuleImport, ModuleLayout, ModuleMemory } from './module-binary.ts';
export { ocreImportSignatures, wasiPreview1Functions } from './host-imports.ts';
