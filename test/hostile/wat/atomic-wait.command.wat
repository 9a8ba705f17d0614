;; Shared memory and memory.atomic.wait32 with no timeout: in a worker this blocks the thread
;; forever (no fuel is spent while waiting). A host must refuse shared memory at load.
(module
  (memory (export "memory") 1 1 shared)
  (func (export "_start")
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
