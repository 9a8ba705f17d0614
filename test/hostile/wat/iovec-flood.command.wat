;; fd_write to stdout with 1024 empty iovecs (IOV_MAX), forever: nothing is printed, so the
;; output cap never stops it, but the host checks and walks every iovec of every call.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; iovecs at 0..8192 are all zero: pointer 0, length 0.
    (loop $more
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1024) (i32.const 9000)))
      (br $more))))
