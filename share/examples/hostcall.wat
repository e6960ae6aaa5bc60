;; waPC guest that asks the host: every operation OP becomes the host call
;; (binding "default", namespace "example:host", operation OP, the same payload), and the
;; host's answer is the reply. A host error fails the call with "Host error: <text>", as the
;; Rust and TinyGo guest SDKs report it. It logs each call through __console_log.
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (import "wapc" "__host_call"
    (func $host_call (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wapc" "__host_response_len" (func $host_response_len (result i32)))
  (import "wapc" "__host_response" (func $host_response (param i32)))
  (import "wapc" "__host_error_len" (func $host_error_len (result i32)))
  (import "wapc" "__host_error" (func $host_error (param i32)))
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (memory (export "memory") 1)

  (data (i32.const 16) "default")        ;; 7 bytes
  (data (i32.const 32) "example:host")   ;; 12 bytes
  (data (i32.const 48) "Host error: ")   ;; 12 bytes
  (data (i32.const 64) "calling the host") ;; 16 bytes

  (func $ensure_capacity (param $bytes i32)
    (local $have i32)
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $bytes) (local.get $have))
      (then
        (if (i32.eq (i32.const -1)
              (memory.grow
                (i32.shr_u (i32.add (i32.sub (local.get $bytes) (local.get $have)) (i32.const 65535))
                           (i32.const 16))))
          (then unreachable)))))

  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (local $op i32) (local $payload i32) (local $answer i32) (local $len i32)
    (local.set $op (i32.const 1024))
    (local.set $payload (i32.add (local.get $op) (local.get $op_len)))
    (local.set $answer (i32.add (local.get $payload) (local.get $payload_len)))
    (call $ensure_capacity (local.get $answer))
    (call $guest_request (local.get $op) (local.get $payload))
    (call $console_log (i32.const 64) (i32.const 16))
    (if (call $host_call (i32.const 16) (i32.const 7) (i32.const 32) (i32.const 12)
                         (local.get $op) (local.get $op_len)
                         (local.get $payload) (local.get $payload_len))
      (then
        (local.set $len (call $host_response_len))
        (call $ensure_capacity (i32.add (local.get $answer) (local.get $len)))
        (call $host_response (local.get $answer))
        (call $guest_response (local.get $answer) (local.get $len))
        (return (i32.const 1))))
    ;; "Host error: " followed by the host's error text.
    (local.set $len (call $host_error_len))
    (call $ensure_capacity (i32.add (local.get $answer) (i32.add (local.get $len) (i32.const 12))))
    (memory.copy (local.get $answer) (i32.const 48) (i32.const 12))
    (call $host_error (i32.add (local.get $answer) (i32.const 12)))
    (call $guest_error (local.get $answer) (i32.add (local.get $len) (i32.const 12)))
    (i32.const 0)))
