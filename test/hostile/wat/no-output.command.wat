;; Prints nothing and exits 0: no move.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
