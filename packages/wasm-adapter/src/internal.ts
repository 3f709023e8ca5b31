// Owns @ocre-ts/wasm-adapter/internal: the module-binary helpers and host-import tables the loader uses, for tools that inspect modules. Unstable: it changes without notice.
export { clangInstallCommand } from './errors.ts';
export { maxMemoryPages } from './defaults.ts';
export { capMemoryPages, readModuleLayout } from './module/module-binary.ts';
export type { ModuleImport, ModuleLayout, ModuleMemory } from './module/module-binary.ts';
export { ocreImportSignatures, wasiPreview1Functions } from './module/host-imports.ts';
