;; Spins forever in _start, i.e. in its first move.
(module
  (memory (export "memory") 1)
  (func (export "_start") (loop $forever (br $forever))))
