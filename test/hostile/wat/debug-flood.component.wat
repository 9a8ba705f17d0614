;; Floods the arena's debug log: 1 MiB per call in 4 KiB lines, over the per-move stderr cap
;; that debug shares. The string is lowered by the host from this module's exported memory.
(module
  (import "throwdown:rps/arena@0.1.0" "debug" (func $debug (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 8192))
  (data (i32.const 0) "flood flood flood flood flood flood flood flood flood flood flood flood ")
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (local $i i32)
    (memory.fill (i32.const 72) (i32.const 120) (i32.const 4024))
    (loop $more
      (call $debug (i32.const 0) (i32.const 4096))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 256))))
    (i32.const 0)))
