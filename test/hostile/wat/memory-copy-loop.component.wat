;; memory.copy of 1 MiB in an endless loop inside play: 1 fuel per 64 bytes ran at up to ~90 ns
;; per fuel unit at a load average of 9.
(module
  (memory 32)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $forever
      (memory.copy (i32.const 0) (i32.const 1048576) (i32.const 1048576))
      (br $forever))
    (i32.const 0)))
