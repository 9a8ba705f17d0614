;; Imports env.launch_missiles, a function no host provides: refused at load.
(module
  (import "env" "launch_missiles" (func $launch_missiles (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $launch_missiles (i32.const 42)))))
