;; Writes 1 MiB of 'x' to stderr, then Rock to stdout: over the 100 KiB stderr cap.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 100) "Rock\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (local $i i32)
    (memory.fill (i32.const 1024) (i32.const 120) (i32.const 65536))
    (loop $more
      (call $print (i32.const 2) (i32.const 1024) (i32.const 65536))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 16))))
    (call $print (i32.const 1) (i32.const 100) (i32.const 5))))
