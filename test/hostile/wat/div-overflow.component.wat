;; i32.div_s(INT_MIN, -1) overflows and traps ("integer overflow"). The operands come from the
;; round so nothing can fold them away.
(module
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (i32.div_s
      (i32.mul (local.get $round) (i32.const 0x80000000))
      (i32.sub (i32.const 0) (local.get $round)))))
