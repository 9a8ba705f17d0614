;; Traps in a function whose name (in the name section) holds a NUL byte, a code fence and a
;; mention. The fault message names the function, so that text reaches the database and chat.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $"evil\00name```@everyone<@&123>**x**" unreachable)
  (func (export "_start") (call $"evil\00name```@everyone<@&123>**x**")))
