;; Declares a minimum memory of 60,000 pages (3.75 GiB): far over any sane cap, and still
;; valid wasm, so only a size check on the declared minimum refuses it before V8 allocates.
(module
  (memory (export "memory") 60000)
  (func (export "_start")))
