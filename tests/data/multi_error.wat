(module
  (func (result i32)
    i32.const 1
    i64.const 2
    i32.add)
  (func (param i32) (result i64)
    local.get 0)
  (func
    call 7))
