/**
 * A WAT guest that imports every wasi_snapshot_preview1 function with its real signature and
 * re-exports each one, plus its memory. Tests call the exports: arguments cross the wasm boundary
 * exactly as a guest's would (i32 as signed numbers, i64 as BigInt), so errno values and memory
 * effects are checked through a real instance.
 */
import { watModule } from './support.js';

type Sig = [params: string, result: string];

/** Every preview1 function and its core wasm signature (from wasi_snapshot_preview1.witx). */
export const PREVIEW1_SIGNATURES = {
  args_get: ['i32 i32', 'i32'],
  args_sizes_get: ['i32 i32', 'i32'],
  environ_get: ['i32 i32', 'i32'],
  environ_sizes_get: ['i32 i32', 'i32'],
  clock_res_get: ['i32 i32', 'i32'],
  clock_time_get: ['i32 i64 i32', 'i32'],
  fd_advise: ['i32 i64 i64 i32', 'i32'],
  fd_allocate: ['i32 i64 i64', 'i32'],
  fd_close: ['i32', 'i32'],
  fd_datasync: ['i32', 'i32'],
  fd_fdstat_get: ['i32 i32', 'i32'],
  fd_fdstat_set_flags: ['i32 i32', 'i32'],
  fd_fdstat_set_rights: ['i32 i64 i64', 'i32'],
  fd_filestat_get: ['i32 i32', 'i32'],
  fd_filestat_set_size: ['i32 i64', 'i32'],
  fd_filestat_set_times: ['i32 i64 i64 i32', 'i32'],
  fd_pread: ['i32 i32 i32 i64 i32', 'i32'],
  fd_prestat_get: ['i32 i32', 'i32'],
  fd_prestat_dir_name: ['i32 i32 i32', 'i32'],
  fd_pwrite: ['i32 i32 i32 i64 i32', 'i32'],
  fd_read: ['i32 i32 i32 i32', 'i32'],
  fd_readdir: ['i32 i32 i32 i64 i32', 'i32'],
  fd_renumber: ['i32 i32', 'i32'],
  fd_seek: ['i32 i64 i32 i32', 'i32'],
  fd_sync: ['i32', 'i32'],
  fd_tell: ['i32 i32', 'i32'],
  fd_write: ['i32 i32 i32 i32', 'i32'],
  path_create_directory: ['i32 i32 i32', 'i32'],
  path_filestat_get: ['i32 i32 i32 i32 i32', 'i32'],
  path_filestat_set_times: ['i32 i32 i32 i32 i64 i64 i32', 'i32'],
  path_link: ['i32 i32 i32 i32 i32 i32 i32', 'i32'],
  path_open: ['i32 i32 i32 i32 i32 i64 i64 i32 i32', 'i32'],
  path_readlink: ['i32 i32 i32 i32 i32 i32', 'i32'],
  path_remove_directory: ['i32 i32 i32', 'i32'],
  path_rename: ['i32 i32 i32 i32 i32 i32', 'i32'],
  path_symlink: ['i32 i32 i32 i32 i32', 'i32'],
  path_unlink_file: ['i32 i32 i32', 'i32'],
  poll_oneoff: ['i32 i32 i32 i32', 'i32'],
  proc_exit: ['i32', ''],
  proc_raise: ['i32', 'i32'],
  sched_yield: ['', 'i32'],
  random_get: ['i32 i32', 'i32'],
  sock_accept: ['i32 i32 i32', 'i32'],
  sock_recv: ['i32 i32 i32 i32 i32 i32', 'i32'],
  sock_send: ['i32 i32 i32 i32 i32', 'i32'],
  sock_shutdown: ['i32 i32', 'i32'],
} satisfies Record<string, Sig>;

/** The probe's WAT; `pages` is its memory size. */
export function probeWat(pages = 1): string {
  const lines = Object.entries(PREVIEW1_SIGNATURES as Record<string, Sig>).map(([name, [params, result]]) => {
    const p = params ? ` (param ${params})` : '';
    const r = result ? ` (result ${result})` : '';
    const func = `(func $${name}${p}${r})`;
    return `  (import "wasi_snapshot_preview1" "${name}" ${func})\n  (export "${name}" (func $${name}))`;
  });
  return `(module\n${lines.join('\n')}\n  (memory (export "memory") ${pages})\n)`;
}

export function probeModule(pages = 1): Promise<WebAssembly.Module> {
  return watModule(probeWat(pages));
}

// biome-ignore lint/suspicious/noExplicitAny: the probe's exports are called with test-chosen arguments
export type ProbeExports = { [name in keyof typeof PREVIEW1_SIGNATURES]: (...args: any[]) => number } & {
  memory: WebAssembly.Memory;
};
