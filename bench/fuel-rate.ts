import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { instrument, MEMORY_IMPORT, meterHost } from '../src/sandbox/wasm/index.js';
import { wasm as WebAssembly } from '../src/sandbox/wasm/wasm-api.js';

/**
 * Nanoseconds per unit of fuel, per instruction class, for metered code: what sizes the
 * deadline a move gets (docs/limits.md, "The move deadline"). The slowest class here, times the
 * margin, must stay below `wallNsPerFuel`. Numbers for humans, nothing asserted.
 *
 * Part of `npm run bench`; alone: npm run build && node dist/bench/fuel-rate.js
 */

const PAGES = 1024; // 64 MiB, the default memory cap
const WAT = `(module
  (memory (export "memory") 1 ${PAGES})
  (table $t 4 20000 funcref)
  (elem (i32.const 0) $leaf $leaf $leaf $leaf)
  (type $v (func (param i32) (result i32)))
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "alu") (param $n i32) (result i64) (local $x i64)
    (local.set $x (i64.const 88172645463325252))
    (loop $l
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
  (func (export "div") (param $n i32) (result i64) (local $x i64)
    (local.set $x (i64.const -1))
    (loop $l
      (local.set $x (i64.add (i64.div_u (local.get $x) (i64.const 3)) (i64.const -6148914691236517206)))
      (local.set $x (i64.rem_u (local.get $x) (i64.const 1000000007)))
      (local.set $x (i64.sub (i64.const -1) (local.get $x)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
  (func (export "fsqrt") (param $n i32) (result f64) (local $x f64)
    (local.set $x (f64.const 12345.678))
    (loop $l
      (local.set $x (f64.add (f64.sqrt (f64.div (local.get $x) (f64.const 1.0001))) (f64.const 1000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
  ;; random read-modify-write over the whole 64 MiB memory: cache and TLB misses
  (func (export "memrand") (param $n i32) (result i32) (local $x i32) (local $p i32)
    (drop (memory.grow (i32.const ${PAGES - 1})))
    (local.set $x (i32.const 2463534242))
    (loop $l
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
      (local.set $p (i32.and (local.get $x) (i32.const ${PAGES * 65536 - 8})))
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (local.get $x)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "indirect") (param $n i32) (result i32) (local $x i32)
    (loop $l
      (local.set $x (call_indirect (type $v) (local.get $x) (i32.and (local.get $n) (i32.const 3))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
  ;; memory.fill and memory.copy over the whole memory, first touch included (fresh pages)
  (func (export "fill") (param $n i32) (result i32)
    (drop (memory.grow (i32.const ${PAGES - 1})))
    (loop $l
      (memory.fill (i32.const 0) (local.get $n) (i32.const ${PAGES * 65536}))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  (func (export "copy") (param $n i32) (result i32)
    (drop (memory.grow (i32.const ${PAGES - 1})))
    (loop $l
      (memory.copy (i32.const 0) (i32.const ${(PAGES / 2) * 65536}) (i32.const ${(PAGES / 2) * 65536}))
      (memory.copy (i32.const ${(PAGES / 2) * 65536}) (i32.const 8) (i32.const ${(PAGES / 2) * 65536 - 8}))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  ;; the same on memory already touched: the steady per-64-byte rate
  (func (export "fillwarm") (param $n i32) (result i32)
    (drop (memory.grow (i32.const ${PAGES - 1})))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const ${PAGES * 65536}))
    (loop $l
      (memory.fill (i32.const 0) (local.get $n) (i32.const ${PAGES * 65536}))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  (func (export "copywarm") (param $n i32) (result i32)
    (drop (memory.grow (i32.const ${PAGES - 1})))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const ${PAGES * 65536}))
    (loop $l
      (memory.copy (i32.const 0) (i32.const ${(PAGES / 2) * 65536}) (i32.const ${(PAGES / 2) * 65536}))
      (memory.copy (i32.const ${(PAGES / 2) * 65536}) (i32.const 8) (i32.const ${(PAGES / 2) * 65536 - 8}))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  (func (export "growall") (param $n i32) (result i32)
    (drop (memory.grow (i32.const ${PAGES - 1})))
    (memory.size))
  ;; memory.grow one page at a time up to the cap
  (func (export "grow") (param $n i32) (result i32)
    (loop $l
      (drop (memory.grow (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (memory.size))
  (func (export "tablegrow") (param $n i32) (result i32)
    (drop (table.grow $t (ref.null func) (i32.const 19990)))
    (loop $l
      (table.fill $t (i32.const 0) (ref.func $leaf) (i32.const 19990))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
)`;

interface Case {
  name: string;
  arg: number;
}
const CASES: Case[] = [
  { name: 'alu', arg: 20_000_000 },
  { name: 'div', arg: 5_000_000 },
  { name: 'fsqrt', arg: 5_000_000 },
  { name: 'memrand', arg: 5_000_000 },
  { name: 'fib', arg: 27 },
  { name: 'indirect', arg: 10_000_000 },
  { name: 'fill', arg: 20 },
  { name: 'copy', arg: 10 },
  { name: 'fillwarm', arg: 20 },
  { name: 'copywarm', arg: 10 },
  { name: 'grow', arg: PAGES - 1 },
  { name: 'growall', arg: 0 },
  { name: 'tablegrow', arg: 2_000 },
];

export interface FuelRate {
  name: string;
  fuel: number;
  ms: number;
  nsPerFuel: number;
}

export async function runFuelRateBench(): Promise<FuelRate[]> {
  const binary = await parse(WAT);
  const metered = instrument(binary, { memoryPages: PAGES, tableElements: 20_000, stackBytes: 512 * 1024 });
  if (!metered.ok) throw new Error(`instrument: ${JSON.stringify(metered.error)}`);
  const module = new WebAssembly.Module(metered.value.bytes);
  const out: FuelRate[] = [];
  for (const c of CASES) {
    const samples: FuelRate[] = [];
    for (let run = 0; run < 4; run++) {
      // A fresh instance (and memory) each run, so page first-touch is part of what is measured.
      const memory = new globalThis.WebAssembly.Memory({ initial: 1, maximum: PAGES });
      const imports = { [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } };
      const instance = new WebAssembly.Instance(module, imports);
      const meter = meterHost(instance);
      const budget = 1e13;
      meter.setBudget(budget, 512 * 1024);
      const t0 = performance.now();
      (instance.exports[c.name] as (n: number) => unknown)(c.arg);
      const ms = performance.now() - t0;
      const fuel = budget - meter.fuelLeft();
      samples.push({ name: c.name, fuel, ms, nsPerFuel: (ms * 1e6) / fuel });
    }
    // The first run includes compilation tiers warming up; keep the slowest of the rest.
    const kept = samples.slice(1).sort((a, b) => b.nsPerFuel - a.nsPerFuel)[0]!;
    out.push(kept);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runFuelRateBench())
    console.log(
      `${r.name.padEnd(10)} ${String(r.fuel).padStart(12)} fuel ${r.ms.toFixed(1).padStart(8)} ms ${r.nsPerFuel.toFixed(2).padStart(7)} ns/fuel`,
    );
}
