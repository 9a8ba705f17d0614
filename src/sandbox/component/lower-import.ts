import { GuestFault } from '../host/errors.js';
import { elemSize, flatten, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS } from './abi-layout.js';
import {
  type AbiContext,
  CoreValues,
  camelCase,
  liftFlat,
  load,
  lowerFlat,
  pascalCase,
  store,
  trap,
} from './abi-values.js';
import type { FuncType, ValType } from './types.js';

/**
 * `canon lower` of one host function for the direct path: the core function a guest module
 * imports, which lifts the guest's core arguments, calls our host object the way jco's bindings
 * would (so src/sandbox/host/ serves both paths), and lowers the result back.
 */

/** The import object a component instance sees, keyed by unversioned interface name. */
export type HostImports = Record<string, object>;

/** "wasi:io/streams@0.2.3" -> "wasi:io/streams". */
export function unversioned(iface: string): string {
  const at = iface.indexOf('@');
  return at < 0 ? iface : iface.slice(0, at);
}

function own(object: object | undefined, key: string): unknown {
  return object && Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** The host's class for a resource of an interface, e.g. OutputStream of wasi:io/streams. */
export function hostClass(host: HostImports, iface: string, resource: string): unknown {
  return own(host[unversioned(iface)] as object | undefined, pascalCase(resource));
}

/** A host method's name if a resource class defines it: never the constructor or an inherited name. */
function method(cls: unknown, name: string, isStatic: boolean): string | null {
  if (typeof cls !== 'function') return null;
  const key = camelCase(name);
  if (key === 'constructor' || key === 'prototype') return null;
  const holder = isStatic ? cls : (cls as { prototype: object }).prototype;
  return typeof own(holder, key) === 'function' ? key : null;
}

/**
 * How to call the host for import `name` of interface `iface`, or null when the host does not
 * provide it. The same rule decides at upload (prepare/check-host-imports.ts) and at run time.
 */
export function hostCallee(
  host: HostImports,
  iface: string,
  name: string,
): ((args: unknown[]) => unknown) | null {
  const ns = own(host, unversioned(iface)) as object | undefined;
  const dotted = /^\[(method|static)\]([^.]+)\.(.+)$/.exec(name);
  if (dotted) {
    const [, kind, resource, fn] = dotted as unknown as [string, string, string, string];
    const cls = own(ns, pascalCase(resource)) as Record<string, (...a: unknown[]) => unknown> | undefined;
    const key = method(cls, fn, kind === 'static');
    if (!cls || !key) return null;
    if (kind === 'static') return (args) => cls[key]?.(...args);
    return (args) => {
      const self = args[0] as Record<string, (...a: unknown[]) => unknown>;
      return self[key]?.(...args.slice(1));
    };
  }
  const ctor = /^\[constructor\](.+)$/.exec(name);
  if (ctor) {
    const cls = own(ns, pascalCase(ctor[1] as string));
    if (typeof cls !== 'function') return null;
    return (args) => new (cls as new (...a: unknown[]) => unknown)(...args);
  }
  const fn = own(ns, camelCase(name));
  if (typeof fn !== 'function' || /^[A-Z]/.test(camelCase(name))) return null;
  return (args) => (fn as (...a: unknown[]) => unknown)(...args);
}

/**
 * jco's convention for a top-level `result<T, E>` return: the host returns the ok value (or an
 * explicit `{ tag, val }`), and throws the error value; a thrown Error is a trap, not an `err`.
 */
function resultOf(call: () => unknown): unknown {
  try {
    const value = call();
    if (value !== null && typeof value === 'object') {
      const tag = (value as { tag?: unknown }).tag;
      if (tag === 'ok' || tag === 'err') return value;
    }
    return { tag: 'ok', val: value };
  } catch (error) {
    if (error !== null && typeof error === 'object' && Object.hasOwn(error, 'payload'))
      return { tag: 'err', val: (error as { payload: unknown }).payload };
    if (error instanceof Error) throw error;
    return { tag: 'err', val: error };
  }
}

/** The core function for one lowered import. `cx` gives its memory, realloc and handle tables. */
export function lowerImport(
  type: FuncType,
  callee: (args: unknown[]) => unknown,
  cx: AbiContext,
  /** For messages: "wasi:cli/environment@0.2.3 get-environment". */
  label = 'a host function',
): (...core: unknown[]) => unknown {
  const paramTypes = type.params.map((p) => p.type);
  const paramsTuple: ValType = { k: 'tuple', types: paramTypes };
  const paramsInMemory = paramTypes.flatMap(flatten).length > MAX_FLAT_PARAMS;
  const result = type.result;
  const resultInMemory = result !== null && flatten(result).length > MAX_FLAT_RESULTS;
  const returnsResult = result?.k === 'result';

  return (...core: unknown[]) => {
    const vi = new CoreValues(core);
    let params: unknown[];
    if (paramsInMemory) {
      const ptr = (vi.next() as number) >>> 0;
      params = load(cx, ptr, paramsTuple) as unknown[];
      if (ptr + elemSize(paramsTuple) > cx.view().byteLength)
        trap('passed arguments past the end of its memory');
    } else {
      params = paramTypes.map((t) => liftFlat(cx, vi, t));
    }
    const value = returnsResult ? resultOf(() => callee(params)) : call(callee, params, label);
    if (result === null) return undefined;
    try {
      if (resultInMemory) {
        const retptr = (vi.next() as number) >>> 0;
        store(cx, value, retptr, result);
        return undefined;
      }
      const out: unknown[] = [];
      lowerFlat(cx, value, result, out);
      return out[0];
    } catch (error) {
      throw mismatch(error, label);
    }
  };
}

/**
 * A host function that reports an error value (thrown, not an Error) although the import's
 * declared type has no `result` to carry it: the component declared the function differently
 * from the standard interface. That is the upload's doing, so it ends the bot, not the match.
 */
function call(callee: (args: unknown[]) => unknown, params: unknown[], label: string): unknown {
  try {
    return callee(params);
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new GuestFault(`${label} failed, and its declared type has no error case to report it`);
  }
}

/** The host's value does not fit the type the component declared: the upload's doing too. */
function mismatch(error: unknown, label: string): unknown {
  if (error instanceof TypeError)
    return new GuestFault(`${label} is declared with a type the host does not implement (${error.message})`);
  return error;
}
