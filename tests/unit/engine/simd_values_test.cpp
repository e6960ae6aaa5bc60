// v128 values through the engine interface: two 64-bit slots each, low half first, in export
// calls and in host functions, wherever they sit among other values.
#include <doctest/doctest.h>

#include "guest_fixtures.h"
#include "wascc/engine/engine.h"
#include "wascc/wapc/guest_launch.h"

using namespace wascc;

namespace {

const char* const kSimdModule = R"((module
  (import "env" "swap_halves" (func $swap (param i32 v128) (result v128 i32)))
  (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "mixed") (param i32 v128 i64) (result i64 v128 i32)
    (local.get 2) (local.get 1) (local.get 0))
  (func (export "through_host") (param v128) (result v128 i32)
    (call $swap (i32.const 7) (local.get 0))))
)";

}  // namespace

TEST_CASE("v128: slot counts and signatures") {
  using V = engine::ValueType;
  const std::vector<V> types = {V::I32, V::V128, V::I64};
  CHECK(engine::slot_count(types) == 4);
  CHECK(engine::to_string(engine::Signature{types, {V::V128}}) == "(i32, v128, i64) -> (v128)");
}

TEST_CASE("v128: the interpreter passes vectors in two slots, low half first, among other values") {
  auto engine = guest_launch::create_engine("interp");
  REQUIRE(engine.ok());
  auto module = (*engine)->load(test::compile_wat(kSimdModule), "simd.wasm");
  REQUIRE(module.ok());
  using V = engine::ValueType;
  CHECK((*module)->export_signature("mixed") ==
        engine::Signature{{V::I32, V::V128, V::I64}, {V::I64, V::V128, V::I32}});

  std::vector<uint64_t> host_args;
  engine::HostFunction swap{"env",
                            "swap_halves",
                            {{V::I32, V::V128}, {V::V128, V::I32}},
                            [&](engine::HostContext&, std::span<const uint64_t> args, std::span<uint64_t> results) {
                              host_args.assign(args.begin(), args.end());
                              results[0] = args[2];
                              results[1] = args[1];
                              results[2] = args[0] + 1;
                              return std::optional<engine::Trap>();
                            }};
  auto instance = (*module)->instantiate({swap}, limits::Limits{});
  REQUIRE(instance.ok());

  // Lanes 0..3 of the first vector are 1, 2, 3, 4: lane 0 is the low end of the first slot.
  const uint64_t a[] = {0x0000000200000001, 0x0000000400000003, 0x0000001000000010, 0xffffffff00000020};
  auto added = (*instance)->call("add", a, limits::Limits{});
  REQUIRE_FALSE(added.trap);
  CHECK(added.results == std::vector<uint64_t>{0x0000001200000011, 0x0000000300000023});  // lane 3 wraps

  const uint64_t mixed_args[] = {5, 0x1111, 0x2222, 0xabcdef0123};
  auto mixed = (*instance)->call("mixed", mixed_args, limits::Limits{});
  REQUIRE_FALSE(mixed.trap);
  CHECK(mixed.results == std::vector<uint64_t>{0xabcdef0123, 0x1111, 0x2222, 5});

  const uint64_t vector[] = {0xaaaa, 0xbbbb};
  auto through = (*instance)->call("through_host", vector, limits::Limits{});
  REQUIRE_FALSE(through.trap);
  CHECK(host_args == std::vector<uint64_t>{7, 0xaaaa, 0xbbbb});
  CHECK(through.results == std::vector<uint64_t>{0xbbbb, 0xaaaa, 8});
}
