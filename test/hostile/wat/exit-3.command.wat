;; Prints Rock, then calls proc_exit(3): a non-zero exit is a fault even after a valid line.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "Rock\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (call $print (i32.const 1) (i32.const 100) (i32.const 5))
    (call $proc_exit (i32.const 3))
    (unreachable)))
