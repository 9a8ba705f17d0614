;; Plays by the payload and sign bits of NaNs that flow through arithmetic. Which operand's
;; payload an add, min or max keeps, whether a conversion keeps it, and what a folded constant
;; holds are left to the hardware and the compiler: without canonicalisation they differ
;; between V8's tiers and between CPUs. Scalar and SIMD.
(module
  (func $nan32 (param $payload i32) (result f32)
    (f32.reinterpret_i32 (i32.or (i32.const 0x7f800001) (i32.and (local.get $payload) (i32.const 0x803fffff)))))
  (func $nan64 (param $payload i32) (result f64)
    (f64.reinterpret_i64 (i64.or (i64.const 0x7ff0000000000001)
      (i64.shl (i64.extend_i32_u (local.get $payload)) (i64.const 13)))))
  (func $mix (param $h i32) (param $x i32) (result i32)
    (i32.mul (i32.xor (local.get $h) (local.get $x)) (i32.const 0x01000193)))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (local $a f32) (local $b f32) (local $c f64) (local $h i32)
    (local.set $a (call $nan32 (i32.mul (local.get $round) (i32.const 2654435761))))
    (local.set $b (call $nan32 (i32.xor (local.get $round) (i32.const 0x80123456))))
    (local.set $c (call $nan64 (i32.mul (local.get $round) (i32.const 40503))))
    (local.set $h (i32.const 0x811c9dc5))
    (local.set $h (call $mix (local.get $h) (i32.reinterpret_f32 (f32.add (local.get $a) (local.get $b)))))
    (local.set $h (call $mix (local.get $h) (i32.reinterpret_f32 (f32.add (local.get $b) (local.get $a)))))
    (local.set $h (call $mix (local.get $h) (i32.reinterpret_f32 (f32.min (local.get $a) (local.get $b)))))
    (local.set $h (call $mix (local.get $h) (i32.reinterpret_f32 (f32.max (local.get $b) (local.get $a)))))
    (local.set $h (call $mix (local.get $h) (i32.reinterpret_f32 (f32.demote_f64 (local.get $c)))))
    (local.set $h (call $mix (local.get $h)
      (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (f64.promote_f32 (local.get $a))) (i64.const 29)))))
    (local.set $h (call $mix (local.get $h)
      (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (f64.mul (local.get $c) (f64.const 2))) (i64.const 32)))))
    (local.set $h (call $mix (local.get $h)
      (i32.reinterpret_f32 (f32.div (f32.const 0x1p0) (f32.reinterpret_i32 (i32.const 0xffc00001))))))
    ;; SIMD: lane-wise min/add of NaNs with different payloads.
    (local.set $h (call $mix (local.get $h) (i32x4.extract_lane 1
      (f32x4.min (f32x4.splat (local.get $a)) (f32x4.splat (local.get $b))))))
    (local.set $h (call $mix (local.get $h) (i32x4.extract_lane 3
      (f32x4.add (f32x4.splat (local.get $b)) (f32x4.splat (local.get $a))))))
    (local.set $h (call $mix (local.get $h) (i32.wrap_i64 (i64.shr_u (i64x2.extract_lane 0
      (f64x2.max (f64x2.splat (local.get $c)) (f64x2.splat (f64.promote_f32 (local.get $b))))) (i64.const 32)))))
    (i32.rem_u (i32.add (i32.shr_u (local.get $h) (i32.const 7)) (local.get $round)) (i32.const 3))))
