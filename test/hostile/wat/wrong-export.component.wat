;; Exports move(round) instead of play(state): not our world, refused at load.
(module
  (func (export "move") (param i32) (result i32) (i32.const 0)))
