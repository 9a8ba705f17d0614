/**
 * Host functions handed to a flat component's core module directly instead of through jco's
 * generated import trampolines. From jco 1.13 on, every lowered import runs component-model task
 * bookkeeping (a task object, current-task lists, debug hooks) around the host call: measured at
 * about 170 us per `get-random-u64` from a WAT bot on the direct call path, against well under
 * 1 us for the host function itself, so a 1000-round match of a bot that draws one random number
 * a move spent ~0.2 s per seat in bookkeeping (the 64-bot tournament benchmark: minutes instead
 * of seconds). For the imports below the core signature is scalars only, the host function
 * already returns the core value, and the trampoline does nothing else the guest can observe:
 * it calls the same host function and converts with BigInt.asUintN(64, ...), as done here.
 */
type HostImports = Record<string, object>;

/** Core import (interface without version, function) -> host import (interface, function). */
const LEAN: ReadonlyArray<readonly [string, string, string, string]> = [
  ['wasi:random/random', 'get-random-u64', 'wasi:random/random', 'getRandomU64'],
  ['wasi:random/insecure', 'get-insecure-random-u64', 'wasi:random/insecure', 'getInsecureRandomU64'],
  ['wasi:clocks/monotonic-clock', 'now', 'wasi:clocks/monotonic-clock', 'now'],
  ['wasi:clocks/monotonic-clock', 'resolution', 'wasi:clocks/monotonic-clock', 'resolution'],
];

/**
 * `importObject` (what jco passes to instantiateCore for one core module) with the trampolines
 * of the imports above replaced by direct calls into `host` (the preview2 import object the
 * glue was instantiated with). Everything else is left as jco made it.
 */
export function withLeanImports(
  importObject: WebAssembly.Imports | undefined,
  host: HostImports,
): WebAssembly.Imports | undefined {
  if (!importObject) return importObject;
  let out: WebAssembly.Imports | undefined;
  for (const [namespace, fns] of Object.entries(importObject)) {
    const iface = namespace.replace(/@[^@]*$/, '');
    for (const [coreIface, coreName, hostIface, hostName] of LEAN) {
      if (iface !== coreIface || !(coreName in fns)) continue;
      const fn = (host[hostIface] as Record<string, unknown> | undefined)?.[hostName];
      if (typeof fn !== 'function') continue;
      out ??= { ...importObject };
      out[namespace] = { ...out[namespace], [coreName]: () => BigInt.asUintN(64, BigInt(fn())) };
    }
  }
  return out ?? importObject;
}
