;; Asks wasi:random for 1 MiB (the host's cap per call) again and again in one move. The host
;; generates every byte and copies it into this module's memory (the bump allocator restarts,
;; so memory stays small): host work the bot's own instructions do not pay for unless the call
;; is charged. Charged per byte, the move runs out of fuel after a few calls.
(module
  (import "wasi:random/random@0.2.3" "get-random-bytes" (func $get_random_bytes (param i64 i32)))
  (memory (export "memory") 18)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 65536))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $more
      (call $get_random_bytes (i64.const 1048576) (i32.const 16))
      (br $more))
    (i32.const 0)))
