;; Exception handling with try_table and exnref (what toolchains now emit for C++ exceptions):
;; catch, catch_ref, catch_all, catch_all_ref, throw_ref, landing at blocks, loops and the
;; function's label, across calls.
(module
  (tag $e (param i32))
  (tag $other)

  (func $thrower (param $x i32) (result i32)
    (if (i32.gt_s (local.get $x) (i32.const 10)) (then (throw $e (local.get $x))))
    (i32.mul (local.get $x) (i32.const 2)))

  (func $deep (param $d i32) (param $x i32) (result i32)
    (if (result i32) (i32.eqz (local.get $d))
      (then (call $thrower (local.get $x)))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $d) (i32.const 1)) (local.get $x))))))

  (func (export "catchIt") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $deep (i32.const 5) (local.get $x)))
      return)
    i32.const 1000
    i32.add)

  (func (export "catchAll") (param $x i32) (result i32)
    (block $h
      (try_table (catch_all $h)
        (if (i32.eq (local.get $x) (i32.const 3)) (then (throw $other)))
        (drop (call $thrower (local.get $x))))
      (return (local.get $x)))
    i32.const -1)

  (func $rethrower (param $x i32) (result i32)
    (block $h (result i32 exnref)
      (try_table (result i32) (catch_ref $e $h)
        (call $thrower (local.get $x)))
      return)
    throw_ref)

  (func (export "rethrown") (param $x i32) (result i32)
    (block $h (result exnref)
      (try_table (result i32) (catch_all_ref $h)
        (call $rethrower (local.get $x)))
      return)
    drop
    i32.const 7)

  ;; Catches land back at the loop's header: each iteration throws from a callee.
  (func (export "loopy") (param $n i32) (result i32) (local $caught i32)
    (loop $l
      (if (i32.gt_s (local.get $n) (i32.const 0))
        (then
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
          (try_table (catch_all $l)
            (drop (call $deep (i32.const 3) (i32.const 99)))))))
    (local.get $caught))

  ;; A catch to the function's own label returns from it.
  (func (export "toFunction") (param $x i32)
    (try_table (catch_all 0)
      (drop (call $thrower (local.get $x)))))

  (func (export "uncaught") (param $x i32) (result i32)
    (block $h
      (try_table (catch $other $h)
        (return (call $thrower (local.get $x)))))
    i32.const 0))
