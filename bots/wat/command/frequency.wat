;; A command bot in WAT (WASI preview1, Snippy compatible): plays what beats the opponent's most
;; frequent hand so far, Paper on the first move (ties go to rock, then paper). Each move is a
;; fresh instance, so it recounts the "opponent_moves" array of the stdin JSON every time.
;;
;; Memory layout: 0..15 iovec scratch, 16..27 the three counts, 64..95 the move lines,
;; 96..113 the key, 1024.. stdin (up to the end of memory: 10,000 rounds fit).
(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $nread i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $written i32) (result i32)))
  (memory (export "memory") 8)
  (data (i32.const 64) "Rock\n")
  (data (i32.const 72) "Paper\n")
  (data (i32.const 80) "Scissors\n")
  (data (i32.const 96) "\22opponent_moves\22:[")

  ;; Reads all of stdin to address 1024; returns its length.
  (func $read_stdin (result i32)
    (local $len i32) (local $room i32)
    (local.set $room (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1024)))
    (block $done
      (loop $more
        (i32.store (i32.const 0) (i32.add (i32.const 1024) (local.get $len)))
        (i32.store (i32.const 4) (i32.sub (local.get $room) (local.get $len)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $len (i32.add (local.get $len) (i32.load (i32.const 8))))
        (br_if $more (i32.lt_u (local.get $len) (local.get $room)))))
    (local.get $len))

  ;; Where the 18-byte key ends in the input, or -1.
  (func $after_key (param $len i32) (result i32)
    (local $i i32) (local $k i32)
    (block $absent
      (loop $scan
        (br_if $absent (i32.gt_u (i32.add (local.get $i) (i32.const 18)) (local.get $len)))
        (local.set $k (i32.const 0))
        (block $differs
          (loop $compare
            (br_if $differs (i32.ne (i32.load8_u (i32.add (i32.add (i32.const 1024) (local.get $i)) (local.get $k)))
                                    (i32.load8_u (i32.add (i32.const 96) (local.get $k)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $compare (i32.lt_u (local.get $k) (i32.const 18))))
          (return (i32.add (local.get $i) (i32.const 18))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (i32.const -1))

  ;; Counts the hands from `i` up to the closing bracket: a quote followed by R, P or S starts one.
  (func $count (param $i i32) (param $len i32)
    (local $c i32) (local $slot i32)
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (i32.const 1024) (local.get $i))))
        (br_if $end (i32.eq (local.get $c) (i32.const 93))) ;; ']'
        (if (i32.eq (local.get $c) (i32.const 34)) ;; '"'
          (then
            (local.set $c (i32.load8_u (i32.add (i32.const 1025) (local.get $i))))
            (local.set $slot (i32.const -1))
            (if (i32.eq (local.get $c) (i32.const 82)) (then (local.set $slot (i32.const 16)))) ;; R
            (if (i32.eq (local.get $c) (i32.const 80)) (then (local.set $slot (i32.const 20)))) ;; P
            (if (i32.eq (local.get $c) (i32.const 83)) (then (local.set $slot (i32.const 24)))) ;; S
            (if (i32.ge_s (local.get $slot) (i32.const 0))
              (then (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func (export "_start")
    (local $len i32) (local $at i32) (local $top i32) (local $hand i32)
    (local.set $len (call $read_stdin))
    (local.set $at (call $after_key (local.get $len)))
    (if (i32.ge_s (local.get $at) (i32.const 0)) (then (call $count (local.get $at) (local.get $len))))
    ;; top = the most frequent hand, rock on ties; play the hand that beats it.
    (if (i32.gt_u (i32.load (i32.const 20)) (i32.load (i32.const 16))) (then (local.set $top (i32.const 1))))
    (if (i32.gt_u (i32.load (i32.const 24)) (i32.load (i32.add (i32.const 16) (i32.shl (local.get $top) (i32.const 2)))))
      (then (local.set $top (i32.const 2))))
    (local.set $hand (i32.rem_u (i32.add (local.get $top) (i32.const 1)) (i32.const 3)))
    ;; Lines start at 64 + 8 * hand; lengths 5, 6, 9.
    (i32.store (i32.const 0) (i32.add (i32.const 64) (i32.shl (local.get $hand) (i32.const 3))))
    (i32.store (i32.const 4)
      (select (i32.const 5) (select (i32.const 6) (i32.const 9) (i32.eq (local.get $hand) (i32.const 1)))
        (i32.eqz (local.get $hand))))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
