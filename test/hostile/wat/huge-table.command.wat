;; Declares a table of 5,000,000 elements (under V8's own 10,000,000 limit, so only our cap
;; refuses it).
(module
  (table 5000000 funcref)
  (memory (export "memory") 1)
  (func (export "_start")))
