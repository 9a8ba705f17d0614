;; Plays by the sign bits of NaNs. 0/0, inf-inf and sqrt(-1) make a NaN whose sign the hardware
;; picks (negative on x86, positive on ARM), and V8's optimising tier folds constant operands to
;; a NaN of its own: without canonicalisation the moves change with the compiler tier, which
;; takes over at a load-dependent moment. Some NaNs come from constants, some from the round.
(module
  (func $sign64 (param $x f64) (result i32)
    (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 63))))
  (func $sign32 (param $x f32) (result i32)
    (i32.shr_u (i32.reinterpret_f32 (local.get $x)) (i32.const 31)))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (local $zero f64) (local $bits i32)
    (local.set $zero (f64.convert_i32_s (i32.sub (local.get $round) (local.get $round))))
    ;; Folded by an optimising compiler: constants only.
    (local.set $bits (call $sign64 (f64.div (f64.const 0) (f64.const 0))))
    (local.set $bits (i32.or (i32.shl (local.get $bits) (i32.const 1))
      (call $sign32 (f32.sqrt (f32.const -1)))))
    (local.set $bits (i32.or (i32.shl (local.get $bits) (i32.const 1))
      (call $sign64 (f64.sub (f64.const inf) (f64.const inf)))))
    ;; Computed at run time from the round.
    (local.set $bits (i32.or (i32.shl (local.get $bits) (i32.const 1))
      (call $sign64 (f64.div (local.get $zero) (local.get $zero)))))
    (local.set $bits (i32.or (i32.shl (local.get $bits) (i32.const 1))
      (call $sign32 (f32.mul (f32.demote_f64 (local.get $zero)) (f32.const inf)))))
    (local.set $bits (i32.or (i32.shl (local.get $bits) (i32.const 1))
      (call $sign64 (f64.promote_f32 (f32.sqrt (f32.convert_i32_s (i32.sub (i32.const 0) (local.get $round))))))))
    ;; A hash of the bits and the round, so every bit pattern gives its own sequence of moves.
    (i32.rem_u
      (i32.shr_u (i32.mul (i32.xor (local.get $bits) (i32.shl (local.get $round) (i32.const 6))) (i32.const 0x9e3779b1))
        (i32.const 16))
      (i32.const 3))))
