;; Plays the hand that beats the opponent's previous hand; paper in round 1.
;; (hand + 1) mod 3 beats hand: paper beats rock, scissors beat paper, rock beats scissors.
(module
  (func (export "play")
    (param $round i32) (param $total i32)
    (param $my_some i32) (param $my i32)
    (param $their_some i32) (param $their i32)
    (result i32)
    (if (result i32) (local.get $their_some)
      (then (i32.rem_u (i32.add (local.get $their) (i32.const 1)) (i32.const 3)))
      (else (i32.const 1)))))
