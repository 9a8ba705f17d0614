;; Tries to send an HTTP request through wasi:http/outgoing-handler (abbreviated interface:
;; the host must refuse it by its name alone).
(module
  (import "wasi:http/types@0.2.3" "[constructor]fields" (func $fields (result i32)))
  (import "wasi:http/types@0.2.3" "[constructor]outgoing-request" (func $request (param i32) (result i32)))
  (import "wasi:http/outgoing-handler@0.2.3" "handle" (func $handle (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (call $handle (call $request (call $fields)) (i32.const 0) (i32.const 0) (i32.const 16))
    (i32.const 0)))
