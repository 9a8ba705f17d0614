import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/sandbox/limits.js';
import { classifyInstantiationTrap, LEAF_STACK_RESERVE } from '../../../src/sandbox/wasm/index.js';
import { runNodeJson, TIERS, toBase64 } from './helpers/child.js';
import { frameShapes } from './helpers/frame-shapes.js';
import { instantiateMetered, metered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

const RECURSE_UNTIL_STOPPED = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { wasm, budget } = JSON.parse(Buffer.concat(chunks).toString());
const e = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasm, 'base64'))).exports;
e.throwdown_fuel.value = 1n << 60n;
e.throwdown_stack.value = budget;
let stoppedBy = 'nothing';
try { e.go(); } catch (err) {
  stoppedBy = err instanceof RangeError ? 'v8' : e.throwdown_stack.value < 0 ? 'budget' : 'other: ' + err.message;
}
console.log(JSON.stringify({ stoppedBy, depth: e.depth.value }));
`;

interface Stop {
  stoppedBy: string;
  depth: number;
}

describe('the stack budget', () => {
  // Near V8's own limit (984 KiB on a main thread) the formula must still win; at the default
  // there is ample room. A shape the formula undercharged would hit V8's RangeError first.
  for (const budget of [DEFAULT_LIMITS.stackBytes, 900 * 1024]) {
    it(`stops deep recursion before V8 does, at the same depth in every tier (budget ${budget / 1024} KiB)`, async () => {
      const shapes = frameShapes();
      const names = [
        'tiny',
        'mutual',
        'locals512',
        'stack512',
        'params128',
        'results32',
        'v128locals256',
        'loopF64Trunc128',
      ];
      for (const name of names) {
        const bytes = metered(await wat(shapes[name]!), { stackBytes: budget }).bytes;
        const stops = await Promise.all(
          Object.values(TIERS).map((flags) =>
            runNodeJson<Stop>(flags, RECURSE_UNTIL_STOPPED, { wasm: toBase64(bytes), budget }),
          ),
        );
        for (const stop of stops) expect(stop, name).toEqual({ stoppedBy: 'budget', depth: stops[0]!.depth });
        expect(stops[0]!.depth, name).toBeGreaterThan(0);
      }
    });
  }

  it('charges every call its frame cost, so the depth reached is the budget divided by the cost', async () => {
    const bytes = await wat(`(module
      (global $depth (export "depth") (mut i32) (i32.const 0))
      (func $r (export "go") (global.set $depth (i32.add (global.get $depth) (i32.const 1))) (call $r)))`);
    const m = instantiateMetered(bytes);
    const { maxFrameCost: cost, stackReserve: reserve } = m.info;
    // Each call needs its cost plus the leaf reserve to be left.
    for (const budget of [
      0,
      cost - 1,
      cost + reserve - 1,
      cost + reserve,
      10 * cost + reserve + 5,
      100_000,
    ]) {
      (m.exports.depth as unknown as WebAssembly.Global).value = 0;
      m.host.setBudget(1e9, budget);
      let error: unknown;
      try {
        m.exports.go!();
      } catch (e) {
        error = e;
      }
      expect(m.host.classifyTrap(error).kind).toBe('stack-exhausted');
      const expected = budget < cost + reserve ? 0 : Math.floor((budget - reserve) / cost);
      expect((m.exports.depth as unknown as WebAssembly.Global).value, `budget ${budget}`).toBe(expected);
    }
  });

  it('leaves a reserve for uncharged leaf functions above the deepest charged frame', async () => {
    const bytes = await wat(`(module
      (global $depth (export "depth") (mut i32) (i32.const 0))
      (func $leaf (param i64 i64 i64 i64) (result i64) (local i64 i64 i64 i64 i64 i64)
        (i64.add (local.get 0) (local.get 3)))
      (func $r (export "go") (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
        (drop (call $leaf (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)))
        (call $r)))`);
    const m = instantiateMetered(bytes);
    const { maxFrameCost: cost, stackReserve: reserve } = m.info;
    // $r (16 locals) is the costlier frame; the leaf is not charged but fits in the reserve.
    expect(reserve).toBe(LEAF_STACK_RESERVE);
    const budget = 50_000;
    m.host.setBudget(1e9, budget);
    expect(() => m.exports.go!()).toThrow(WebAssembly.RuntimeError);
    expect(m.host.stackLeft()).toBe(-1);
    // A call needs its own cost plus the reserve to be left.
    expect((m.exports.depth as unknown as WebAssembly.Global).value).toBe(
      Math.floor((budget - reserve) / cost),
    );
  });

  it('is given back on every return, branch out, tail call and end', async () => {
    const m = instantiateMetered(
      await wat(`(module
        (func $leaf (result i32) i32.const 1)
        (func $viaReturn (param i32) (result i32) local.get 0 if i32.const 2 return end call $leaf)
        (func $viaBr (param i32) (result i32) i32.const 3 local.get 0 br_if 0 drop call $leaf)
        (func $viaTable (param i32) (result i32) block (result i32) i32.const 4 local.get 0 br_table 1 0 end drop call $leaf)
        (func $viaTail (param i32) (result i32) local.get 0 if (result i32) return_call $leaf else i32.const 5 end)
        (func (export "all") (param i32) (result i32)
          (i32.add (i32.add (call $viaReturn (local.get 0)) (call $viaBr (local.get 0)))
                   (i32.add (call $viaTable (local.get 0)) (call $viaTail (local.get 0))))))`),
    );
    for (const x of [0, 1, 0, 1]) {
      m.host.setBudget(1e9, OPTIONS.stackBytes);
      m.exports.all!(x);
      expect(m.host.stackLeft()).toBe(OPTIONS.stackBytes);
    }
  });

  it('stays right across caught exceptions, which skip the frames they unwind', async () => {
    const m = instantiateMetered(
      await wat(`(module
        (tag $e)
        (func $dive (param i32) (if (i32.eqz (local.get 0)) (then (throw $e))) (call $dive (i32.sub (local.get 0) (i32.const 1))))
        (func $catcher (param i32) (result i32)
          try (result i32) (call $dive (local.get 0)) i32.const 0 catch $e i32.const 1 end)
        (func (export "many") (param i32) (result i32) (local $n i32) (local $sum i32)
          (local.set $n (i32.const 1000))
          (loop $l
            (local.set $sum (i32.add (local.get $sum) (call $catcher (local.get 0))))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
          (local.get $sum)))`),
    );
    // 1000 exceptions, each unwinding 100 frames: if the landing did not restore the counter,
    // 100,000 frames' worth of budget would leak and the budget would run out.
    m.host.setBudget(1e9, 64 * 1024);
    expect(m.exports.many!(100)).toBe(1000);
    expect(m.host.stackLeft()).toBe(64 * 1024);
  });

  it('applies to start functions, which run during instantiation', async () => {
    const info = metered(await wat(`(module (func $r (call $r)) (func $start (call $r)) (start $start))`));
    let error: unknown;
    try {
      new WebAssembly.Instance(new WebAssembly.Module(info.bytes));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(classifyInstantiationTrap(error, info).kind).toBe('stack-exhausted');
  });

  it('maps V8 RangeError to stack-exhausted as a last resort', async () => {
    const m = instantiateMetered(await wat(`(module (func (export "f")))`));
    m.host.setBudget(1000, 1000);
    expect(m.host.classifyTrap(new RangeError('Maximum call stack size exceeded')).kind).toBe(
      'stack-exhausted',
    );
  });
});
