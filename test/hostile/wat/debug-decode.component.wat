;; Passes arena.debug a 64 MiB "string" of 0xff bytes (not UTF-8) after spending about half of
;; its move's fuel. The lowering charges the string's byte length (32M fuel at 2 bytes a fuel)
;; BEFORE decoding it, so the move ends out of fuel and the host never decodes the 64 MiB. A host
;; that decoded first would find invalid UTF-8 and end it as a trap instead.
(module
  (import "throwdown:rps/arena@0.1.0" "debug" (func $debug (param i32 i32)))
  (memory (export "memory") 1024)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (local $i i32)
    (memory.fill (i32.const 0) (i32.const 0xff) (i32.const 67108864))
    (loop $burn
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $burn (i32.lt_u (local.get $i) (i32.const 1500000))))
    (call $debug (i32.const 0) (i32.const 67108864))
    (i32.const 0)))
