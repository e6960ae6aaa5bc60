;; waPC echo guest: answers every operation with its own payload.
;; Memory layout: the operation name at 1024, the payload right after it; memory grows to fit.
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)

  (func $ensure_capacity (param $bytes i32)
    (local $have i32)
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $bytes) (local.get $have))
      (then
        (drop (memory.grow
          (i32.shr_u
            (i32.add (i32.sub (local.get $bytes) (local.get $have)) (i32.const 65535))
            (i32.const 16)))))))

  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (local $payload i32)
    (local.set $payload (i32.add (i32.const 1024) (local.get $op_len)))
    (call $ensure_capacity (i32.add (local.get $payload) (local.get $payload_len)))
    (call $guest_request (i32.const 1024) (local.get $payload))
    (call $guest_response (local.get $payload) (local.get $payload_len))
    (i32.const 1)))
