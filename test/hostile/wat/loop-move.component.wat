;; Spins forever inside play in round 1: only fuel metering (or the wall-clock net) stops it.
(module
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))
