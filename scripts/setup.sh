#!/usr/bin/env bash
# Installs what the project needs from Debian's packages (only what is missing), then
# configures and builds it. Usage: scripts/setup.sh [BUILD_DIR] [extra cmake args...]
# (--deps-only as BUILD_DIR: install, nothing more).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true

packages=(
  g++ cmake ninja-build pkg-config python3 git
  clang lld                              # wasm32 C guests (share/include/wapc_guest.h)
  libclang-rt-14-dev                     # libFuzzer and clang's sanitizer runtimes (scripts/fuzz.sh, sanitize.sh)
  wabt binaryen                          # WAT parser/validator/interpreter/C writer; optimizer
  libsodium-dev libssl-dev               # Ed25519; SHA-256 with the CPU's SHA extensions
  libcli11-dev nlohmann-json3-dev doctest-dev
  openssl                                # the benchmark's reference hasher
  libcpp-httplib-dev libhiredis-dev libnats-dev libyaml-cpp-dev  # the actor runner's providers, manifests
  libboost1.81-dev                       # Boost.Beast/Asio: wascc:http_server's event-driven HTTP server
  redis-server nats-server curl wrk      # real servers and clients for the runner's tests and bench
  python3-prometheus-client              # the runner test parses wascc run --metrics with Prometheus's parser
  python3-cryptography                   # the lattice's credentials test signs NATS operator/account/user JWTs
  libarchive-dev                         # OPA bundles (.tar.gz: ustar, PAX and GNU tar)
  libpcre2-dev                           # wascc test: body_regex is PCRE2
  libxml2-utils                          # xmllint validates wascc test's JUnit reports
  zsh fish                               # the completions' tests
  groff-base                             # the man pages' test renders them
  docker-registry                        # a real OCI registry for wascap push/pull's test
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node.js (for the interoperability tests with the npm peers) may come from Debian or be
# preinstalled; only install Debian's when there is none.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "$build_dir" = --deps-only ] && exit 0
cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir"
