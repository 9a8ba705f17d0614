;; Beats the opponent's most frequent hand so far (ties go to the lower hand: rock, paper,
;; scissors). The counts live in globals: one instance lives for the whole match, so state
;; carries over between calls. Paper in round 1 (it beats the most common opening, rock).
(module
  (global $rock (mut i32) (i32.const 0))
  (global $paper (mut i32) (i32.const 0))
  (global $scissors (mut i32) (i32.const 0))
  (func (export "play")
    (param $round i32) (param $total i32)
    (param $my_some i32) (param $my i32)
    (param $their_some i32) (param $their i32)
    (result i32)
    (local $top i32)
    (if (local.get $their_some)
      (then
        (if (i32.eqz (local.get $their))
          (then (global.set $rock (i32.add (global.get $rock) (i32.const 1))))
          (else
            (if (i32.eq (local.get $their) (i32.const 1))
              (then (global.set $paper (i32.add (global.get $paper) (i32.const 1))))
              (else (global.set $scissors (i32.add (global.get $scissors) (i32.const 1)))))))))
    ;; $top = the most frequent hand, rock on ties.
    (local.set $top (i32.const 0))
    (if (i32.gt_u (global.get $paper) (global.get $rock))
      (then (local.set $top (i32.const 1))))
    (if (i32.gt_u (global.get $scissors)
          (select (global.get $paper) (global.get $rock) (i32.eq (local.get $top) (i32.const 1))))
      (then (local.set $top (i32.const 2))))
    (i32.rem_u (i32.add (local.get $top) (i32.const 1)) (i32.const 3))))
