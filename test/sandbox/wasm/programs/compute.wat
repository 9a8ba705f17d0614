;; Plain compute: loops, recursion, br_table, multi-value, memory, tables, globals.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (memory 1)
  (table $t 4 funcref)
  (global $counter (mut i32) (i32.const 0))
  (elem (table $t) (i32.const 0) func $add $sub $mul $xor)
  (data $d "hello, metered world")

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $xor (type $binop) (i32.xor (local.get 0) (local.get 1)))

  (func (export "sum") (param $n i32) (result i64) (local $acc i64)
    block $done
      loop $next
        local.get $n
        i32.eqz
        br_if $done
        local.get $acc
        local.get $n
        i64.extend_i32_u
        i64.add
        local.set $acc
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $next
      end
    end
    local.get $acc)

  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n
    i32.const 2
    i32.lt_u
    if (result i32)
      local.get $n
    else
      (i32.add
        (call $fib (i32.sub (local.get $n) (i32.const 1)))
        (call $fib (i32.sub (local.get $n) (i32.const 2))))
    end)

  (func $ack (export "ack") (param $m i32) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $m))
      (then (i32.add (local.get $n) (i32.const 1)))
      (else
        (if (result i32) (i32.eqz (local.get $n))
          (then (call $ack (i32.sub (local.get $m) (i32.const 1)) (i32.const 1)))
          (else
            (call $ack (i32.sub (local.get $m) (i32.const 1))
              (call $ack (local.get $m) (i32.sub (local.get $n) (i32.const 1)))))))))

  (func (export "classify") (param $x i32) (result i32)
    block $other
      block $two
        block $one
          block $zero
            local.get $x
            br_table $zero $one $two $other
          end
          i32.const 100
          return
        end
        i32.const 101
        return
      end
      i32.const 102
      return
    end
    i32.const 199)

  ;; br_table carrying a value out of nested blocks.
  (func (export "pick") (param $x i32) (result i32)
    block $a (result i32)
      block $b (result i32)
        i32.const 7
        local.get $x
        br_table $a $b $a
      end
      i32.const 10
      i32.mul
    end)

  (func $divmod (export "divmod") (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_u (local.get $a) (local.get $b))
    (i32.rem_u (local.get $a) (local.get $b)))

  ;; Multi-value block with parameters, and an if with parameters.
  (func (export "mv") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    block (param i32 i32) (result i32 i32)
      call $divmod
    end
    i32.const 1000
    i32.mul
    i32.add
    local.get $a
    local.get $b
    i32.gt_u
    if (param i32) (result i32)
      i32.const 1
      i32.add
    else
      i32.const 2
      i32.sub
    end)

  (func (export "mvloop") (param $n i32) (result i32)
    (local $i i32)
    i32.const 0
    i32.const 1
    loop $l (param i32 i32) (result i32 i32)
      ;; (a, b) -> (b, a + b)
      local.set $i
      local.get $i
      i32.add
      local.get $i
      local.get $i
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      i32.eqz
      br_if 1
      drop
      ;; stack: b' a' -> swap order for next iteration
      call $swap
      br $l
    end
    drop)

  (func $swap (param i32 i32) (result i32 i32) local.get 1 local.get 0)

  (func (export "indirect") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect $t (type $binop) (local.get $a) (local.get $b) (local.get $op)))

  (func (export "counter") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    global.get $counter)

  (func (export "select") (param i32) (result i64)
    (select (i64.const 11) (i64.const 22) (local.get 0)))

  (func (export "floats") (param $x f64) (result f64)
    (f64.add (f64.sqrt (local.get $x)) (f64.convert_i32_s (i32.trunc_sat_f64_s (local.get $x)))))

  (func (export "signext") (param $x i32) (result i32)
    (i32.add (i32.extend8_s (local.get $x)) (i32.extend16_s (local.get $x))))

  ;; Bulk memory: init, fill, copy, then a checksum of the first 64 bytes.
  (func (export "bulk") (param $n i32) (result i32) (local $i i32) (local $h i32)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 256))
    (memory.init $d (i32.const 4) (i32.const 0) (i32.const 20))
    (memory.fill (i32.const 30) (local.get $n) (i32.const 10))
    (memory.copy (i32.const 40) (i32.const 2) (i32.const 24))
    block $done
      loop $l
        (br_if $done (i32.ge_u (local.get $i) (i32.const 64)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        br $l
      end
    end
    local.get $h)

  (func (export "tables") (param $n i32) (result i32)
    (drop (table.grow $t (ref.null func) (local.get $n)))
    (table.fill $t (i32.const 4) (ref.func $mul) (local.get $n))
    (table.copy $t $t (i32.const 0) (i32.const 4) (i32.const 1))
    (i32.add (table.size $t)
      (call_indirect $t (type $binop) (i32.const 6) (i32.const 7) (i32.const 0))))

  (func (export "grow") (param $n i32) (result i32)
    (i32.add (memory.grow (local.get $n)) (i32.mul (memory.size) (i32.const 1000))))
)
