;; Asks wasi:cli/environment for the host's environment variables and plays rock when it gets
;; none, paper when it sees any: a match of all rock shows the host leaks nothing.
;; get-environment returns list<tuple<string, string>>: the host allocates it in our memory
;; through cabi_realloc (a bump allocator here) and writes (pointer, length) at the return area.
(module
  (import "wasi:cli/environment@0.2.3" "get-environment" (func $get_environment (param i32)))
  (memory (export "memory") 16)
  (global $next (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $at) (local.get $size)))
    (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536))) (then (unreachable)))
    (local.get $at))
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (global.set $next (i32.const 1024))
    (call $get_environment (i32.const 16))
    ;; Length 0: rock (0). Anything else: paper (1).
    (i32.ne (i32.load (i32.const 20)) (i32.const 0))))
