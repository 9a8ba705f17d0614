;; A WASI reactor (exports _initialize, no _start): not a command, refused at load.
(module
  (memory (export "memory") 1)
  (func (export "_initialize")))
