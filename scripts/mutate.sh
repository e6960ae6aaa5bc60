#!/usr/bin/env bash
# Mutation testing of the security core: plants each bug below (one at a time) in the signature,
# hash, expiry, issuer, capability and authorization checks and in the limits, rebuilds
# incrementally and runs the tests that guard that code. A mutant the tests do not notice
# ("survived") is a hole in the suite. Slow (a rebuild and a test run per mutant): run it
# before you stop when you touch this code, not in CI.
#
#   scripts/mutate.sh [BUILD_DIR] [MUTANT_NUMBER...]
#
# Last line: "N mutants, N killed"; exit 1 when a mutant survives or does not apply.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
tests='^(unit|cli-wascap|cli-wapc|cli-wascc|realworld-interp)$'

# FILE | the exact text (it must occur once) | what replaces it
mutants=$(cat <<'EOF'
lib/src/wascap/jwt.cpp|token.header["typ"] != "jwt"|false
lib/src/wascap/jwt.cpp|token.header["alg"] != "Ed25519"|false
lib/src/wascap/nkeys.cpp|key.key.data()) == 0;|key.key.data()) == 0 \|\| signature.size() == kSignatureBytes;
lib/src/wascap/nkeys.cpp|if (encoding::crc16_xmodem(body) != stored) {|if (encoding::crc16_xmodem(body) != stored \&\& false) {
lib/src/wascap/nkeys.cpp|if ((bytes[0] & 0xF8) != kSeedPrefixByte) {|if (false) {
lib/src/wascap/module_verification.cpp|claims.expires && *claims.expires < now|claims.expires && *claims.expires <= now
lib/src/wascap/module_verification.cpp|claims.expires && *claims.expires < now|claims.expires && *claims.expires + 1 < now
lib/src/wascap/module_verification.cpp|claims.not_before && now < *claims.not_before|claims.not_before && now + 1 < *claims.not_before
lib/src/wascap/module_verification.cpp|if (issuer && issuer->type != nkeys::KeyType::Account) {|if (false) {
lib/src/wascap/module_verification.cpp|} else if (subject->type != expected) {|} else if (false) {
lib/src/wascap/module_verification.cpp|  if (revision >= claims::kWascapRevisionWritten) {|  if (revision > claims::kWascapRevisionWritten) {
lib/src/wascap/module_verification.cpp|                   policy.allowed_issuers.end();|                   policy.allowed_issuers.end() \|\| true;
lib/src/wascap/module_verification.cpp|return !id.empty() && std::find(|return false \&\& std::find(
lib/src/wascap/module_verification.cpp|bool has = std::find(caps.begin(), caps.end(), required) != caps.end();|bool has = true;
lib/src/wascap/module_verification.cpp|  } else if (!jwt::verify_signature(*report.token, *issuer)) {|  } else if (false) {
lib/src/wascap/module_verification.cpp|if (canonical && sha256::hash_hex_upper(canonical->pieces()) == claims.module_hash) {|if (canonical) {
lib/src/wascap/module_signing.cpp|claims.module_hash = sha256::hash_hex_upper(signed_module.output.pieces());|claims.module_hash = sha256::hash_hex_upper(ByteView());
lib/src/actors/actor_authorization.cpp|  if (claims_list(actor, capability_id)) return {true, ""};|  return {true, ""};
lib/src/actors/actor_authorization.cpp|if (claims_list(caller, target.id) \|\| target.id == caller.subject)|if (true)
lib/src/policy/policy_authorizer.cpp|  if (!load->decision.allowed) return invalid_error("policy " + setup_.path + " denied it: " + load->decision.message);|
lib/src/policy/policy_authorizer.cpp|  if (!decision->allowed) return invalid_error(denied_prefix + decision->message);|
lib/src/engine/limits.cpp|  if (current_pages + delta > limits_.max_memory_pages) {|  if (current_pages + delta > limits_.max_memory_pages + 1) {
lib/src/engine/limits.cpp|  if (std::chrono::steady_clock::now() >= deadline_) {|  if (false) {
lib/src/engine/limits.cpp|  if (fuel_left_ == 0) {|  if (false \&\& fuel_left_ == 0) {
lib/src/engine/engine.cpp|  if (sizes.initial_memory_pages > limits.max_memory_pages) {|  if (false) {
lib/src/engine/engine.cpp|  if (end > size()) return out_of_bounds("reading", pointer, length, size(), what);|  if (end > size() + 1) return out_of_bounds("reading", pointer, length, size(), what);
lib/src/engine/engine.cpp|  if (bytes.size() > UINT32_MAX \|\| end > size()) {|  if (bytes.size() > UINT32_MAX \|\| end > size() + 1) {
lib/src/base/msgpack_reader.cpp|      if (pending.size() > max_depth) {|      if (false) {
lib/src/base/json.cpp|    if (++depth_ <= max_depth_) return true;|    if (++depth_ <= max_depth_ + 1000000) return true;
tools/wascap/verify.cpp|    if (!report->valid() \&\& worst == kExitSuccess) worst = kExitFailure;|
lib/src/runner/lattice_invocation.cpp|  if (!jwt::verify_signature(*token, *issuer_key)) {|  if (false) {
lib/src/runner/lattice_invocation.cpp|  if (!known_issuer) return|  if (false) return
lib/src/runner/lattice_invocation.cpp|json::text_field(claims, "hash") != invocation_hash(invocation) \|\||false \|\|
lib/src/runner/lattice_invocation.cpp|  if (expected.now_ms >= invocation.deadline_ms) {|  if (expected.now_ms > invocation.deadline_ms) {
lib/src/runner/invocation_ledger.cpp|    if (found->second.token != token) return {Verdict::Replay, {}};|
lib/src/runner/lattice_registry.cpp|  if (claims->subject != key) return|  if (false) return
lib/src/runner/lattice_registry.cpp|!jwt::verify_signature(*decoded, *issuer)) {|false) {
lib/src/engine/metering.cpp|    func->exprs.splice(func->exprs.end(), leave);|
lib/src/engine/metering.cpp|      exprs.splice(it, before);|
lib/src/engine/aot_c_rewrite.cpp|part == 0 ? kHidden : std::string_view("extern ")|part == 0 ? kHidden : std::string_view("static ")
lib/src/engine/aot_c_rewrite.cpp|        if (tail_statics.count(line.substr(at, end - at))) return {};|
lib/src/base/json_scan.cpp|        if (open.size() >= max_depth) return false;|        if (open.size() >= max_depth + 1000000) return false;
lib/src/engine/limits.cpp|  if (timeout < 250 * kTick \|\| ::clock_gettime|  if (timeout < 0 * kTick \|\| ::clock_gettime
lib/src/wapc/wapc_host.cpp|  if (std::chrono::steady_clock::now() > context.deadline) {|  if (false) {
EOF
)

apply() {  # apply FILE FROM TO: exactly one occurrence, or fail
  python3 - "$@" <<'PY'
import sys
path, before, after = sys.argv[1], sys.argv[2].replace("\\|", "|").replace("\\&", "&"), sys.argv[3].replace("\\|", "|").replace("\\&", "&")
text = open(path).read()
if text.count(before) != 1:
    sys.exit(f"{path}: the text to mutate occurs {text.count(before)} times: {before}")
open(path, "w").write(text.replace(before, after))
PY
}

selected=("$@")
total=0 killed=0 broken=0
log=$PWD/$build/mutate.log
: >"$log"
# The unmutated code must pass, or every mutant would look killed. The files are touched first:
# an earlier run stopped midway must not leave a mutant's object behind.
cut -d'|' -f1 <<<"$mutants" | sort -u | xargs touch
ninja -C "$build" >>"$log" 2>&1
if ! (cd "$build" && ctest -R "$tests" -j2 >>"$log" 2>&1); then
  echo "mutate.sh: the suite fails without any mutant (see $log)" >&2
  exit 2
fi
number=0
while IFS= read -r line; do
  number=$((number + 1))
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " =~ " $number " ]]; then continue; fi
  # Split on '|' not preceded by a backslash.
  mapfile -t parts < <(python3 -c 'import re,sys; print("\n".join(re.split(r"(?<!\\)\|", sys.argv[1])))' "$line")
  file=${parts[0]} before=${parts[1]} after=${parts[2]-}
  total=$((total + 1))
  cp "$file" "$file.orig"
  # Restored with a new mtime, so the next build recompiles it (the copy's time predates the
  # mutant's object).
  restore() { mv "$file.orig" "$file" && touch "$file"; }
  trap restore EXIT
  if ! apply "$file" "$before" "$after"; then
    echo "mutant $number: does not apply ($file)"
    broken=$((broken + 1))
  elif ! ninja -C "$build" >>"$log" 2>&1; then
    echo "mutant $number: does not build ($file: $before)"
    broken=$((broken + 1))
  else
    : >"$log.run"
    # A mutant that disables a deadline makes guests spin: a test past 300 s fails (and kills it).
    # ctest kills a test's shell at the timeout, not the tool the shell ran: a guest spinning
    # under such a mutant outlived a whole run (56 min at 70% of a core), so this build's tools
    # are stopped after each mutant.
    tests_passed=yes
    (cd "$build" && ctest -R "$tests" -j2 --stop-on-failure --timeout 300 >"$log.run" 2>&1) || tests_passed=no
    pkill -KILL -f "^$PWD/$build/tools/" || true
    if [ $tests_passed = yes ] || ! grep -q "tests failed out of" "$log.run"; then
      echo "mutant $number: SURVIVED ($file: $before -> $after)"
    else
      killed=$((killed + 1))
      echo "mutant $number: killed by $(grep -m1 -oE '[0-9]+ - [a-z-]+' "$log.run" | sed 's/^[0-9]* - //')"
    fi
    cat "$log.run" >>"$log"
  fi
  restore
  trap - EXIT
done <<<"$mutants"
ninja -C "$build" >/dev/null  # the code as it is again
echo "$total mutants, $killed killed"
[ "$killed" -eq "$total" ] && [ "$broken" -eq 0 ]
