;; Imports the sandbox's fuel counter (throwdown.fuel) to give itself unlimited fuel, then
;; loops forever. The module "throwdown" is the sandbox's own: refused at upload.
(module
  (import "throwdown" "fuel" (global $fuel (mut i64)))
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $l
      (global.set $fuel (i64.const 0x7fffffffffffffff))
      (br $l))))
