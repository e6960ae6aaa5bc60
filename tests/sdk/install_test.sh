#!/usr/bin/env bash
# The host SDK as a user gets it: install wascc into a temporary prefix, build the embedding
# example (share/examples/sdk) against that prefix only (CMake package and pkg-config), and
# run it on a signed example actor. Usage: install_test.sh BUILD_DIR SOURCE_DIR ACTOR.wasm
set -euo pipefail
build=$1 source=$2 actor=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
cmake -S "$source/share/examples/sdk" -B "$scratch/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/cmake-build" >/dev/null
reply=$("$scratch/cmake-build/embed" "$actor" HandleRequest "$(printf '\x82\xa6method\xa3GET\xa4path\xa2/x')")
case "$reply" in
  *'"method":"GET","path":"/x"'*) echo "ok   find_package(wascc) build runs the actor" ;;
  *) echo "FAIL find_package(wascc) build: unexpected reply: $reply"; exit 1 ;;
esac
# pkg-config, as a Makefile would use it: with and without --static.
export PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig"
for static in "" --static; do
  g++ -std=c++20 "$source/share/examples/sdk/embed.cpp" -o "$scratch/embed-pc" $(pkg-config --cflags --libs $static wascc)
  "$scratch/embed-pc" "$actor" HandleRequest "$(printf '\x82\xa6method\xa3PUT\xa4path\xa2/y')" | grep -q '"method":"PUT"'
  echo "ok   pkg-config ${static:-(no --static)} build runs the actor"
done
# The installed headers stand alone: nothing of WABT, Binaryen or libsodium is included.
if grep -rlE '#include [<"](wabt|binaryen|sodium)' "$scratch/prefix/include/wascc"; then
  echo "FAIL installed headers include a dependency's headers"; exit 1
fi
echo "ok   public headers hide WABT, Binaryen and libsodium"
echo "4 passed, 0 failed"
