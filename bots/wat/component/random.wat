;; Plays uniformly at random from the HOST's randomness: wasi:random/random is seeded by the
;; match seed, so a replay with the same seed plays the same hands and another seed plays
;; others. Built against the world throwdown:bots/player-random (bots/wit/extras.wit), which is
;; `player` plus this one import.
(module
  (import "wasi:random/random@0.2.3" "get-random-u64" (func $random_u64 (result i64)))
  (func (export "play")
    (param $round i32) (param $total i32)
    (param $my_some i32) (param $my i32)
    (param $their_some i32) (param $their i32)
    (result i32)
    ;; The modulo bias of 2^64 mod 3 is 1 in 6e18: nothing a match could see.
    (i32.wrap_i64 (i64.rem_u (call $random_u64) (i64.const 3)))))
