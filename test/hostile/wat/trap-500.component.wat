;; Plays rock for 499 rounds, then traps in round 500: a fault after a long good run, to check
;; that the verdict names the right round and the earlier rounds stand.
(module
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (if (i32.eq (local.get $round) (i32.const 500)) (then (unreachable)))
    (i32.const 0)))
