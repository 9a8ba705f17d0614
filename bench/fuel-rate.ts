import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { instrument, MEMORY_IMPORT, meterHost } from '../src/sandbox/wasm/index.js';
import { wasm as WebAssembly } from '../src/sandbox/wasm/wasm-api.js';

/**
 * Nanoseconds per unit of fuel, per instruction class, for metered code: what sizes the
 * deadline a move gets (docs/limits.md, "The move deadline"). The slowest class here, times the
 * margin, must stay below `wallNsPerFuel`. Numbers for humans, nothing asserted. Each case runs
 * long enough (tens of ms) that one descheduling under load does not dominate it, except `grow`,
 * `growall` and `tablegrow`, which the memory and table caps bound (a few ms).
 *
 * Part of `npm run bench`; alone: npm run build && node dist/bench/fuel-rate.js [case ...]
 */

const PAGES = 1024; // 64 MiB, the default memory cap
const ELEMS = 8192; // a passive element segment's length
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
  ;; memory.grow that grows nothing, and one that fails (past the cap): a call into the engine each
  (func (export "grow0") (param $n i32) (result i32)
    (loop $l
      (drop (memory.grow (i32.const 0)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (memory.size))
  (func (export "growfail") (param $n i32) (result i32)
    (loop $l
      (drop (memory.grow (i32.const 65536)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (memory.size))
  ;; memory.init from a 64 KiB passive segment, and data.drop (a no-op after the first)
  (func (export "meminit") (param $n i32) (result i32)
    (drop (memory.grow (i32.const 15)))
    (loop $l
      (memory.init $d (i32.and (local.get $n) (i32.const 0xff000)) (i32.const 0) (i32.const 65536))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  (func (export "datadrop") (param $n i32) (result i32)
    (loop $l
      (data.drop $d)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  ;; bulk operations of length 0: only the call into the engine
  (func (export "bulk0") (param $n i32) (result i32)
    (loop $l
      (memory.copy (i32.const 0) (i32.const 8) (i32.const 0))
      (memory.fill (i32.const 0) (i32.const 1) (i32.const 0))
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  (func (export "tablebulk0") (param $n i32) (result i32)
    (loop $l
      (table.fill $t (i32.const 0) (ref.func $leaf) (i32.const 0))
      (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 0))
      (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 0))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  ;; table.fill of the whole table with a function reference, and with null
  (func (export "tablefill") (param $n i32) (result i32)
    (drop (table.grow $t (ref.null func) (i32.const 19990)))
    (loop $l
      (table.fill $t (i32.const 0) (ref.func $leaf) (i32.const 19990))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  (func (export "tablefillnull") (param $n i32) (result i32)
    (drop (table.grow $t (ref.null func) (i32.const 19990)))
    (loop $l
      (table.fill $t (i32.const 0) (ref.null func) (i32.const 19990))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  (func (export "tablecopy") (param $n i32) (result i32)
    (drop (table.grow $t (ref.func $leaf) (i32.const 19990)))
    (loop $l
      (table.copy $t $t (i32.const 0) (i32.const 9997) (i32.const 9997))
      (table.copy $t $t (i32.const 9997) (i32.const 1) (i32.const 9996))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  ;; table.init from a passive segment of ${ELEMS} function references
  (func (export "tableinit") (param $n i32) (result i32)
    (drop (table.grow $t (ref.null func) (i32.const 19990)))
    (loop $l
      (table.init $t $e (i32.and (local.get $n) (i32.const 8191)) (i32.const 0) (i32.const ${ELEMS}))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  ;; table.grow one element at a time up to the cap, by 0, and past the cap (fails)
  (func (export "tablegrow") (param $n i32) (result i32)
    (loop $l
      (drop (table.grow $t (ref.func $leaf) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  (func (export "tablegrow0") (param $n i32) (result i32)
    (loop $l
      (drop (table.grow $t (ref.func $leaf) (i32.const 0)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  (func (export "tablegrowfail") (param $n i32) (result i32)
    (loop $l
      (drop (table.grow $t (ref.func $leaf) (i32.const 100000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (table.size $t))
  (data $d "${'\\00'.repeat(65536)}")
  (elem $e func ${'$leaf '.repeat(ELEMS)})
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
  { name: 'grow0', arg: 2_000_000 },
  { name: 'growfail', arg: 2_000_000 },
  { name: 'meminit', arg: 10_000 },
  { name: 'datadrop', arg: 20_000_000 },
  { name: 'bulk0', arg: 5_000_000 },
  { name: 'tablebulk0', arg: 3_000_000 },
  { name: 'tablefill', arg: 200 },
  { name: 'tablefillnull', arg: 200 },
  { name: 'tablecopy', arg: 200 },
  { name: 'tableinit', arg: 400 },
  { name: 'tablegrow', arg: 19_996 },
  { name: 'tablegrow0', arg: 2_000_000 },
  { name: 'tablegrowfail', arg: 2_000_000 },
];

export interface FuelRate {
  name: string;
  fuel: number;
  ms: number;
  nsPerFuel: number;
}

/** `only`: the names of the cases to run (all when empty). */
export async function runFuelRateBench(only: readonly string[] = []): Promise<FuelRate[]> {
  const binary = await parse(WAT);
  const metered = instrument(binary, { memoryPages: PAGES, tableElements: 20_000, stackBytes: 512 * 1024 });
  if (!metered.ok) throw new Error(`instrument: ${JSON.stringify(metered.error)}`);
  const module = new WebAssembly.Module(metered.value.bytes);
  const out: FuelRate[] = [];
  for (const c of CASES.filter((c) => only.length === 0 || only.includes(c.name))) {
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
  for (const r of await runFuelRateBench(process.argv.slice(2)))
    console.log(
      `${r.name.padEnd(14)} ${String(r.fuel).padStart(12)} fuel ${r.ms.toFixed(1).padStart(8)} ms ${r.nsPerFuel.toFixed(2).padStart(7)} ns/fuel`,
    );
}
