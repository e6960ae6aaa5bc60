;; waPC guest that fails every call with a guest error naming the operation:
;; "operation failed: <op>".
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 1000) "operation failed: ")  ;; 18 bytes, the operation name follows at 1018

  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (if (i32.gt_u (i32.add (local.get $op_len) (local.get $payload_len)) (i32.const 60000))
      (then unreachable))
    (call $guest_request (i32.const 1018) (i32.add (i32.const 1018) (local.get $op_len)))
    (call $guest_error (i32.const 1000) (i32.add (i32.const 18) (local.get $op_len)))
    (i32.const 0)))
