;; Sleeps 10 seconds with poll_oneoff on a relative monotonic-clock subscription, then plays
;; Rock. With virtual clocks the sleep returns at once and only moves the virtual time; a host
;; that really slept would blow its wall-clock limit.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 240) "Rock\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    ;; subscription at 64 (48 bytes): userdata u64, tag u8 = 0 (clock), clock id u32 = 1
    ;; (monotonic) at +16, timeout u64 = 10 s at +24, precision u64 at +32, flags u16 = 0 at +40.
    (i64.store (i32.const 64) (i64.const 42))
    (i32.store8 (i32.const 72) (i32.const 0))
    (i32.store (i32.const 80) (i32.const 1))
    (i64.store (i32.const 88) (i64.const 10000000000))
    (i64.store (i32.const 96) (i64.const 0))
    (i32.store16 (i32.const 104) (i32.const 0))
    (drop (call $poll_oneoff (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 192)))
    (call $print (i32.const 1) (i32.const 240) (i32.const 5))))
