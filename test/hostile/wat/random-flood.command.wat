;; Fills 16 MiB with random_get, again and again, in one move: ~8 fuel of its own per call for
;; a quarter of a second of host work. Charged per byte, the second call runs out of fuel.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 257)
  (func (export "_start")
    (loop $more
      (drop (call $random_get (i32.const 65536) (i32.const 16777216)))
      (br $more))))
