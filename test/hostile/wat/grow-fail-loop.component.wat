;; memory.grow past the memory cap in an endless loop inside play: every grow fails (-1) and the
;; bot ignores it. A failed grow did nothing, but the call into the engine still costs time.
(module
  (memory 1)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $forever
      (drop (memory.grow (i32.const 65536)))
      (br $forever))
    (i32.const 0)))
