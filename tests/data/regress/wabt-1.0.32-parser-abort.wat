(module (func $f) (elem funcref (item (ref.null)) (ref.func $f)) (elem func))
