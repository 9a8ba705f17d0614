;; Imports the four socket functions preview1 has (sock_accept, sock_recv, sock_send,
;; sock_shutdown) and calls sock_accept on fds 3..9, printing "sock_accept fd F: errno N".
;; There are no sockets, so every call fails; Rock if all failed, Paper if one got a connection.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "sock_accept fd ")
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
  (func (export "_start")
    (local $fd i32) (local $errno i32) (local $found i32)
    (local.set $fd (i32.const 3))
    (loop $next
      (local.set $errno (call $sock_accept (local.get $fd) (i32.const 0) (i32.const 64)))
      (call $print (i32.const 1) (i32.const 200) (i32.const 15))
      (call $print_u32 (local.get $fd))
      (call $print (i32.const 1) (i32.const 220) (i32.const 8))
      (call $print_u32 (local.get $errno))
      (call $newline)
      (if (i32.eqz (local.get $errno)) (then (local.set $found (i32.const 1))))
      (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
      (br_if $next (i32.le_u (local.get $fd) (i32.const 9))))
    (if (local.get $found)
      (then (call $print (i32.const 1) (i32.const 250) (i32.const 6)))
      (else (call $print (i32.const 1) (i32.const 240) (i32.const 5))))))
