;; waPC guest that never returns: a runaway guest, for fuel limits and deadlines.
(module
  (memory (export "memory") 1)
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (loop $forever
      (br $forever))
    (i32.const 1)))
