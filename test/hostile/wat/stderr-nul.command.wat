;; Every move writes to stderr a NUL byte (PostgreSQL refuses it in text), a code fence (breaks
;; out of the code block /bot log shows stderr in), markdown, mentions and a right-to-left
;; override, then plays Rock. A legal bot: the service must store its matches and show its log
;; safely.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "Rock\n")
  (data (i32.const 200) "\00```\n**pwned** @everyone <@&123> \e2\80\aegnirts\n")
  ;; Writes len bytes at ptr to fd (iovec scratch at 0..15).
  (func $print (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (call $print (i32.const 2) (i32.const 200) (i32.const 43))
    (call $print (i32.const 1) (i32.const 100) (i32.const 5))))
