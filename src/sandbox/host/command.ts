import type { GuestContext } from './context.js';
import { GuestExit, GuestFault } from './errors.js';
import { createPreview1Imports } from './preview1.js';

/**
 * Instantiates a WASI preview1 command module against the in-memory host. `extraImports` adds
 * host modules (e.g. a fuel meter's); it cannot replace `wasi_snapshot_preview1`.
 */
export function instantiateCommand(
  module: WebAssembly.Module,
  ctx: GuestContext,
  extraImports: WebAssembly.Imports = {},
): WebAssembly.Instance {
  let memory: WebAssembly.Memory | undefined;
  const wasi = createPreview1Imports(ctx, () => {
    if (memory === undefined) throw new GuestFault('WASI call before the instance existed (start function)');
    return memory;
  });
  const instance = new WebAssembly.Instance(module, { ...extraImports, ...wasi });
  const exported = instance.exports.memory;
  if (exported instanceof WebAssembly.Memory) memory = exported;
  return instance;
}

/**
 * Runs `_start` to completion. A normal return is exit code 0; `proc_exit(n)` is exit code n.
 * Anything else (a trap, OutputLimitExceeded, GuestFault) is thrown to the caller, who owns the
 * verdict; the instance must then be discarded.
 */
export function runCommand(
  module: WebAssembly.Module,
  ctx: GuestContext,
  extraImports?: WebAssembly.Imports,
): { exitCode: number; instance: WebAssembly.Instance } {
  const instance = instantiateCommand(module, ctx, extraImports);
  const start = instance.exports._start;
  if (typeof start !== 'function') throw new GuestFault('the module exports no _start function');
  try {
    (start as () => void)();
    return { exitCode: 0, instance };
  } catch (error) {
    if (error instanceof GuestExit) return { exitCode: error.code, instance };
    throw error;
  }
}
