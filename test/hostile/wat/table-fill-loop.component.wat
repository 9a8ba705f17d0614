;; table.fill of a 20,000-element table (the cap) with a function reference, in an endless loop
;; inside play: ~35 ns an element in V8 (a pointer store with a write barrier), which 1 fuel per
;; 8 elements left ~1,000 ns per fuel unit under load.
(module
  (table $t 20000 funcref)
  (elem declare func $f)
  (func $f)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $forever
      (table.fill $t (i32.const 0) (ref.func $f) (i32.const 20000))
      (br $forever))
    (i32.const 0)))
