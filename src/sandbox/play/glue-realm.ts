import vm from 'node:vm';
import { GuestExit, GuestFault, OutputLimitExceeded } from '../host/errors.js';

/**
 * Where jco's generated bindings run, for the components the direct path cannot wire (nested
 * components, such as componentize-qjs bots). The bindings are code generated from an upload,
 * so they are treated as hostile:
 *
 * - each bot instance gets a fresh realm (a `node:vm` context with an ordinary global object):
 *   its own Object, Array, Function... and no `process`, `require`, `import()`, `fetch`, timers,
 *   `console` or Node built-ins; code generation from strings is off; anything it patches dies
 *   with the instance;
 * - what crosses in is built in that realm (TextEncoder/TextDecoder, getCoreModule,
 *   instantiateCore, a silent console) or frozen (the host imports, hardened below), so the
 *   bindings reach no object of the worker they could change for a later match;
 * - what is still an outer-realm object (host functions, wasm exports, results of host calls)
 *   leads to the worker's own `Function`, which cannot compile code either: match workers run
 *   with --disallow-code-generation-from-strings and --frozen-intrinsics (workers/pools.ts).
 *
 * docs/security.md ("The glue JavaScript") says what each layer stops and which test proves it.
 */
export type GlueInstantiate = (
  getCoreModule: (name: string) => unknown,
  imports: Record<string, object>,
  instantiateCore: (module: unknown, imports: WebAssembly.Imports) => { exports: object },
) => { play(state: unknown): unknown };

/** The bindings script compiled once per worker; run in a fresh realm per bot instance. */
export function compileGlue(source: string, filename: string): vm.Script {
  // No importModuleDynamically: `import()` inside the bindings throws.
  return new vm.Script(source, { filename });
}

/**
 * Runs in each fresh realm before the bindings. It receives outer functions that take and return
 * only primitives or objects of the inner realm, and installs what jco's bindings use.
 */
const PRELUDE = new vm.Script(
  `(function (decode, encodeInto, moduleId, instantiate) {
  'use strict';
  const g = globalThis;
  class TextDecoder {
    #label;
    constructor(label = 'utf-8') { this.#label = String(label).toLowerCase(); }
    decode(input) { return decode(this.#label, input); }
  }
  class TextEncoder {
    encode(text = '') {
      const s = String(text);
      const out = new Uint8Array(s.length * 3);
      const n = encodeInto(s, out, [0, 0]);
      return out.slice(0, n);
    }
    encodeInto(text, dest) {
      const result = [0, 0];
      encodeInto(String(text), dest, result);
      return { read: result[0], written: result[1] };
    }
  }
  const quiet = () => {};
  const console = Object.freeze({ log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet });
  Object.defineProperties(g, {
    TextDecoder: { value: TextDecoder, writable: true, configurable: true },
    TextEncoder: { value: TextEncoder, writable: true, configurable: true },
    console: { value: console, writable: true, configurable: true },
  });
  const tokens = new Map();
  const getCoreModule = (name) => {
    const id = moduleId(String(name));
    let token = tokens.get(id);
    if (!token) {
      token = Object.freeze({ id });
      tokens.set(id, token);
    }
    return token;
  };
  const instantiateCore = (token, imports) => {
    if (!token || typeof token.id !== 'number') throw new TypeError('not a core module of this bot');
    return { exports: instantiate(token.id, imports) };
  };
  return { getCoreModule, instantiateCore };
})`,
  { filename: 'glue-prelude.js' },
);

const utf8 = new TextDecoder('utf-8');
const utf16 = new TextDecoder('utf-16le');
const encoder = new TextEncoder();

function decode(label: string, input: Uint8Array): string {
  return (label === 'utf-16' || label === 'utf-16le' ? utf16 : utf8).decode(input);
}

function encodeInto(text: string, dest: Uint8Array, result: number[]): number {
  const { read, written } = encoder.encodeInto(text, dest);
  result[0] = read;
  result[1] = written;
  return written;
}

/**
 * JavaScript's own objects, which `harden` leaves alone: match workers freeze them all with
 * --frozen-intrinsics, and freezing them in any other process (the service, a test runner)
 * could break code that legitimately extends them.
 */
const INTRINSICS = new Set<unknown>();
for (const ctor of [Object, Function, Array, Error, TypeError, RangeError, Map, Set, Promise, Uint8Array]) {
  INTRINSICS.add(ctor);
  INTRINSICS.add(ctor.prototype);
}
INTRINSICS.add(Object.getPrototypeOf(Uint8Array));
INTRINSICS.add(Object.getPrototypeOf(Uint8Array.prototype));

/**
 * Freezes `value`, everything reachable through its own properties, and their prototypes (up to
 * JavaScript's own objects), so code handed it cannot change what a later bot will be handed.
 */
export function harden<T>(value: T, seen = new Set<unknown>()): T {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return value;
  if (seen.has(value) || INTRINSICS.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value as object)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (desc && 'value' in desc) harden(desc.value, seen);
  }
  harden(Object.getPrototypeOf(value), seen);
  return value;
}

// Errors our host throws pass through the bindings: their classes must not be changeable.
for (const cls of [GuestExit, GuestFault, OutputLimitExceeded]) harden(cls);

export interface GlueHooks {
  /** Core module file names the bindings may ask for. */
  modules: ReadonlyMap<string, WebAssembly.Module>;
  /** The one place a core module becomes an instance (metered by the caller). */
  instantiate(name: string, module: WebAssembly.Module, imports: WebAssembly.Imports): WebAssembly.Instance;
}

/** Instantiates a bot through its bindings in a fresh realm; returns the bindings' exports. */
export function instantiateThroughGlue(
  script: vm.Script,
  host: Record<string, object>,
  hooks: GlueHooks,
): { play(state: unknown): unknown } {
  const context = vm.createContext(vm.constants.DONT_CONTEXTIFY, {
    name: 'bot bindings',
    codeGeneration: { strings: false, wasm: true },
    microtaskMode: 'afterEvaluate',
  });
  const names = [...hooks.modules.keys()];
  const setup = PRELUDE.runInContext(context) as (...args: unknown[]) => {
    getCoreModule: Parameters<GlueInstantiate>[0];
    instantiateCore: Parameters<GlueInstantiate>[2];
  };
  const callbacks = setup(
    decode,
    encodeInto,
    (name: string) => {
      const id = names.indexOf(name);
      if (id < 0) throw new Error(`the bindings asked for an unknown core module ${name}`);
      return id;
    },
    (id: number, imports: WebAssembly.Imports) => {
      const name = names[id] as string;
      return hooks.instantiate(name, hooks.modules.get(name) as WebAssembly.Module, imports).exports;
    },
  );
  const instantiate = script.runInContext(context) as GlueInstantiate;
  return instantiate(callbacks.getCoreModule, harden(host), callbacks.instantiateCore);
}

/**
 * An error thrown out of the bindings, as an error of this realm: the bindings' realm has its own
 * TypeError and RangeError, and what they throw may be any value at all. Reading it can run the
 * bindings' code (getters), so every read is guarded.
 */
export function outerError(error: unknown): unknown {
  if (error instanceof Error) return error;
  let name = 'Error';
  let message = '';
  try {
    const e = error as { name?: unknown; message?: unknown };
    name = typeof e?.name === 'string' ? e.name : 'Error';
    message = typeof e?.message === 'string' ? e.message : String(error);
  } catch {
    message = 'the bindings threw a value that cannot be read';
  }
  message = message.slice(0, 500);
  if (name === 'RangeError') return new RangeError(message);
  if (name === 'TypeError') return new TypeError(message);
  if (name === 'RuntimeError') return new WebAssembly.RuntimeError(message);
  return new WebAssembly.RuntimeError(`${name}: ${message}`);
}
