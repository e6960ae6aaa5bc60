(module (memory 1) (func (export "v") (result v128) v128.const i32x4 1 2 3 4))
