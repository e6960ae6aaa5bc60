;; waPC guest that hands the host pointers and lengths outside its memory. The operation
;; picks the import abused: "request", "response", "error", "host_call", "log",
;; "host_response", "host_error", "overflow" (a pointer + length that wraps around 2^32).
;; A host must refuse each with an error and keep running.
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (import "wapc" "__host_call"
    (func $host_call (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wapc" "__host_response" (func $host_response (param i32)))
  (import "wapc" "__host_error" (func $host_error (param i32)))
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "request")       ;; 7
  (data (i32.const 8) "response")      ;; 8
  (data (i32.const 16) "error")        ;; 5
  (data (i32.const 24) "host_call")    ;; 9
  (data (i32.const 40) "log")          ;; 3
  (data (i32.const 48) "host_response");; 13
  (data (i32.const 64) "host_error")   ;; 10
  (data (i32.const 80) "overflow")     ;; 8

  ;; Compares the operation (at 1024, $len bytes) with the name at $name of $name_len bytes.
  (func $is (param $len i32) (param $name i32) (param $name_len i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $len) (local.get $name_len)) (then (return (i32.const 0))))
    (block $differ
      (loop $next
        (if (i32.eq (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (br_if $differ (i32.ne (i32.load8_u (i32.add (i32.const 1024) (local.get $i)))
                               (i32.load8_u (i32.add (local.get $name) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (if (i32.gt_u (i32.add (local.get $op_len) (local.get $payload_len)) (i32.const 60000))
      (then unreachable))
    ;; Read the operation into 1024 with a good request; "request" then repeats it badly.
    (call $guest_request (i32.const 1024) (i32.add (i32.const 1024) (local.get $op_len)))
    (if (call $is (local.get $op_len) (i32.const 0) (i32.const 7))
      (then (call $guest_request (i32.const 0xFFFFFFF0) (i32.const 0xFFFFFFF0))))
    (if (call $is (local.get $op_len) (i32.const 8) (i32.const 8))
      (then (call $guest_response (i32.const 0xFFFF0000) (i32.const 4096))))
    (if (call $is (local.get $op_len) (i32.const 16) (i32.const 5))
      (then (call $guest_error (i32.const 65000) (i32.const 1000))))
    (if (call $is (local.get $op_len) (i32.const 24) (i32.const 9))
      (then (drop (call $host_call (i32.const 0) (i32.const 7) (i32.const 70000) (i32.const 4)
                                   (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 0x7FFFFFFF)))))
    (if (call $is (local.get $op_len) (i32.const 40) (i32.const 3))
      (then (call $console_log (i32.const 100) (i32.const 0x10000000))))
    ;; These two first make a proper host call, so that there is an answer (or an error) to copy.
    (if (call $is (local.get $op_len) (i32.const 48) (i32.const 13))
      (then
        (drop (call $host_call (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 7)
                               (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 7)))
        (call $host_response (i32.const 0xFFFFFFFF))))
    (if (call $is (local.get $op_len) (i32.const 64) (i32.const 10))
      (then
        (drop (call $host_call (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 7)
                               (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 7)))
        (call $host_error (i32.const 0xFFFFFFFF))))
    (if (call $is (local.get $op_len) (i32.const 80) (i32.const 8))
      (then (call $guest_response (i32.const 0xFFFFFFFF) (i32.const 2))))
    (call $guest_response (i32.const 1024) (local.get $op_len))
    (i32.const 1)))
