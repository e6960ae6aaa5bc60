(module
  (func (export "f") (result i32)
    i32.const 1
    i32.const 2
    i32.add
    i32.const 0
    i32.add
    drop
    i32.const 3))
