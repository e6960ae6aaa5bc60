// Guests for the host tests: the built examples (share/examples) and small inline WAT.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "wascc/wapc/guest_launch.h"
#include "wascc/wapc/wapc_host.h"
#include "wascc/wasm/wat.h"

namespace wascc::test {

inline Bytes example(const std::string& name) {
  auto bytes = read_file_or_stdin(std::string(WASCC_EXAMPLES_DIR) + "/" + name + ".wasm");
  REQUIRE_MESSAGE(bytes.ok(), "build the examples first: " << bytes.error().message);
  return bytes.value();
}

inline Bytes compile_wat(const std::string& text) {
  auto bytes = wat::compile(as_bytes(text), "inline.wat", {});
  REQUIRE_MESSAGE(bytes.ok(), bytes.error().message);
  return bytes.value();
}

// The engines every host test runs on (the AOT engine joins when it exists).
inline std::vector<std::string> engines_under_test() { return guest_launch::engine_names(); }

struct LoadedGuest {
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<wapc::Host> host;
};

inline LoadedGuest load_guest(const std::string& engine_name, const Bytes& wasm, wapc::Options options = {}) {
  auto engine = guest_launch::create_engine(engine_name);
  REQUIRE(engine.ok());
  auto host = wapc::Host::load(**engine, wasm, "guest.wasm", std::move(options));
  REQUIRE_MESSAGE(host.ok(), host.error().message);
  return {std::move(engine.value()), std::move(host.value())};
}

}  // namespace wascc::test
