;; waPC guest that traps: it sets a guest error first (as AssemblyScript's abort does), then
;; executes `unreachable`. A host should report the trap and keep the guest's text.
(module
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "about to trap")  ;; 13 bytes
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (call $guest_error (i32.const 16) (i32.const 13))
    unreachable))
