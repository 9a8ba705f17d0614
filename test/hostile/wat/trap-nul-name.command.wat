;; Plays Rock until stdin says "round":99 (so this is round 100, after the upload's short test
;; match), then traps in a function whose name (in the name section) holds a NUL byte, a code
;; fence and mentions. The fault message names the function, so that text reaches the database
;; and chat.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 96) "\22round\22:")
  (data (i32.const 240) "Rock\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $read_stdin (result i32)
    (local $len i32) (local $n i32)
    (block $done
      (loop $more
        (i32.store (i32.const 16) (i32.add (i32.const 1024) (local.get $len)))
        (i32.store (i32.const 20) (i32.sub (i32.const 65536) (local.get $len)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
        (local.set $n (i32.load (i32.const 24)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $len (i32.add (local.get $len) (local.get $n)))
        (br_if $more (i32.lt_u (local.get $len) (i32.const 65536)))))
    (local.get $len))
  (func $round (param $len i32) (result i32)
    (local $i i32) (local $value i32) (local $c i32)
    (block $not_found
      (loop $scan
        (br_if $not_found (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $len)))
        (if (i64.eq (i64.load (i32.add (i32.const 1024) (local.get $i))) (i64.load (i32.const 96)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (block $end
              (loop $digit
                (br_if $end (i32.ge_u (local.get $i) (local.get $len)))
                (local.set $c (i32.sub (i32.load8_u (i32.add (i32.const 1024) (local.get $i))) (i32.const 48)))
                (br_if $end (i32.gt_u (local.get $c) (i32.const 9)))
                (local.set $value (i32.add (i32.mul (local.get $value) (i32.const 10)) (local.get $c)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $digit)))
            (return (local.get $value))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (i32.const 0))
  (func $"evil\00name```@everyone<@&123>**x**" unreachable)
  (func (export "_start")
    (if (i32.eq (call $round (call $read_stdin)) (i32.const 99))
      (then (call $"evil\00name```@everyone<@&123>**x**")))
    (call $print (i32.const 1) (i32.const 240) (i32.const 5))))
