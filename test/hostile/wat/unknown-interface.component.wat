;; Imports an interface no host knows, acme:evil/missiles: refused at load.
(module
  (import "acme:evil/missiles@1.0.0" "launch" (func $launch (result i32)))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (call $launch)))
