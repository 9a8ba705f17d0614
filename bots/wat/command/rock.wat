;; Always plays rock: the smallest command bot. It ignores stdin and prints one line; the host
;; takes the last line of stdout as the move.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $written i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Rock\n")
  (func (export "_start")
    ;; One iovec at address 0: { buf = 16, len = 5 }; bytes written go to address 8.
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
