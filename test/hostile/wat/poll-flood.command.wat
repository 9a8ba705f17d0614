;; poll_oneoff with 4096 clock subscriptions (the host's maximum), all due at once, forever:
;; the host reads every subscription twice and writes an event for each.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 8)
  (func (export "_start")
    (local $i i32)
    ;; Subscriptions at 0 (48 bytes each): tag 0 = clock, clock id 1 = monotonic, timeout 0.
    (loop $fill
      (i32.store (i32.add (i32.mul (local.get $i) (i32.const 48)) (i32.const 16)) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 4096))))
    (loop $more
      (drop (call $poll (i32.const 0) (i32.const 262144) (i32.const 4096) (i32.const 400000)))
      (br $more))))
