;; Legacy exception handling: throw, catch, catch_all, rethrow, delegate, across calls.
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
    try (result i32)
      (call $deep (i32.const 5) (local.get $x))
    catch $e
      i32.const 1000
      i32.add
    end)

  (func (export "catchAll") (param $x i32) (result i32)
    try (result i32)
      (if (i32.eq (local.get $x) (i32.const 3)) (then (throw $other)))
      (call $thrower (local.get $x))
    catch_all
      i32.const -1
    end)

  (func $rethrower (param $x i32) (result i32)
    try (result i32)
      (call $thrower (local.get $x))
    catch $e
      drop
      rethrow 0
    end)

  (func (export "rethrown") (param $x i32) (result i32)
    try (result i32)
      (call $rethrower (local.get $x))
    catch $e
    end)

  (func (export "delegated") (param $x i32) (result i32)
    try (result i32)
      try (result i32)
        (call $thrower (local.get $x))
      delegate 0
    catch $e
      i32.const 5000
      i32.add
    end)

  ;; Loop with a try inside: exceptions caught on every iteration.
  (func (export "loopy") (param $n i32) (result i32) (local $acc i32)
    block $done
      loop $l
        (br_if $done (i32.eqz (local.get $n)))
        try
          (local.set $acc (i32.add (local.get $acc) (call $thrower (local.get $n))))
        catch $e
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          drop
        end
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        br $l
      end
    end
    local.get $acc)

  (func (export "uncaught") (param $x i32) (result i32)
    (call $deep (i32.const 3) (local.get $x)))
)
