// Owns the names of the host ABI: the env.ocre_* imports with their signatures, the WASI preview1 functions, and which exports count as handlers.

/** Module name of the Ocre imports. */
export const ocreImportModule = 'env';

/** Module name of the WASI preview1 imports. */
export const wasiImportModule = 'wasi_snapshot_preview1';

/** Every `env` import a container may use, with its WebAssembly signature (see OCRE-API.md). */
export const ocreImportSignatures: Readonly<Record<string, string>> = Object.freeze({
  ocre_msg_system_init: '() -> ()',
  ocre_publish_message: '(i32, i32, i32, i32) -> i32',
  ocre_subscribe_message: '(i32, i32) -> i32',
  ocre_sleep: '(i32) -> i32',
});

/** The WASI preview1 functions `node:wasi` provides (all of preview1). */
export const wasiPreview1Functions: ReadonlySet<string> = new Set([
  'args_get',
  'args_sizes_get',
  'clock_res_get',
  'clock_time_get',
  'environ_get',
  'environ_sizes_get',
  'fd_advise',
  'fd_allocate',
  'fd_close',
  'fd_datasync',
  'fd_fdstat_get',
  'fd_fdstat_set_flags',
  'fd_fdstat_set_rights',
  'fd_filestat_get',
  'fd_filestat_set_size',
  'fd_filestat_set_times',
  'fd_pread',
  'fd_prestat_get',
  'fd_prestat_dir_name',
  'fd_pwrite',
  'fd_read',
  'fd_readdir',
  'fd_renumber',
  'fd_seek',
  'fd_sync',
  'fd_tell',
  'fd_write',
  'path_create_directory',
  'path_filestat_get',
  'path_filestat_set_times',
  'path_link',
  'path_open',
  'path_readlink',
  'path_remove_directory',
  'path_rename',
  'path_symlink',
  'path_unlink_file',
  'poll_oneoff',
  'proc_exit',
  'proc_raise',
  'random_get',
  'sched_yield',
  'sock_accept',
  'sock_recv',
  'sock_send',
  'sock_shutdown',
]);

/** Exports that are entry points, never message handlers. */
const entryPoints = new Set(['_start', '_initialize']);

/**
 * The exported functions a container may subscribe as handlers, in export order: every
 * function export except the WASI entry points `_start` and `_initialize`. Main thread and
 * worker compute the same list, so a handler travels between them as its index.
 *
 * @param module - the compiled module
 */
export function handlerExportNames(module: WebAssembly.Module): readonly string[] {
  return WebAssembly.Module.exports(module)
    .filter((entry) => entry.kind === 'function' && !entryPoints.has(entry.name))
    .map((entry) => entry.name);
}
