#include <doctest/doctest.h>

#include "check_error.h"

#include "test_modules.h"
#include "wascc/wasm/custom_sections.h"
#include "wascc/wasm/leb128.h"
#include "wascc/wasm/module.h"

using namespace wascc;

TEST_CASE("LEB128 u32") {
  Bytes out;
  leb128::append_u32(out, 624485);
  CHECK(out == Bytes{0xe5, 0x8e, 0x26});
  auto back = leb128::read_u32(out, 0);
  REQUIRE(back.ok());
  CHECK(back->value == 624485);
  CHECK(back->length == 3);
  CHECK(leb128::encoded_size_u32(127) == 1);
  CHECK(leb128::encoded_size_u32(128) == 2);
  CHECK(leb128::read_u32(Bytes{0x80, 0x80, 0x80, 0x80, 0x0f}, 0)->value == 0xF0000000u);
  CHECK_ERROR(leb128::read_u32(Bytes{0x80, 0x80, 0x80, 0x80, 0x10}, 0),
              "LEB128 value does not fit in 32 bits");                                      // > 32 bits
  CHECK_ERROR(leb128::read_u32(Bytes{0x80, 0x80}, 0), "unexpected end of file in LEB128");  // truncated
}

TEST_CASE("read_layout walks every section") {
  Bytes bytes = test::small_module();
  auto layout = module::read_layout(bytes);
  REQUIRE(layout.ok());
  CHECK(layout->kind == module::BinaryKind::CoreModule);
  REQUIRE(layout->sections.size() == 5);
  CHECK(layout->sections[0].id == 1);
  CHECK(layout->sections[0].start == 8);
  CHECK(layout->sections[4].custom_name == "meta");
  CHECK(layout->sections[4].custom_content_size() == 3);
  CHECK(layout->sections[4].end() == bytes.size());
}

TEST_CASE("read_layout rejects malformed input with the offset") {
  SUBCASE("not wasm") {
    auto layout = module::read_layout(as_bytes("hello world"));
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().offset == 0u);
    CHECK(layout.error().message == "not a wasm binary: missing \"\\0asm\" magic");
  }
  SUBCASE("bad version") {
    Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
    auto layout = module::read_layout(bytes);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().offset == 4u);
  }
  SUBCASE("truncated header") {
    auto layout = module::read_layout(Bytes{0x00, 0x61, 0x73, 0x6d, 0x01});
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "unexpected end of file in the wasm header");
  }
  SUBCASE("section runs past the end") {
    Bytes bytes = test::small_module();
    bytes.resize(bytes.size() - 1);
    auto layout = module::read_layout(bytes);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().offset == 32u);
    CHECK(layout.error().message == "custom section size 8 runs past the end of the file");
  }
  SUBCASE("unknown section id") {
    Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x2a, 0x00};
    auto layout = module::read_layout(bytes);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().offset == 8u);
    CHECK(layout.error().message == "unknown section id 0x2a");
  }
  SUBCASE("sections out of order") {
    Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00};
    auto layout = module::read_layout(bytes);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().offset == 11u);
    CHECK(layout.error().message == "type section out of order or repeated");
  }
  SUBCASE("custom name overruns its section") {
    Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x05, 'a'};
    auto layout = module::read_layout(bytes);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "custom section name runs past the end of its section");
  }
  SUBCASE("custom name not UTF-8") {
    Bytes bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0xff};
    auto layout = module::read_layout(bytes);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().offset == 11u);
  }
}

TEST_CASE("components are read, nested modules stay opaque") {
  auto layout = module::read_layout(test::small_component());
  REQUIRE(layout.ok());
  CHECK(layout->kind == module::BinaryKind::Component);
  REQUIRE(layout->sections.size() == 1);
  CHECK(layout->sections[0].id == module::kComponentCoreModuleSectionId);
}

TEST_CASE("custom sections: list, append, replace, remove keep every other byte") {
  Bytes bytes = test::small_module();
  auto layout = module::read_layout(bytes);
  REQUIRE(layout.ok());
  auto found = custom_sections::list(bytes, *layout);
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "meta");
  CHECK(Bytes(found[0].content.begin(), found[0].content.end()) == Bytes{1, 2, 3});

  Bytes appended = custom_sections::append(bytes, "extra", Bytes{9});
  CHECK(Bytes(appended.begin(), appended.begin() + static_cast<long>(bytes.size())) == bytes);
  CHECK(Bytes(appended.begin() + static_cast<long>(bytes.size()), appended.end()) ==
        Bytes{0x00, 0x07, 0x05, 'e', 'x', 't', 'r', 'a', 9});

  Bytes removed = custom_sections::remove_named(bytes, *layout, "meta");
  CHECK(removed == Bytes(bytes.begin(), bytes.begin() + 31));

  auto appended_layout = module::read_layout(appended);
  REQUIRE(appended_layout.ok());
  Bytes replaced = custom_sections::replace_named(appended, *appended_layout, "meta", Bytes{7});
  auto replaced_layout = module::read_layout(replaced);
  REQUIRE(replaced_layout.ok());
  auto after = custom_sections::list(replaced, *replaced_layout);
  REQUIRE(after.size() == 2);
  CHECK(after[0].name == "meta");  // replaced in place, before "extra"
  CHECK(Bytes(after[0].content.begin(), after[0].content.end()) == Bytes{7});
  CHECK(after[1].name == "extra");
  // Replacing a missing name appends.
  Bytes added = custom_sections::replace_named(bytes, *layout, "new", Bytes{});
  CHECK(added.size() == bytes.size() + 6);
}
