(module (memory (export "memory") 32768)
  (func (export "__guest_call") (param i32 i32) (result i32) (i32.const 1)))
