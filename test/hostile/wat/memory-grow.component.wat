;; Grows its memory one page at a time until memory.grow fails, then traps as an allocator
;; does when it runs out (Rust's handle_alloc_error, AssemblyScript's TLSF). With the memory
;; cap in place this stops at the cap; without it, at V8's 4 GiB limit after eating host RAM.
(module
  (memory 1)
  (func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (unreachable)))
