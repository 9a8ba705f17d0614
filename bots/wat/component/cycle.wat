;; Plays rock, paper, scissors, rock, ... by round number (rounds count from 1).
(module
  (func (export "play")
    (param $round i32) (param $total i32)
    (param $my_some i32) (param $my i32)
    (param $their_some i32) (param $their i32)
    (result i32)
    (i32.rem_u (i32.sub (local.get $round) (i32.const 1)) (i32.const 3))))
