;; Fixed-width SIMD: vector arithmetic, shuffles, lanes, loads and stores.
(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func $dot (param $a v128) (param $b v128) (result i32)
    (local $p v128)
    (local.set $p (i32x4.mul (local.get $a) (local.get $b)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $p)) (i32x4.extract_lane 1 (local.get $p)))
      (i32.add (i32x4.extract_lane 2 (local.get $p)) (i32x4.extract_lane 3 (local.get $p)))))
  (func (export "dot") (param $x i32) (result i32)
    (call $dot (i32x4.splat (local.get $x)) (global.get $g)))
  (func (export "vsum") (param $n i32) (result i64) (local $acc v128) (local $i i32)
    ;; write n i32s 0..n-1, then sum them 4 at a time with SIMD
    block $w
      loop $l
        (br_if $w (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        br $l
      end
    end
    (local.set $i (i32.const 0))
    block $s
      loop $l
        (br_if $s (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64x2.add (local.get $acc)
          (i64x2.extend_low_i32x4_u (v128.load (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $acc (i64x2.add (local.get $acc)
          (i64x2.extend_high_i32x4_u (v128.load (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        br $l
      end
    end
    (i64.add (i64x2.extract_lane 0 (local.get $acc)) (i64x2.extract_lane 1 (local.get $acc))))
  (func (export "shuffle") (param $x i32) (result i32)
    (i8x16.bitmask
      (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0
        (i32x4.splat (local.get $x)) (v128.const i64x2 -1 0))))
  (func (export "floats") (param $x f32) (result f32)
    (f32x4.extract_lane 2 (f32x4.sqrt (f32x4.replace_lane 2 (f32x4.splat (f32.const 1)) (local.get $x)))))
)
