;; Returns discriminant 7 for the hand enum, which has only 0..2: an invalid move that no
;; source language would let you write, so it is crafted in the core module.
(module
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (i32.const 7)))
