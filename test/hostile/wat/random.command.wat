;; Prints the 16 bytes random_get gives it as "random: <32 hex digits>", then Rock. A test
;; runs it twice with one seed (same line) and with another seed (another line).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "random: ")
  (data (i32.const 120) "0123456789abcdef")
  (data (i32.const 240) "Rock\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (local $i i32) (local $b i32)
    (drop (call $random_get (i32.const 64) (i32.const 16)))
    (loop $hex
      (local.set $b (i32.load8_u (i32.add (i32.const 64) (local.get $i))))
      (i32.store8 (i32.add (i32.const 300) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 120) (i32.shr_u (local.get $b) (i32.const 4)))))
      (i32.store8 (i32.add (i32.const 301) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 120) (i32.and (local.get $b) (i32.const 15)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $hex (i32.lt_u (local.get $i) (i32.const 16))))
    (i32.store8 (i32.const 332) (i32.const 10))
    (call $print (i32.const 1) (i32.const 100) (i32.const 8))
    (call $print (i32.const 1) (i32.const 300) (i32.const 33))
    (call $print (i32.const 1) (i32.const 240) (i32.const 5))))
