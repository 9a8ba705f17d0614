;; Tries to open a TCP socket through wasi:sockets. The host must refuse the component when it
;; loads it: our world grants no network interface.
(module
  (import "wasi:sockets/tcp-create-socket@0.2.3" "create-tcp-socket" (func $create (param i32 i32)))
  (import "wasi:sockets/tcp@0.2.3" "[resource-drop]tcp-socket" (func $drop (param i32)))
  (memory (export "memory") 1)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (call $create (i32.const 0) (i32.const 16))
    (if (i32.eqz (i32.load8_u (i32.const 16))) (then (call $drop (i32.load (i32.const 20)))))
    (i32.const 0)))
