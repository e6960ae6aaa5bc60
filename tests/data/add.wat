(module
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func (export "twice") (param i32) (result i32)
    (call $add (local.get 0) (local.get 0))))
