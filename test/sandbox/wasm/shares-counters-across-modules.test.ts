import { describe, expect, it } from 'vitest';
import { COUNTER_IMPORTS, meterHost } from '../../../src/sandbox/wasm/index.js';
import { type Exports, metered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

/**
 * shareCounters (via `instrument(..., { sharedCounters: true })`) turns a module's fuel and
 * stack counters into two imports, which shifts every defined global up by two. These
 * fixtures use globals everywhere an index can appear (function bodies, global initialisers,
 * active element and data segment offsets, element expressions, exports): a missed or wrong
 * renumbering either fails validation or changes what the module computes.
 */

/** No import section at all: the pass must add one. Its function burns a known amount of work. */
const WORKER = `(module
  (func (export "work") (param $n i32) (result i32) (local $i i32)
    (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.const 99)))`;

const MAIN = `(module
  (import "env" "base" (global $base i32))
  (import "env" "work" (func $work (param i32) (result i32)))
  (import "env" "work-ref" (global $workRef funcref))
  (global $g (mut i32) (i32.const 7))
  (global $h i32 (global.get $base))
  (global $k i32 (i32.add (global.get $h) (i32.const 100)))
  (global $threeRef funcref (ref.func $three))
  (table 16 funcref)
  (memory 1)
  ;; flags 0: offset from an imported global
  (elem (offset (global.get $base)) func $one $two)
  ;; flags 6: explicit table, expressions naming an imported and a defined global
  (elem (table 0) (offset (i32.add (global.get $base) (i32.const 2))) funcref
    (item ref.func $three) (item global.get $threeRef) (item global.get $workRef))
  ;; flags 1 (passive, not rewritten) and 3 (declared)
  (elem func $one)
  (elem declare func $two)
  ;; flags 0, 2 and 1 data segments
  (data (offset (global.get $base)) "\\2a")
  (data (memory 0) (offset (i32.add (global.get $base) (i32.const 1))) "\\07")
  (data "passive")
  (type $r (func (result i32)))
  (func $one (result i32) (global.get $g))
  (func $two (result i32) (global.set $g (i32.add (global.get $g) (global.get $k))) (global.get $g))
  (func $three (result i32) (global.get $h))
  (func (export "call") (param i32) (result i32)
    (if (result i32) (i32.eq (local.get 0) (i32.add (global.get $base) (i32.const 4)))
      (then (i32.const 5) (local.get 0) (call_indirect (param i32) (result i32)))
      (else (local.get 0) (call_indirect (type $r)))))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "both") (param i32) (result i32) (i32.add (call $work (local.get 0)) (global.get $k)))
  (export "g" (global $g))
  (export "k" (global $k)))`;

const BASE = 3;

interface Linked {
  main: Exports;
  worker: Exports;
  mainHost: ReturnType<typeof meterHost>;
  workerHost: ReturnType<typeof meterHost>;
  fuel: WebAssembly.Global | null;
}

function link(mainBytes: Uint8Array, workerBytes: Uint8Array, shared: boolean): Linked {
  const fuel = shared ? new WebAssembly.Global({ value: 'i64', mutable: true }, 0n) : null;
  const counters = shared
    ? {
        [COUNTER_IMPORTS.module]: {
          [COUNTER_IMPORTS.fuel]: fuel,
          [COUNTER_IMPORTS.stack]: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
        },
      }
    : {};
  const workerInstance = new WebAssembly.Instance(
    new WebAssembly.Module(workerBytes),
    counters as WebAssembly.Imports,
  );
  const work = workerInstance.exports.work as WebAssembly.ExportValue;
  const mainInstance = new WebAssembly.Instance(new WebAssembly.Module(mainBytes), {
    ...counters,
    env: {
      base: new WebAssembly.Global({ value: 'i32', mutable: false }, BASE),
      work,
      'work-ref': new WebAssembly.Global({ value: 'anyfunc', mutable: false }, work),
    },
  } as WebAssembly.Imports);
  return {
    main: mainInstance.exports as Exports,
    worker: workerInstance.exports as Exports,
    mainHost: meterHost(mainInstance),
    workerHost: meterHost(workerInstance),
    fuel,
  };
}

async function build(shared: boolean): Promise<{ main: Uint8Array; worker: Uint8Array }> {
  return {
    main: metered(await wat(MAIN), { sharedCounters: shared }).bytes,
    worker: metered(await wat(WORKER), { sharedCounters: shared }).bytes,
  };
}

/** Everything the fixture computes from its globals, tables and data, with a fresh budget each. */
function observe(l: Linked): unknown[] {
  const budget = () => {
    l.mainHost.setBudget(1_000_000, OPTIONS.stackBytes);
    l.workerHost.setBudget(1_000_000, OPTIONS.stackBytes);
  };
  const seen: unknown[] = [];
  for (let slot = BASE; slot < BASE + 5; slot++) {
    budget();
    seen.push(l.main.call!(slot));
  }
  budget();
  seen.push(l.main.call!(BASE + 1)); // $two again: the mutable global kept its update
  budget();
  seen.push(l.main.load!(BASE), l.main.load!(BASE + 1));
  seen.push(
    (l.main.g as unknown as WebAssembly.Global).value,
    (l.main.k as unknown as WebAssembly.Global).value,
  );
  return seen;
}

describe('shared counters: every core module of a bot charges one fuel and one stack counter', () => {
  it('makes the counters imports throwdown.fuel (i64) and throwdown.stack (i32), and the module validates', async () => {
    const { main, worker } = await build(true);
    for (const bytes of [main, worker]) {
      expect(WebAssembly.validate(bytes)).toBe(true);
      const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
      expect(imports.filter((i) => i.module === COUNTER_IMPORTS.module)).toEqual([
        { module: 'throwdown', name: 'fuel', kind: 'global' },
        { module: 'throwdown', name: 'stack', kind: 'global' },
      ]);
    }
    // The module's own imports keep their order, ahead of the counters.
    const mainImports = WebAssembly.Module.imports(new WebAssembly.Module(main)).map((i) => i.name);
    expect(mainImports).toEqual(['base', 'work', 'work-ref', 'fuel', 'stack']);
    // Wrong types are refused at link time: the host must hand exactly i64 and i32 mutables.
    expect(
      () =>
        new WebAssembly.Instance(new WebAssembly.Module(worker), {
          throwdown: {
            fuel: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
            stack: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
          },
        }),
    ).toThrow(WebAssembly.LinkError);
  });

  it('keeps what the module computes from globals in bodies, initialisers, segment offsets and exports', async () => {
    const plain = observe(link((await build(false)).main, (await build(false)).worker, false));
    const shared = observe(link((await build(true)).main, (await build(true)).worker, true));
    // Hand-computed, so a pass that broke both the same way would still fail.
    const k = BASE + 100;
    expect(plain).toEqual([7, 7 + k, BASE, BASE, 99, 7 + 2 * k, 0x2a, 7, 7 + 2 * k, k]);
    expect(shared).toEqual(plain);
  });

  it('charges work done in another module to the same counter, readable through any instance', async () => {
    const plainBytes = await build(false);
    const plain = link(plainBytes.main, plainBytes.worker, false);
    plain.mainHost.setBudget(1_000_000, OPTIONS.stackBytes);
    plain.workerHost.setBudget(1_000_000, OPTIONS.stackBytes);
    expect(plain.main.both!(1000)).toBe(99 + BASE + 100);
    const plainMain = 1_000_000 - plain.mainHost.fuelLeft();
    const plainWorker = 1_000_000 - plain.workerHost.fuelLeft();
    expect(plainWorker).toBeGreaterThan(1000); // the loop really ran in the worker

    const sharedBytes = await build(true);
    const shared = link(sharedBytes.main, sharedBytes.worker, true);
    shared.mainHost.setBudget(1_000_000, OPTIONS.stackBytes);
    expect(shared.main.both!(1000)).toBe(99 + BASE + 100);
    const used = 1_000_000 - shared.mainHost.fuelLeft();
    expect(used).toBe(plainMain + plainWorker);
    expect(shared.workerHost.fuelLeft()).toBe(shared.mainHost.fuelLeft());
    expect(Number(shared.fuel!.value)).toBe(shared.mainHost.fuelLeft());

    // Split or not, the budget bounds the whole call: enough for either module's part alone
    // is not enough for both (running out is a trap or, at the very end, a negative counter).
    shared.mainHost.setBudget(Math.max(plainMain, plainWorker), OPTIONS.stackBytes);
    try {
      shared.main.both!(1000);
    } catch {
      // out of fuel: judged by the counter below
    }
    expect(shared.mainHost.fuelLeft()).toBeLessThan(0);
  });

  it('charges start functions to the counter the host hands in', async () => {
    const bytes = metered(
      await wat(`(module (global $n (mut i32) (i32.const 0))
        (func $s (loop $l
          (global.set $n (i32.add (global.get $n) (i32.const 1)))
          (br_if $l (i32.lt_u (global.get $n) (i32.const 500)))))
        (start $s)
        (export "n" (global $n)))`),
      { sharedCounters: true },
    ).bytes;
    const fuel = new WebAssembly.Global({ value: 'i64', mutable: true }, 100_000n);
    const stack = new WebAssembly.Global({ value: 'i32', mutable: true }, OPTIONS.stackBytes);
    const first = new WebAssembly.Instance(new WebAssembly.Module(bytes), { throwdown: { fuel, stack } });
    const afterOne = 100_000 - Number(fuel.value);
    expect((first.exports.n as WebAssembly.Global).value).toBe(500);
    expect(afterOne).toBeGreaterThan(500);
    new WebAssembly.Instance(new WebAssembly.Module(bytes), { throwdown: { fuel, stack } });
    expect(100_000 - Number(fuel.value)).toBe(2 * afterOne);
    // Two start functions that each fit a budget do not fit it together.
    fuel.value = BigInt(afterOne + Math.floor(afterOne / 2));
    new WebAssembly.Instance(new WebAssembly.Module(bytes), { throwdown: { fuel, stack } });
    try {
      new WebAssembly.Instance(new WebAssembly.Module(bytes), { throwdown: { fuel, stack } });
    } catch {
      // out of fuel: judged by the counter below
    }
    expect(Number(fuel.value)).toBeLessThan(0);
  });

  it('gives an empty module the counter imports too', async () => {
    const bytes = metered(await wat('(module)'), { sharedCounters: true }).bytes;
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([
      { module: 'throwdown', name: 'fuel', kind: 'global' },
      { module: 'throwdown', name: 'stack', kind: 'global' },
    ]);
  });
});
