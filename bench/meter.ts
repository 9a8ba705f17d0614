import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import asc from 'assemblyscript/asc';
import { instrument, meterHost } from '../src/sandbox/wasm/index.js';
import { wasm as WebAssembly } from '../src/sandbox/wasm/wasm-api.js';
import { inflateModule } from './inflate.js';

/**
 * Benchmarks for the metering rewriter: how much slower metered code runs than the original
 * (target: at most 1.3x for compute-heavy bots) and how long instrumenting takes (target: at
 * most 1 s for a 1 MB module). Returns figures; the main benchmark imports `runMeterBench`.
 */

export interface OverheadFigure {
  name: string;
  plainMs: number;
  meteredMs: number;
  /** meteredMs / plainMs (medians). */
  ratio: number;
  /** Fuel one run used. */
  fuel: number;
}

export interface InstrumentFigure {
  name: string;
  inputBytes: number;
  outputBytes: number;
  functions: number;
  /** Median wall time of instrument(), validation of input and output included. */
  ms: number;
}

export interface MeterBenchFigures {
  overhead: OverheadFigure[];
  instrument: InstrumentFigure[];
}

const root = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  process.argv[1]?.includes('/dist/') ? '..' : '',
);
const OPTIONS = { memoryPages: 1024, tableElements: 100_000, stackBytes: 512 * 1024 };

const WAT_BOT = `(module
  (memory (export "memory") 16)
  (func (export "primes") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $count i32)
    (local.set $i (i32.const 2))
    (block $done (loop $outer
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 2))
      (block $composite (block $prime (loop $inner
        (br_if $prime (i32.gt_u (i32.mul (local.get $j) (local.get $j)) (local.get $i)))
        (br_if $composite (i32.eqz (i32.rem_u (local.get $i) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $inner)))
        (local.set $count (i32.add (local.get $count) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $outer)))
    (local.get $count))
  (func (export "hash") (param $rounds i32) (result i64) (local $h i64) (local $x i64) (local $p i32)
    (local.set $h (i64.const 0xcbf29ce484222325))
    (local.set $x (i64.const 88172645463325252))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $rounds)))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (local.set $p (i32.and (i32.wrap_i64 (local.get $x)) (i32.const 0xffff8)))
      (i64.store (local.get $p) (i64.xor (i64.load (local.get $p)) (local.get $x)))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $p))) (i64.const 0x100000001b3)))
      (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
      (br $l)))
    (local.get $h))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`;

const AS_BOT = `
export function primes(n: i32): i32 {
  let count = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let j = 2; j * j <= i; j++) { if (i % j == 0) { prime = false; break; } }
    if (prime) count++;
  }
  return count;
}
export function collections(n: i32): i32 {
  const m = new Map<i32, string>();
  for (let i = 0; i < n; i++) m.set(i, i.toString());
  let total = 0;
  for (let i = 0; i < n; i++) total += m.get(i).length;
  const arr = new Array<f64>();
  for (let i = 0; i < n; i++) arr.push(Math.sqrt(<f64>i));
  arr.sort();
  return total + <i32>arr[n - 1];
}
`;

type Fn = (...args: unknown[]) => unknown;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

function overhead(
  name: string,
  bytes: Uint8Array,
  fn: string,
  args: unknown[],
  reps: number,
  imports: Record<string, Record<string, unknown>> = {},
): OverheadFigure {
  const res = instrument(bytes, OPTIONS);
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`);
  const plain = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as Record<
    string,
    Fn
  >;
  const meteredInstance = new WebAssembly.Instance(new WebAssembly.Module(res.value.bytes), imports);
  const metered = meteredInstance.exports as Record<string, Fn>;
  const host = meterHost(meteredInstance);
  const runMetered = () => {
    host.setBudget(1e15, OPTIONS.stackBytes);
    metered[fn]!(...args);
  };
  const runPlain = () => plain[fn]!(...args);
  // Warm up both so they run in optimized code.
  for (let i = 0; i < 3; i++) {
    runPlain();
    runMetered();
  }
  const p: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < reps; i++) {
    p.push(time(runPlain));
    m.push(time(runMetered));
  }
  runMetered();
  const fuel = 1e15 - host.fuelLeft();
  const plainMs = median(p);
  const meteredMs = median(m);
  return {
    name,
    plainMs: round(plainMs),
    meteredMs: round(meteredMs),
    ratio: round(meteredMs / plainMs),
    fuel,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function instrumentTime(name: string, bytes: Uint8Array, reps: number): InstrumentFigure {
  let last = instrument(bytes, OPTIONS);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    last = instrument(bytes, OPTIONS);
    times.push(performance.now() - t);
  }
  if (!last.ok) throw new Error(`${name}: ${last.error.message}`);
  return {
    name,
    inputBytes: bytes.length,
    outputBytes: last.value.size,
    functions: last.value.functions,
    ms: Math.round(median(times)),
  };
}

export async function runMeterBench(options: { quick?: boolean } = {}): Promise<MeterBenchFigures> {
  const reps = options.quick ? 3 : 9;
  const wat = await parse(WAT_BOT);
  const compiled = await asc.compileString(AS_BOT, {
    optimizeLevel: 3,
    shrinkLevel: 0,
    runtime: 'incremental',
    noAssert: true,
  });
  if (!compiled.binary) throw new Error(`asc failed: ${compiled.stderr.toString()}`);
  const as = compiled.binary;
  const asImports = {
    env: {
      abort: () => {
        throw new Error('abort');
      },
    },
  };
  const overheadFigures = [
    overhead('WAT prime counting (trial division), n=300k', wat, 'primes', [300_000], reps),
    overhead('WAT xorshift + FNV hash over memory, 3M rounds', wat, 'hash', [3_000_000], reps),
    overhead('WAT recursive fib(27)', wat, 'fib', [27], reps),
    overhead('AssemblyScript prime counting, n=300k', as, 'primes', [300_000], reps, asImports),
    overhead('AssemblyScript Map/String/Array sort, n=20k', as, 'collections', [20_000], reps, asImports),
  ];

  const vendor = join(root, 'node_modules/@bytecodealliance/jco-transpile/vendor');
  const rust24 = new Uint8Array(readFileSync(join(vendor, 'wasm-tools.core.wasm')));
  const rust35 = new Uint8Array(readFileSync(join(vendor, 'js-component-bindgen-component.core.wasm')));
  const instrumentFigures = [
    instrumentTime('AssemblyScript bot inflated to ~1 MB', inflateModule(as, 1_000_000), reps),
    instrumentTime('wasm-tools.core.wasm (Rust, from jco-transpile)', rust24, reps),
    instrumentTime('js-component-bindgen-component.core.wasm (Rust)', rust35, reps),
    instrumentTime(
      'js-component-bindgen inflated to ~10 MB',
      inflateModule(rust35, 10_000_000),
      Math.min(reps, 5),
    ),
  ];
  return { overhead: overheadFigures, instrument: instrumentFigures };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await runMeterBench({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(figures, null, 2));
}
