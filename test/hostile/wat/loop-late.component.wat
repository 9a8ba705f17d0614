;; Plays rock at once for the first 20 rounds (the smoke match's length), then spins forever
;; inside play. Under the server's limits fuel stops it (out of fuel in round 21); with fuel
;; metering out of the way (the deadline tests give it unlimited fuel) only the move deadline
;; can stop it, and it must forfeit by timeout: never a draw, never "could not be played".
(module
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (if (i32.gt_u (local.get $round) (i32.const 20))
      (then (loop $forever (br $forever))))
    (i32.const 0)))
