import { describe, expect, it } from 'vitest';
import { instantiate, instantiateMetered, run } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

/**
 * Every float operation that can make a NaN gives the canonical quiet NaN after metering
 * (positive sign, payload 0x400000 / 0x8000000000000), whatever NaN the hardware or the
 * compiler tier produced; bit-exact operations (neg, abs, copysign, reinterpret, loads) keep
 * their bits, as Wasmtime's NaN canonicalisation does.
 */

const F32_CANON = 0x7fc0_0000;
const F64_CANON = 0x7ff8_0000_0000_0000n;

const MODULE = `(module
  (func $nan32 (param $bits i32) (result f32) local.get $bits f32.reinterpret_i32)
  (func $nan64 (param $bits i64) (result f64) local.get $bits f64.reinterpret_i64)
  ;; op is chosen at run time so no tier can fold the NaN it makes.
  (func (export "f32") (param $op i32) (param $bits i32) (result i32)
    (local $x f32)
    (local.set $x (call $nan32 (local.get $bits)))
    (block $b (block $neg (block $max (block $min (block $sqrt (block $div (block $add (block $ceil (block $demote
      (br_table $demote $ceil $add $div $sqrt $min $max $neg (local.get $op)))
      (return (i32.reinterpret_f32 (f32.demote_f64 (f64.promote_f32 (local.get $x))))))
      (return (i32.reinterpret_f32 (f32.ceil (local.get $x)))))
      (return (i32.reinterpret_f32 (f32.add (local.get $x) (f32.const 1)))))
      (return (i32.reinterpret_f32 (f32.div (f32.sub (local.get $x) (local.get $x)) (f32.const 0)))))
      (return (i32.reinterpret_f32 (f32.sqrt (f32.neg (f32.abs (local.get $x)))))))
      (return (i32.reinterpret_f32 (f32.min (local.get $x) (f32.const 1)))))
      (return (i32.reinterpret_f32 (f32.max (f32.const 1) (local.get $x)))))
      (return (i32.reinterpret_f32 (f32.neg (local.get $x)))))
    unreachable)
  (func (export "f64") (param $op i32) (param $bits i64) (result i64)
    (local $x f64)
    (local.set $x (call $nan64 (local.get $bits)))
    (block $b (block $copysign (block $nearest (block $mul (block $sub (block $promote
      (br_table $promote $sub $mul $nearest $copysign (local.get $op)))
      (return (i64.reinterpret_f64 (f64.promote_f32 (f32.demote_f64 (local.get $x))))))
      (return (i64.reinterpret_f64 (f64.sub (f64.const 0) (local.get $x)))))
      (return (i64.reinterpret_f64 (f64.mul (local.get $x) (f64.const -2)))))
      (return (i64.reinterpret_f64 (f64.nearest (local.get $x)))))
      (return (i64.reinterpret_f64 (f64.copysign (local.get $x) (f64.const -1)))))
    unreachable)
  (func (export "f32x4") (param $bits i32) (result i32)
    (i32x4.extract_lane 2 (f32x4.add
      (f32x4.replace_lane 2 (v128.const f32x4 1 2 3 4) (call $nan32 (local.get $bits)))
      (v128.const f32x4 1 1 1 1))))
  (func (export "f32x4-ok") (param $bits i32) (result i32)
    (i32x4.extract_lane 0 (f32x4.sqrt (f32x4.splat (f32.reinterpret_i32 (local.get $bits))))))
  (func (export "f64x2") (param $bits i64) (result i64)
    (i64x2.extract_lane 1 (f64x2.div
      (f64x2.replace_lane 1 (v128.const f64x2 1 2) (call $nan64 (local.get $bits)))
      (v128.const f64x2 3 3)))))`;

const NAN32 = [0x7fc0_0000, 0xffc0_0000, 0x7fa0_0001, 0xffff_ffff, 0x7f80_0001].map((x) => x | 0);
const NAN64 = [
  0x7ff8_0000_0000_0000n,
  0xfff8_0000_0000_0000n,
  0x7ff0_0000_dead_beefn,
  0xffff_ffff_ffff_ffffn,
].map((x) => BigInt.asIntN(64, x));

describe('NaN canonicalisation', () => {
  it('gives the canonical NaN from every f32 and f64 operation that can make one', async () => {
    const m = instantiateMetered(await wat(MODULE));
    for (const bits of NAN32) {
      for (let op = 0; op <= 6; op++) {
        expect({ op, bits, out: run(m, () => m.exports.f32!(op, bits)).value }).toEqual({
          op,
          bits,
          out: F32_CANON,
        });
      }
    }
    for (const bits of NAN64) {
      for (let op = 0; op <= 3; op++) {
        const out = BigInt.asUintN(64, run(m, () => m.exports.f64!(op, bits)).value as bigint);
        expect({ op, bits, out }).toEqual({ op, bits, out: F64_CANON });
      }
    }
  });

  it('leaves bit-exact operations and ordinary results alone', async () => {
    const bytes = await wat(MODULE);
    const m = instantiateMetered(bytes);
    const plain = instantiate(bytes);
    // neg and copysign only flip or set the sign bit, NaN or not.
    for (const bits of NAN32)
      expect(run(m, () => m.exports.f32!(7, bits)).value).toBe((bits ^ 0x8000_0000) | 0);
    for (const bits of NAN64) {
      expect(run(m, () => m.exports.f64!(4, bits)).value).toBe(BigInt.asIntN(64, bits | (1n << 63n)));
    }
    // Numbers come out exactly as without metering; NaNs made from numbers (0/0, inf-inf) canonical.
    const is32Nan = (b: number) => (b & 0x7f80_0000) === 0x7f80_0000 && (b & 0x7f_ffff) !== 0;
    const is64Nan = (b: bigint) => Number.isNaN(new Float64Array(new BigInt64Array([b]).buffer)[0]);
    const want32 = (b: unknown) => (is32Nan(b as number) ? F32_CANON : b);
    const want64 = (b: unknown) => (is64Nan(b as bigint) ? BigInt.asIntN(64, F64_CANON) : b);
    for (const x of [1.5, -0, 0, Number.POSITIVE_INFINITY, 3.25e7]) {
      const bits32 = new Int32Array(new Float32Array([x]).buffer)[0]!;
      const bits64 = new BigInt64Array(new Float64Array([x]).buffer)[0]!;
      for (let op = 0; op <= 6; op++) {
        expect(run(m, () => m.exports.f32!(op, bits32)).value).toBe(want32(plain.f32!(op, bits32)));
      }
      for (let op = 0; op <= 3; op++) {
        expect(run(m, () => m.exports.f64!(op, bits64)).value).toBe(want64(plain.f64!(op, bits64)));
      }
      expect(run(m, () => m.exports.f32x4!(bits32)).value).toBe(want32(plain.f32x4!(bits32)));
      expect(run(m, () => m.exports.f64x2!(bits64)).value).toBe(want64(plain.f64x2!(bits64)));
    }
    // 0/0 made by the hardware is negative on x86; metered, it is the canonical NaN.
    expect(run(m, () => m.exports.f32!(3, 0)).value).toBe(F32_CANON);
  });

  it('canonicalises SIMD lanes', async () => {
    const m = instantiateMetered(await wat(MODULE));
    for (const bits of NAN32) {
      expect(run(m, () => m.exports.f32x4!(bits)).value).toBe(F32_CANON);
      expect(run(m, () => m.exports['f32x4-ok']!(bits)).value).toBe(F32_CANON);
    }
    expect(run(m, () => m.exports['f32x4-ok']!(-4)).value).toBe(F32_CANON); // sqrt of a negative
    for (const bits of NAN64) {
      expect(BigInt.asUintN(64, run(m, () => m.exports.f64x2!(bits)).value as bigint)).toBe(F64_CANON);
    }
  });
});
