;; Reads wasi:clocks/monotonic-clock now 200,000 times in one move, then plays rock. Its own
;; instructions cost ~10 fuel a read (2M of the 20M per-move budget); every read is a call into
;; the host, charged one host call (200 fuel), so the move runs out of fuel.
(module
  (import "wasi:clocks/monotonic-clock@0.2.3" "now" (func $now (result i64)))
  (memory (export "memory") 1)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (local $i i32)
    (loop $more
      (drop (call $now))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 200000))))
    (i32.const 0)))
