;; Grows a table 1,000 elements at a time until table.grow fails, prints how far it got as
;; "table elements: N", then plays Rock. N above the table cap means the cap is not applied.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (table $t 1 funcref)
  (memory (export "memory") 1)
  (data (i32.const 100) "table elements: ")
  (data (i32.const 200) "Rock\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; Prints an unsigned number in decimal (digits built backwards below address 960).
  (func $print_u32 (param $v i32)
    (local $p i32)
    (local.set $p (i32.const 960))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digit (local.get $v)))
    (call $print (i32.const 1) (local.get $p) (i32.sub (i32.const 960) (local.get $p))))
  (func $newline
    (i32.store8 (i32.const 970) (i32.const 10))
    (call $print (i32.const 1) (i32.const 970) (i32.const 1)))
  (func (export "_start")
    (loop $more
      (br_if $more (i32.ne (table.grow $t (ref.null func) (i32.const 1000)) (i32.const -1))))
    (call $print (i32.const 1) (i32.const 100) (i32.const 16))
    (call $print_u32 (table.size $t))
    (call $newline)
    (call $print (i32.const 1) (i32.const 200) (i32.const 5))))
