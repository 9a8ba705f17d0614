;; Allocates GC arrays of 64 MiB in a loop. GC objects live outside linear memory, where the
;; memory cap cannot bound them, so the sandbox refuses GC outright.
(module
  (type $bytes (array (mut i8)))
  (memory (export "memory") 1)
  (global $keep (mut (ref null $bytes)) (ref.null $bytes))
  (func (export "_start")
    (loop $l
      (global.set $keep (array.new_default $bytes (i32.const 0x4000000)))
      (br $l))))
