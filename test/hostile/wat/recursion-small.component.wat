;; Unbounded recursion with tiny frames: exhausts any stack budget after many calls.
(module
  (func $down (param $n i32) (result i32)
    (i32.add (call $down (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (drop (call $down (i32.const 0)))
    (i32.const 0)))
