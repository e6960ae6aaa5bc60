// The memory cap at its exact edge, on every engine: growing to max_memory_pages succeeds, one
// page more stops the call with the memory limit (an off-by-one here survived mutation).
#include <doctest/doctest.h>

#include "guest_fixtures.h"
#include "wascc/wapc/guest_launch.h"

using namespace wascc;

TEST_CASE("memory limit: growth to exactly max_memory_pages succeeds, one page more is the limit") {
  const Bytes wasm = test::compile_wat(R"((module
    (memory (export "memory") 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))");
  for (const auto& engine_name : test::engines_under_test()) {
    CAPTURE(engine_name);
    auto engine = guest_launch::create_engine(engine_name);
    REQUIRE(engine.ok());
    auto loaded = (*engine)->load(wasm, "grow.wasm");
    REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
    limits::Limits limits;
    limits.max_memory_pages = 4;
    auto instance = (*loaded)->instantiate({}, limits);
    REQUIRE(instance.ok());
    const uint64_t three[] = {3};
    auto grown = (*instance)->call("grow", three, limits);
    REQUIRE_FALSE(grown.trap.has_value());
    CHECK(grown.results.at(0) == 1);  // the old size: now 4 pages, the cap
    CHECK((*instance)->memory()->size() == 4u * 65536);
    const uint64_t one[] = {1};
    auto over = (*instance)->call("grow", one, limits);
    REQUIRE(over.trap.has_value());
    CHECK(over.trap->kind == engine::TrapKind::Limit);
    CHECK(over.trap->message == "guest memory limit exceeded (4 pages)");
  }
}
