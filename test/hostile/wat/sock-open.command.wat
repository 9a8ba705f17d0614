;; Imports sock_open, which is not in WASI preview1 (WasmEdge's socket extension has it): an
;; unknown import, refused at load.
(module
  (import "wasi_snapshot_preview1" "sock_open" (func $sock_open (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $sock_open (i32.const 1) (i32.const 1) (i32.const 64)))))
