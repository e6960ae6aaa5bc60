;; waPC guest that grows its memory without bound, 16 pages (1 MiB) at a time, and traps
;; when growth is refused: for memory caps.
(module
  (memory (export "memory") 1)
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (loop $grow
      (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1))
        (then unreachable))
      (br $grow))
    (i32.const 1)))
