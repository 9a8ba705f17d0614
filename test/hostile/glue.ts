/**
 * Hostile bindings: JavaScript written into a prepared artifact as if an injection through jco's
 * generated glue had got through (issue 9). They have the shape of real prepared bindings (a
 * script whose value is `instantiate`, see src/sandbox/prepare/glue-script.ts) and report what
 * they reached through the bot's own debug log, one line per attempt: "<what>: blocked (...)" or
 * "<what>: REACHED ...". The bot then plays rock.
 */

/** Shared by both scripts: attempt(label, fn) and the report. */
const HARNESS = `
  const lines = [];
  const describe = (v) => {
    try { return typeof v === 'function' ? 'a function' : typeof v === 'object' ? (v === null ? 'null' : 'an object') : String(v); }
    catch { return 'something'; }
  };
  const attempt = (label, fn) => {
    try {
      const v = fn();
      lines.push(label + ': REACHED ' + describe(v));
    } catch (e) {
      let why = 'threw';
      try { why = String((e && e.name) || e).slice(0, 40); } catch {}
      lines.push(label + ': blocked (' + why + ')');
    }
  };
  /** Throws unless the value is there: typeof tests, without touching undeclared names. */
  const present = (name, v) => { if (v === undefined) throw new ReferenceError(name + ' is not defined'); return v; };
`;

/** Outer-realm objects the bindings can get hold of, and what each leads to. */
const HANDLES = `
  const arena = imports['throwdown:rps/arena'];
  const hostFunction = arena.debug;
  const hostClass = imports['wasi:io/streams'].OutputStream;
  const hostArray = imports['wasi:cli/environment'].getEnvironment();
  let hostError = null;
  try { imports['wasi:cli/exit'].exit({ tag: 'err' }); } catch (e) { hostError = e; }
  const core = instantiateCore(getCoreModule(MODULE), {});
  const wasmExport = core.exports[Object.keys(core.exports).find((k) => typeof core.exports[k] === 'function')];
  const wasmGlobal = Object.values(core.exports).find((v) => v && typeof v === 'object' && 'value' in v);
`;

/** Tries every capability issue 9 names and reports each. */
export function probeGlue(moduleName: string): string {
  return `(function () {
'use strict';
const MODULE = ${JSON.stringify(moduleName)};
function instantiate(getCoreModule, imports, instantiateCore) {
  ${HARNESS}
  ${HANDLES}
  const outerFunctions = {
    'host function': hostFunction.constructor,
    'host class': hostClass.constructor,
    'host array': hostArray.constructor.constructor,
    'host error': hostError.constructor.constructor,
    'wasm export': wasmExport.constructor,
    'getCoreModule': getCoreModule.constructor,
    'instantiateCore': instantiateCore.constructor,
    'imports object': imports.constructor && imports.constructor.constructor,
  };
  attempt('process', () => present('process', globalThis.process));
  attempt('require', () => present('require', globalThis.require));
  attempt('module', () => present('module', globalThis.module));
  attempt('Buffer', () => present('Buffer', globalThis.Buffer));
  attempt('fetch', () => present('fetch', globalThis.fetch));
  attempt('setTimeout', () => present('setTimeout', globalThis.setTimeout));
  attempt('setInterval', () => present('setInterval', globalThis.setInterval));
  attempt('setImmediate', () => present('setImmediate', globalThis.setImmediate));
  attempt('queueMicrotask', () => present('queueMicrotask', globalThis.queueMicrotask));
  attempt('structuredClone', () => present('structuredClone', globalThis.structuredClone));
  attempt('eval', () => eval('1 + 1'));
  attempt('Function', () => Function('return 1')());
  attempt('AsyncFunction', () => new (Object.getPrototypeOf(async function () {}).constructor)('return 1'));
  for (const [from, F] of Object.entries(outerFunctions)) {
    attempt('process through the Function of the ' + from, () => present('process', F('return process')()));
    attempt('process.getBuiltinModule through the Function of the ' + from, () =>
      present('getBuiltinModule', F('return process.getBuiltinModule("node:child_process")')()));
  }
  attempt('process through a host error stack (prepareStackTrace)', () => {
    const E = Object.getPrototypeOf(hostError.constructor);
    E.prepareStackTrace = (_, frames) => frames;
    return present('frames', new E('x').stack[0]);
  });
  let imported = 'never settled';
  attempt('import() of node:fs', () => {
    const p = import('node:fs');
    p.then(() => { imported = 'REACHED'; }, () => { imported = 'rejected'; });
    throw new Error('pending');
  });
  let ticks = 0;
  Promise.resolve().then(function loop() { ticks++; Promise.resolve().then(loop); });
  for (const line of lines) arena.debug(line);
  let round = 0;
  return {
    play() {
      round++;
      if (round === 2) {
        arena.debug('import() settled: ' + (imported === 'REACHED' ? 'REACHED' : 'blocked (' + imported + ')'));
        arena.debug('microtasks that outlive a move: ' + (ticks === 0 ? 'blocked (never ran)' : 'REACHED ' + ticks));
      }
      return 'rock';
    },
  };
}
return instantiate;
})()
`;
}

/**
 * Tries to change what a later match in the same worker will see: built-ins of the worker's
 * realm, the host objects it was handed, the classes of host errors, the metering globals'
 * prototype, and its own realm's built-ins (which must die with it).
 */
export function tamperGlue(moduleName: string): string {
  return `(function () {
'use strict';
const MODULE = ${JSON.stringify(moduleName)};
function instantiate(getCoreModule, imports, instantiateCore) {
  ${HARNESS}
  ${HANDLES}
  const outerObjectProto = Object.getPrototypeOf(Object.getPrototypeOf(hostArray));
  attempt('Object.prototype of the worker', () => { outerObjectProto.toJSON = () => 'pwned'; return outerObjectProto.toJSON; });
  attempt('Array.prototype of the worker', () => { Object.getPrototypeOf(hostArray).push = () => 0; });
  attempt('Function.prototype of the worker', () => { Object.getPrototypeOf(hostFunction).call = () => 0; });
  attempt('JSON of the worker', () => { hostFunction.constructor('return JSON')().stringify = () => 'pwned'; });
  attempt('Error.prototype of the worker', () => { Object.getPrototypeOf(Object.getPrototypeOf(hostError)).message = 'pwned'; });
  attempt('the host error class', () => { hostError.constructor.prototype.code = 99; return hostError.constructor.prototype.code; });
  attempt('the host class', () => { hostClass.prototype.write = () => {}; });
  attempt('the host import object', () => { imports['wasi:cli/environment'].getEnvironment = () => [['SECRET', 'x']]; });
  attempt('a host function', () => { hostFunction.pwned = true; return hostFunction.pwned; });
  attempt('WebAssembly.Global.prototype.value (the fuel meter)', () => {
    Object.defineProperty(Object.getPrototypeOf(wasmGlobal), 'value', { get: () => 1e9 });
  });
  attempt('WebAssembly.Instance.prototype of the worker', () => {
    Object.getPrototypeOf(Object.getPrototypeOf(wasmExport)).pwned = true;
  });
  // Its own realm's built-ins may change: they die with this bot instance.
  Object.prototype.pwned = true;
  Array.prototype.push = () => 0;
  for (const line of lines) arena.debug(line);
  return { play() { return 'rock'; } };
}
return instantiate;
})()
`;
}
