;; Tries path_open("/etc/passwd") and "etc/passwd" relative to every fd from 3 to 9 and prints
;; each errno as "path_open fd F: errno N". With no preopens all fail (8 = badf). If one
;; succeeds it prints the file's first bytes and plays Paper; otherwise Rock.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "/etc/passwd")
  (data (i32.const 200) "path_open fd ")
  (data (i32.const 220) ": errno ")
  (data (i32.const 240) "Rock\n")
  (data (i32.const 250) "Paper\n")
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
  (func $try (param $dirfd i32) (param $path i32) (param $len i32) (result i32)
    (local $errno i32)
    ;; rights: fd_read (bit 1); result fd at 64.
    (local.set $errno (call $path_open (local.get $dirfd) (i32.const 0) (local.get $path) (local.get $len)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 64)))
    (call $print (i32.const 1) (i32.const 200) (i32.const 13))
    (call $print_u32 (local.get $dirfd))
    (call $print (i32.const 1) (i32.const 220) (i32.const 8))
    (call $print_u32 (local.get $errno))
      (call $newline)
    (if (i32.eqz (local.get $errno))
      (then
        ;; Read up to 256 bytes to 2048 and echo them.
        (i32.store (i32.const 16) (i32.const 2048))
        (i32.store (i32.const 20) (i32.const 256))
        (drop (call $fd_read (i32.load (i32.const 64)) (i32.const 16) (i32.const 1) (i32.const 24)))
        (call $print (i32.const 1) (i32.const 2048) (i32.load (i32.const 24)))
        (return (i32.const 1))))
    (i32.const 0))
  (func (export "_start")
    (local $fd i32) (local $leaked i32)
    (local.set $fd (i32.const 3))
    (loop $next
      (local.set $leaked (i32.or (local.get $leaked) (call $try (local.get $fd) (i32.const 100) (i32.const 11))))
      (local.set $leaked (i32.or (local.get $leaked) (call $try (local.get $fd) (i32.const 101) (i32.const 10))))
      (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
      (br_if $next (i32.le_u (local.get $fd) (i32.const 9))))
    (if (local.get $leaked)
      (then (call $print (i32.const 1) (i32.const 250) (i32.const 6)))
      (else (call $print (i32.const 1) (i32.const 240) (i32.const 5))))))
