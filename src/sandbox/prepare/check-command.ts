import type { Rejection } from '../types.js';

/**
 * Command bots are WASI preview1 commands: they may import preview1 functions and nothing
 * else, and must export `_start` and their memory. The host implements every preview1
 * function (sockets included, which always fail because no socket is ever handed in);
 * imports that would open connections are refused with a reason.
 */
export const PREVIEW1_FUNCTIONS: ReadonlySet<string> = new Set([
  'args_get',
  'args_sizes_get',
  'environ_get',
  'environ_sizes_get',
  'clock_res_get',
  'clock_time_get',
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
  'sched_yield',
  'random_get',
  // Preview1's socket calls work only on sockets handed in at start-up; the host hands in none,
  // so they can only fail (ENOTSUP). Toolchains import them as soon as std::net is linked.
  'sock_accept',
  'sock_recv',
  'sock_send',
  'sock_shutdown',
]);

export interface CoreImport {
  module: string;
  name: string;
  kind: string;
}
export interface CoreExport {
  name: string;
  kind: string;
}

const PREVIEW1 = 'wasi_snapshot_preview1';

export function checkCommandImports(imports: readonly CoreImport[]): Rejection | null {
  for (const imp of imports) {
    const full = `${imp.module}.${imp.name}`;
    if (imp.module === PREVIEW1 && imp.kind === 'function' && PREVIEW1_FUNCTIONS.has(imp.name)) continue;
    // Runtime extensions (WasmEdge's sock_open, sock_connect, ...) would open connections: refused.
    if (imp.name.startsWith('sock_')) {
      return { code: 'forbidden-import', message: `It imports ${full}: bots may not use the network.` };
    }
    if (imp.module === 'wasi_unstable') {
      return {
        code: 'unknown-import',
        message: `It imports ${full} from the old wasi_unstable API; build it for wasm32-wasip1 (wasi_snapshot_preview1).`,
      };
    }
    if (imp.kind !== 'function') {
      return {
        code: 'unknown-import',
        message: `It imports a ${imp.kind} (${full}); command bots must define their own memory and tables and import only WASI preview1 functions.`,
      };
    }
    return {
      code: 'unknown-import',
      message: `It imports ${full}, which Throwdown does not provide. Command bots may import only WASI preview1 functions (${PREVIEW1}).`,
    };
  }
  return null;
}

export function checkCommandExports(exports: readonly CoreExport[]): Rejection | null {
  const has = (name: string, kind: string) => exports.some((e) => e.name === name && e.kind === kind);
  if (!has('_start', 'function')) {
    const play = exports.some((e) => e.name === 'play');
    return {
      code: 'wrong-exports',
      message: play
        ? 'It is a core module exporting `play` but no `_start`. To export `play`, build a component of the throwdown:rps `player` world; a plain module must be a WASI command with a main function. See docs/bot-interface.md.'
        : 'It has no `_start` export, so it is not a WASI command. Command bots are programs with a main function built for wasm32-wasip1 (see docs/bot-interface.md).',
    };
  }
  if (!has('memory', 'memory')) {
    return {
      code: 'wrong-exports',
      message: 'It does not export its memory as `memory`, which WASI commands must.',
    };
  }
  return null;
}
