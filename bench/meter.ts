import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { instrument, meterHost } from '../src/sandbox/wasm/index.js';
import { wasm as WebAssembly } from '../src/sandbox/wasm/wasm-api.js';
import { AS_BOT, AS_IMPORTS, compileAssemblyScript } from '../test/sandbox/wasm/helpers/assemblyscript.js';
import { frameShapes } from '../test/sandbox/wasm/helpers/frame-shapes.js';
import { inflateModule } from '../test/sandbox/wasm/helpers/inflate.js';

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
  /** Wall time of the first instrument() call in this process (cold JIT), ms. */
  firstMs: number;
  /** Median wall time of instrument() once warm, validation of input and output included, ms. */
  ms: number;
}

export interface MeterBenchFigures {
  overhead: OverheadFigure[];
  instrument: InstrumentFigure[];
}

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, whether this runs from bench/ or compiled in dist/bench/. */
const root = here.endsWith(join('dist', 'bench')) ? join(here, '../..') : join(here, '..');
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
  (func (export "float") (param $n i32) (result f64) (local $x f64) (local $y f64) (local $s f64)
    ;; Float arithmetic (every add, mul, div and sqrt gets NaN canonicalisation when metered).
    (local.set $x (f64.const 0.5))
    (local.set $y (f64.const 1.25))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 0.999)) (f64.const 0.001)))
      (local.set $y (f64.div (f64.add (local.get $y) (local.get $x)) (f64.const 1.0001)))
      (local.set $s (f64.add (local.get $s) (f64.sqrt (f64.mul (local.get $x) (local.get $y)))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`;

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
  for (let i = 0; i < 5; i++) {
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
  const t0 = performance.now();
  let last = instrument(bytes, OPTIONS);
  const firstMs = Math.round(performance.now() - t0);
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
    firstMs,
    ms: Math.round(median(times)),
  };
}

export async function runMeterBench(options: { quick?: boolean } = {}): Promise<MeterBenchFigures> {
  const reps = options.quick ? 3 : 9;
  const wat = await parse(WAT_BOT);
  // The same AssemblyScript program the metering tests check for identical results.
  const as = await compileAssemblyScript(AS_BOT);

  // Instrument times first, so the first call is measured before anything warmed the JIT.
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
  const overheadFigures = await runOverheadBench(reps, wat, as);

  return { overhead: overheadFigures, instrument: instrumentFigures };
}

/** The fuel overhead figures alone (`node dist/bench/overhead.js`: about half a minute). */
export async function runOverheadBench(
  reps: number,
  wat?: Uint8Array,
  as?: Uint8Array,
): Promise<OverheadFigure[]> {
  wat ??= await parse(WAT_BOT);
  as ??= await compileAssemblyScript(AS_BOT);
  const asImports = AS_IMPORTS;
  return [
    overhead('WAT prime counting (trial division), n=500k', wat, 'primes', [500_000], reps),
    overhead('WAT xorshift + FNV hash over memory, 10M rounds', wat, 'hash', [10_000_000], reps),
    overhead('WAT float arithmetic (add, mul, div, sqrt), 5M rounds', wat, 'float', [5_000_000], reps),
    overhead('WAT recursive fib(30)', wat, 'fib', [30], reps),
    overhead('AssemblyScript prime counting, n=500k', as, 'countPrimes', [500_000], reps, asImports),
    overhead('AssemblyScript Map/String/Array sort, n=200k', as, 'mapWork', [200_000], reps, asImports),
  ];
}

// ---------------------------------------------------------------------------------------------
// Stack frames: calibration of the stack budget's frame cost (src/sandbox/wasm/frame-cost.ts).

/**
 * Measures V8's real native frame size for each shape in bench/frame-shapes.ts, in each tier,
 * and compares it with the stack budget's charge (`frameCost`). A ratio below 1 would mean the
 * budget undercharges that frame, and V8's own limit could then stop a recursion first.
 *
 * Method: run the metered module with an unlimited budget until V8 throws RangeError, at
 * `--stack-size` 984 and 1968 KiB; the real frame is (difference in bytes) / (difference in
 * depth), so the caller's stack cancels out.
 */

export const TIER_FLAGS: Record<string, string[]> = {
  liftoff: ['--liftoff', '--no-wasm-tier-up'],
  turbofan: ['--no-liftoff'],
  default: [],
};

const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const bytes = Buffer.from(Buffer.concat(chunks).toString(), 'base64');
const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
e.throwdown_fuel.value = 1n << 60n;
e.throwdown_stack.value = 0x7fffffff;
let kind = 'returned';
try { e.go(); } catch (err) { kind = err instanceof RangeError ? 'v8' : 'other: ' + err.message; }
console.log(JSON.stringify({ depth: e.depth.value, kind }));
`;

function depthAt(bytes: Uint8Array, flags: string[], stackKiB: number): number {
  const out = spawnSync(
    process.execPath,
    [...flags, `--stack-size=${stackKiB}`, '--input-type=module', '-e', CHILD],
    {
      input: Buffer.from(bytes).toString('base64'),
      encoding: 'utf8',
    },
  );
  const r = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { depth: number; kind: string };
  if (r.kind !== 'v8') throw new Error(`expected V8's RangeError, got ${r.kind}`);
  return r.depth;
}

export interface FrameMeasurement {
  shape: string;
  /** What the stack budget charges per call, bytes. */
  cost: number;
  /** Per tier: V8's depth limit at the default 984 KiB, real frame bytes, cost / real. */
  tiers: Record<string, { depth: number; frameBytes: number; ratio: number }>;
}

export async function measureFrames(only?: (name: string) => boolean): Promise<FrameMeasurement[]> {
  const rows: FrameMeasurement[] = [];
  for (const [shape, text] of Object.entries(frameShapes())) {
    if (only && !only(shape)) continue;
    const res = instrument(await parse(text), { memoryPages: 16, tableElements: 16, stackBytes: 1 << 20 });
    if (!res.ok) throw new Error(`${shape}: ${res.error.message}`);
    const row: FrameMeasurement = { shape, cost: res.value.maxFrameCost, tiers: {} };
    for (const [tier, flags] of Object.entries(TIER_FLAGS)) {
      const d1 = depthAt(res.value.bytes, flags, 984);
      const d2 = depthAt(res.value.bytes, flags, 1968);
      const frameBytes = Math.round((984 * 1024) / (d2 - d1));
      row.tiers[tier] = { depth: d1, frameBytes, ratio: Math.round((row.cost / frameBytes) * 100) / 100 };
    }
    rows.push(row);
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--frames')) {
    for (const r of await measureFrames()) {
      const cells = Object.entries(r.tiers).map(
        ([t, v]) => `${t} ${v.frameBytes}B x${v.ratio} (V8 depth ${v.depth})`,
      );
      console.log(`${r.shape.padEnd(22)} charged ${String(r.cost).padStart(6)}B  ${cells.join('  ')}`);
    }
  } else {
    const figures = await runMeterBench({ quick: process.argv.includes('--quick') });
    console.log(JSON.stringify(figures, null, 2));
  }
}
