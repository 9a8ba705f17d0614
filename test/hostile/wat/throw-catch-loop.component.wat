;; Spins forever in round 1, every iteration burning fuel in a callee that throws, caught with
;; try_table at the loop header and after a block. If a catch landing reloaded a stale fuel
;; count (or skipped the callee's charges), the loop would run for free until the wall clock.
(module
  (tag $e)
  (func $burn (param $n i32)
    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (throw $e))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $forever
      (block $caught (try_table (catch $e $caught) (call $burn (i32.const 1000))))
      (try_table (catch_all $forever) (call $burn (i32.const 1000))))
    (i32.const 0)))
