#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) into build-fuzz with clang-14, ASan and UBSan, seeds each
# corpus from the project's own inputs and ../shared, and runs one target or all of them.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     each target SECONDS (default 60)
#   scripts/fuzz.sh differential [SECONDS]     interpreter against AOT on random modules
#   scripts/fuzz.sh list                       the targets
#
# A finding is written to build-fuzz/findings/TARGET-crash-... and the script exits 1; replay it
# with `build-fuzz/fuzz/fuzz_TARGET FILE`. Corpora grow in build-fuzz/corpus/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${WASCC_FUZZ_BUILD:-$root/build-fuzz}
target=${1:-all}
seconds=${2:-60}
targets=(module_claims jwt_claims nkeys json msgpack manifest scenario policy_bundle small_parsers wat wasm_engine http_request lattice)
shared=$root/../shared

if [ "$target" = list ]; then printf '%s\n' "${targets[@]}" differential; exit 0; fi
if [ "$target" = differential ]; then exec scripts/differential.sh "$seconds"; fi
if [ "$target" != all ] && [[ ! " ${targets[*]} " =~ " $target " ]]; then
  echo "fuzz.sh: unknown target \"$target\"; one of: ${targets[*]} all differential" >&2
  exit 2
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWASCC_FUZZ=ON >/dev/null
fi
ninja -C "$build" fuzz_targets >/dev/null

# Seeds: files of a kind from the project and ../shared, copied under their content hash.
seed() {  # seed TARGET PREFIX FILES...: PREFIX (printf format) goes before each file's bytes
  local name=$1 prefix=$2 dir=$build/seeds/$1 file hash
  shift 2
  mkdir -p "$dir"
  for file in "$@"; do
    [ -f "$file" ] && [ "$(stat -c %s "$file")" -le 1048576 ] || continue
    { printf "$prefix"; cat "$file"; } >"$dir/.new"
    hash=$(sha1sum <"$dir/.new" | cut -c1-16)
    mv "$dir/.new" "$dir/$hash"
  done
}
find_kind() { find "$root/tests/data" "$root/share/examples" "$shared/realworld" -type f -name "$1" 2>/dev/null; }
seed_all() {
  mapfile -t wasm < <(find_kind '*.wasm')
  mapfile -t wat < <(find_kind '*.wat')
  mapfile -t json < <(find_kind '*.json')
  mapfile -t yaml < <(find_kind '*.yaml'; find_kind '*.yml')
  mapfile -t keys < <(find_kind '*.nk')
  seed module_claims "" "${wasm[@]}"
  seed wasm_engine "" "${wasm[@]}"
  seed policy_bundle "" "${wasm[@]}" $(find_kind '*.tar.gz')
  seed wat "" "${wat[@]}" $(ls "$root"/build/spec/*.wat 2>/dev/null | head -1000)
  seed json "" "${json[@]}"
  seed nkeys "" "${keys[@]}"
  seed manifest '\x00' "${yaml[@]}"
  seed manifest '\x01' "${json[@]}"
  seed scenario '\x00' "${yaml[@]}"
  # Tokens as they stand in the signed modules' custom sections.
  mkdir -p "$build/seeds/jwt_claims"
  python3 - "$build/seeds/jwt_claims" "${wasm[@]}" <<'PY'
import hashlib, re, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    for token in re.findall(rb"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", data):
        open(f"{out}/{hashlib.sha1(token).hexdigest()[:16]}", "wb").write(token)
PY
  # The spec suite's modules (wast2json output of the spec tests, when a build made it).
  if [ -d "$root/build/spec" ]; then seed wasm_engine "" $(ls "$root"/build/spec/*.wasm | head -2000); fi
  # OPA bundles in the tar dialects (PAX, GNU, a bad checksum), from the built example policy.
  if [ -f "$root/build/share/examples/policies/policy_v3.wasm" ]; then
    (cd "$build/seeds/policy_bundle" && python3 "$root/tests/data/make_bundles.py" "$root/build/share/examples/policies/policy_v3.wasm")
  fi
  python3 - "$build/seeds" <<'PY'
import os, sys
out = sys.argv[1]
samples = {
    "msgpack": [b"\x81\xa4body\xc4\x02hi", b"\x83\xaastatusCode\xcc\xc8\xa6status\xa2OK\xa4body\xc4\x00",
                b"\x93\x01\x02\x03", b"\xdd\x00\x00\x00\x01\xc0", b"\x82\xa7subject\xa1a\xa4body\xc4\x01x"],
    "small_parsers": [b"\x00# revoked\nMABC\n", b"\x01localhost:5000/echo:v1", b"\x02http://example.com/a?b=c",
                      b"\x03redis://127.0.0.1:6379/0", b"\x0410s", b"\x052027-01-01T12:00:00Z", b"\x06aGVsbG8="],
    "http_request": [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"POST /a?b=c HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
                     b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                     b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.0\r\n\r\n"],
}
def text(value):  # msgpack str8
    return bytes([0xd9, len(value)]) + value
token = (b"eyJ0eXAiOiJqd3QiLCJhbGciOiJFZDI1NTE5In0.eyJleHAiOjQxMDI0NDQ4MDAsImp0aSI6IkEiLCJpc3MiOiJD"
         b"QSIsIndhc2NhcCI6e319.AAAA")
invocation = b"\x88" + b"".join(text(k) + v for k, v in [
    (b"origin", text(b"wasmbus://wascc/http_server/default")), (b"target", text(b"wasmbus://MABC")),
    (b"operation", text(b"HandleRequest")), (b"msg", b"\xc4\x02hi"), (b"id", text(b"A")),
    (b"encoded_claims", text(token)), (b"host_id", text(b"NHOST")), (b"deadline_ms", b"\xcf" + (4102444800000).to_bytes(8, "big"))])
samples["lattice"] = [invocation, b"\x84" + text(b"msg") + b"\xc4\x00" + text(b"invocation_id") + text(b"A") +
                      text(b"error") + text(b"no") + text(b"failure") + text(b"trap"),
                      b'{"host_id":"N","lattice":"default","uptime_s":1,"stopping":false,"actors":[{"key":"MABC",'
                      b'"claims":"' + token + b'"}],"providers":[{"contract":"wascc:keyvalue","binding":"default"}]}']
for name, items in samples.items():
    os.makedirs(f"{out}/{name}", exist_ok=True)
    for i, item in enumerate(items):
        open(f"{out}/{name}/sample{i}", "wb").write(item)
PY
}
seed_all

status=0
run() {
  local name=$1 corpus=$build/corpus/$1
  mkdir -p "$corpus" "$build/findings"
  local options="detect_leaks=1"
  [ "$name" = wat ] && options="detect_leaks=0"  # see fuzz/wat.cpp: WABT's known asserts leak
  local log=$build/findings/$name.log
  if ASAN_OPTIONS="$options" "$build/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$build/findings/$name-" "$corpus" "$build/seeds/$name" >"$log" 2>&1; then
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "$name: ${runs:-0} executions in ${seconds}s, no finding"
  else
    echo "$name: FINDING (see $log and $build/findings/$name-*)"
    grep -m3 -E "ERROR: |SUMMARY: |runtime error" "$log" | sed 's/^/  /' || true
    status=1
  fi
}
if [ "$target" = all ]; then
  for name in "${targets[@]}"; do run "$name"; done
else
  run "$target"
fi
exit $status
