(module
  (func $a (call $missing))
  (func $b (local.get $nope))
  (func $c (br $label)))
