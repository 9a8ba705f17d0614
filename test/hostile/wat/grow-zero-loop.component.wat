;; memory.grow 0 in an endless loop inside play: each iteration is a call into the engine's
;; runtime (up to ~1 µs under load) for a handful of instructions. Charged as one instruction it
;; ran ~100x slower per fuel unit than ordinary code, so the move deadline, not fuel, could end it.
(module
  (memory 1)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $forever
      (drop (memory.grow (i32.const 0)))
      (br $forever))
    (i32.const 0)))
