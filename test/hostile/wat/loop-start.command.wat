;; Spins forever in the start function, which runs when each move's fresh instance is created.
(module
  (memory (export "memory") 1)
  (func $start (loop $forever (br $forever)))
  (start $start)
  (func (export "_start")))
