;; Traps in the start function, i.e. while the component is being instantiated.
(module
  (func $start (unreachable))
  (start $start)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (i32.const 0)))
